import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { demoteHeadings, dropOwnTitle, escapeInline, joinBlocks } from './markdown.ts';

/** How marked writes text as HTML: what an escaped title must render to. */
const html = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

const HOSTILE_TITLES = [
  '# x',
  '*y*',
  '_z_ and __w__',
  '`code`',
  '<b>bold</b> <script>x</script>',
  // A bare URL stays a URL (GFM and Obsidian link it): it shows the same text either way.
  '[link](notes.md) ![img](x.png)',
  '~~struck~~',
  'C# and F# ##',
  'a \\* b',
  'Q&A &amp; &#35;',
  '1. not a list',
  '- not a bullet',
  '> not a quote',
  '[[Obsidian link]] #tag',
];

describe('escaping Canvas titles', () => {
  it.each(HOSTILE_TITLES)('renders %j as its own text in a heading', (title) => {
    expect(marked.parse(`### ${escapeInline(title)}`, { async: false })).toBe(`<h3>${html(title)}</h3>\n`);
  });

  it.each(HOSTILE_TITLES)('renders %j as its own text inside a line', (title) => {
    expect(marked.parseInline(`Before ${escapeInline(title)} after`, { async: false })).toBe(
      `Before ${html(title)} after`,
    );
  });

  it("escapes Obsidian's own marks, doubled ones only where they matter", () => {
    expect(escapeInline('$5 and $10')).toBe('\\$5 and \\$10');
    expect(escapeInline('==hi== and a = b')).toBe('\\=\\=hi\\=\\= and a = b');
    expect(escapeInline('%%hidden%% at 50% off')).toBe('\\%\\%hidden\\%\\% at 50% off');
  });

  it('puts a title on one line', () => {
    expect(escapeInline('  Week 1\n\tIntro  ')).toBe('Week 1 Intro');
  });
});

describe('nesting notes under an item heading', () => {
  it("drops the notes' own title and the blank lines after it", () => {
    expect(dropOwnTitle('\n# Lecture 1\n\n\n## Overview\ntext')).toBe('## Overview\ntext');
    expect(dropOwnTitle('# Only a title')).toBe('');
  });

  it('keeps notes that do not open with a title whole', () => {
    expect(dropOwnTitle('## Overview\ntext')).toBe('## Overview\ntext');
    expect(dropOwnTitle('#tag first\n# Later title')).toBe('#tag first\n# Later title');
  });

  it('moves every heading below the item, capped at level six', () => {
    const notes = [
      '## Overview',
      'text',
      '## [00:01:02](https://example.com/v?start=62) Topic',
      '### Detail',
      '##### Deep',
      '###### Deepest',
      '# Stray title',
      '#hashtag, not a heading',
      '    ## indented code',
      '##',
    ].join('\n');
    expect(demoteHeadings(notes, 3).split('\n')).toEqual([
      '#### Overview',
      'text',
      '#### [00:01:02](https://example.com/v?start=62) Topic',
      '##### Detail',
      '###### Deep',
      '###### Deepest',
      '#### Stray title',
      '#hashtag, not a heading',
      '    ## indented code',
      '####',
    ]);
    expect(demoteHeadings('## Overview\n### Detail\n# Stray', 2)).toBe(
      '### Overview\n#### Detail\n### Stray',
    );
  });

  it('leaves headings inside fenced code alone, until the fence closes', () => {
    const notes = [
      '```python',
      '# a comment',
      '```',
      '~~~~',
      '## still code',
      '~~~',
      '## still code after a shorter fence',
      '~~~~',
      '## Heading again',
    ].join('\n');
    expect(demoteHeadings(notes, 3).split('\n')).toEqual([
      '```python',
      '# a comment',
      '```',
      '~~~~',
      '## still code',
      '~~~',
      '## still code after a shorter fence',
      '~~~~',
      '#### Heading again',
    ]);
  });

  it('joins blocks with one blank line and ends with one newline', () => {
    expect(joinBlocks(['# A\n\n', '', '\n\nb  \n', 'c'])).toBe('# A\n\nb\n\nc\n');
  });
});
