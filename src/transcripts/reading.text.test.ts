import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractText } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { extractPdfPages, pdfPagesToParagraphs } from './reading.pdf.ts';
import { buildTestPdf } from './reading.test-utils.ts';
import { htmlToParagraphs, markdownToParagraphs, textToParagraphs } from './reading.text.ts';
import { decodeText, looksBinary } from './text-decoding.ts';

/** Two pages of justified-looking lecture notes with a running header and page-number footers. */
const NOTES_PAGES = [
  [
    'BIOL 201 - Cell Biology - Week 3',
    'The plasma membrane is a lipid bilayer that separates the inside',
    'of the cell from its surroundings. Its two leaflets differ in com-',
    'position, which gives each face of the membrane its own chemistry.',
    'Proteins float in this sea of lipids.',
    'Transport across the membrane happens in three ways: diffusion,',
    'facilitated diffusion through channels, and active transport that',
    'Page 1 of 2',
  ],
  [
    'BIOL 201 - Cell Biology - Week 3',
    'spends ATP to move molecules against their concentration gradient.',
    'Each is described below.',
    '• Diffusion needs no protein.',
    '• Channels are selective.',
    'Page 2 of 2',
  ],
];

const NOTES_PARAGRAPHS = [
  'The plasma membrane is a lipid bilayer that separates the inside of the cell from its surroundings. ' +
    'Its two leaflets differ in composition, which gives each face of the membrane its own chemistry. ' +
    'Proteins float in this sea of lipids.',
  'Transport across the membrane happens in three ways: diffusion, facilitated diffusion through channels, ' +
    'and active transport that spends ATP to move molecules against their concentration gradient. ' +
    'Each is described below.',
  'Diffusion needs no protein.',
  'Channels are selective.',
];

describe('htmlToParagraphs', () => {
  it('keeps headings and list items as paragraphs of their own and numbers ordered steps', () => {
    const html = `<h2>Week 3: membranes</h2>
      <p>Read these before Tuesday.</p>
      <ul><li>Chapter 3</li><li>The <em>lipid</em> paper<ul><li>only section 2</li></ul></li></ul>
      <ol start="4"><li>Label the figure</li><li>Submit it</li></ol>`;
    expect(htmlToParagraphs(html)).toEqual([
      'Week 3: membranes',
      'Read these before Tuesday.',
      'Chapter 3',
      'The lipid paper',
      'only section 2',
      '4. Label the figure',
      '5. Submit it',
    ]);
  });

  it('skips scripts, styles, images, iframes and embedded players but keeps link text without the URL', () => {
    const html = `<style>p { color: red }</style><script>window.ENV = { token: 'x' };</script>
      <p><img src="https://canvas.example.edu/files/9/preview" alt="Figure 1"> See the
      <a href="https://canvas.example.edu/courses/1/files/9?verifier=abc">lecture slides</a>.</p>
      <p><iframe title="Lecture" src="https://example.hosted.panopto.com/Panopto/Pages/Embed.aspx?id=1"></iframe></p>
      <video src="https://canvas.example.edu/media_download?entryId=m-1"></video><noscript>Enable JS</noscript>`;
    expect(htmlToParagraphs(html)).toEqual(['See the lecture slides.']);
  });

  it('reads each table row as one paragraph with its cells separated', () => {
    const html = `<table><thead><tr><th>Term</th><th>Meaning</th></tr></thead>
      <tbody><tr><td>ATP</td><td>the cell&rsquo;s energy carrier</td></tr><tr><td>DNA</td><td>genes</td></tr></tbody></table>`;
    expect(htmlToParagraphs(html)).toEqual([
      'Term | Meaning',
      'ATP | the cell’s energy carrier',
      'DNA | genes',
    ]);
  });

  it('decodes entities and drops paragraphs that hold no words', () => {
    const html =
      '<p>Caf&eacute; &amp; &lt;cell&gt; &#8212; &quot;quoted&quot;&nbsp;text</p><p>&nbsp;</p><hr><p> </p>';
    expect(htmlToParagraphs(html)).toEqual(['Café & <cell> — "quoted" text']);
  });

  it('joins the lines of a paragraph broken with <br> and collapses whitespace', () => {
    expect(
      htmlToParagraphs('<p>First line<br>second   line\n third</p><blockquote>A quote</blockquote>'),
    ).toEqual(['First line second line third', 'A quote']);
  });

  it('finds no paragraph in an empty page or one holding only an embed', () => {
    expect(htmlToParagraphs('')).toEqual([]);
    expect(htmlToParagraphs('<p><iframe src="https://www.youtube.com/embed/abc"></iframe></p>')).toEqual([]);
  });
});

describe('textToParagraphs', () => {
  it('breaks at blank lines, joins hard-wrapped lines and starts a paragraph at each bullet', () => {
    const text =
      '\uFEFFReading list\r\n\r\nChapter 3 covers the\r\nlipid bilayer.\r\n- item one\r\n- item two\r\n1. numbered\r\n' +
      '(b) lettered\r\nand the e.g.\r\nd. of a wrapped line\r\n\r\n\r\n';
    expect(textToParagraphs(text)).toEqual([
      'Reading list',
      'Chapter 3 covers the lipid bilayer.',
      'item one',
      'item two',
      '1. numbered',
      '(b) lettered and the e.g. d. of a wrapped line',
    ]);
  });
});

describe('markdownToParagraphs', () => {
  it('strips heading marks, emphasis, code marks, links and images but keeps the words', () => {
    const markdown = [
      '---',
      'title: Week 3',
      '---',
      '# Week *3* notes #',
      '',
      'The **lipid** bilayer ([slides](https://x.test/s.pdf)) is',
      'thin; see `snake_case_name` and [the paper][ref]. ![diagram](fig.png)',
      '',
      '[ref]: https://x.test/paper',
      '',
      '- item _one_',
      '* item __two__',
      '2. step two',
      '',
      '> A ~~crossed~~ quote',
      '',
      '| Term | Meaning |',
      '|------|:-------:|',
      '| ATP  | energy  |',
      '',
      '```python',
      'x = 1',
      '```',
      '',
      'Setext heading',
      '==============',
      '***',
      'Escaped \\*stars\\*',
    ].join('\n');
    expect(markdownToParagraphs(markdown)).toEqual([
      'Week 3 notes',
      'The lipid bilayer (slides) is thin; see snake_case_name and the paper.',
      'item one',
      'item two',
      '2. step two',
      'A crossed quote',
      'Term | Meaning',
      'ATP | energy',
      'x = 1',
      'Setext heading',
      'Escaped *stars*',
    ]);
  });
});

describe('pdfPagesToParagraphs', () => {
  it('rebuilds paragraphs, drops the running header and page numbers and joins hyphenated words', () => {
    expect(pdfPagesToParagraphs(NOTES_PAGES.map((lines) => lines.join('\n')))).toEqual(NOTES_PARAGRAPHS);
  });

  it('keeps a line that repeats on only a few pages and a number inside the text', () => {
    // Blank lines separate the paragraphs here, so only the header and footer rules are at work.
    const pages = [
      'Summary\n\nThe answer is\n42\nand it holds.\n\nEnd of page one.\n\n1',
      'Cells are small.\n\nA second page of text.\n\n2',
      'Cells are small.\n\nMore text here.\n\n3',
      'Fourth page.\n\nEven more text.\n4',
    ];
    expect(pdfPagesToParagraphs(pages)).toEqual([
      'Summary',
      'The answer is 42 and it holds.',
      'End of page one.',
      'Cells are small.',
      'A second page of text.',
      'Cells are small.',
      'More text here.',
      'Fourth page.',
      'Even more text.',
    ]);
  });

  it('drops a page number at the edge of a page even when no other page repeats it', () => {
    expect(pdfPagesToParagraphs(['Preface text.\n\niv'])).toEqual(['Preface text.']);
    expect(pdfPagesToParagraphs(['Page 1\nThe only page.\n\n- 1 -'])).toEqual(['The only page.']);
    expect(pdfPagesToParagraphs(['civil\n\nIV\n\nText.\n\nxiv'])).toEqual(['civil', 'IV', 'Text.']);
  });

  it('starts a paragraph at a numbered section heading and leaves out table-of-contents entries', () => {
    const pages = [
      [
        'Contents',
        '1 Introduction . . . . . . . . . . . . . . 1',
        '1.1 Scope. . . . . . . . . . . . . . . . . 2',
        'This is version 0.21 of the specification, last updated 2 October 2018.',
        '1.2. What is this spec?',
        'Many programs use the MIME system to represent the types of files, and',
        'frequently it is necessary to work out the correct MIME type for a file.',
        'It is also useful.',
        '2 Unified system',
        'In discussions about the previous systems used by GNOME, KDE and ROX it',
        'was clear that the differences between the databases were historical.',
      ].join('\n'),
    ];
    expect(pdfPagesToParagraphs(pages)).toEqual([
      'Contents',
      'This is version 0.21 of the specification, last updated 2 October 2018.',
      '1.2. What is this spec?',
      'Many programs use the MIME system to represent the types of files, and frequently it is necessary to work out the correct MIME type for a file. It is also useful.',
      '2 Unified system',
      'In discussions about the previous systems used by GNOME, KDE and ROX it was clear that the differences between the databases were historical.',
    ]);
  });

  it('keeps real hyphens before a capital or a digit and drops soft hyphens', () => {
    const pages = [
      'The COVID-\n19 outbreak and the anti-\nInflammatory drugs were sur\u00ad\nprising in every way that mattered.',
    ];
    expect(pdfPagesToParagraphs(pages)).toEqual([
      'The COVID-19 outbreak and the anti-Inflammatory drugs were surprising in every way that mattered.',
    ]);
  });
});

describe('extractPdfPages', () => {
  it('reads a real two-page PDF into the paragraphs its text makes', async () => {
    const pdf = buildTestPdf({ pages: NOTES_PAGES });
    const pages = await extractPdfPages(pdf);
    expect(pages).toHaveLength(2);
    expect(pdfPagesToParagraphs(pages)).toEqual(NOTES_PARAGRAPHS);
    // The caller's buffer is still whole: pdf.js got a copy.
    expect(await extractPdfPages(pdf)).toEqual(pages);
  });

  it('lays each page out exactly as unpdf’s extractText does', async () => {
    const pdf = buildTestPdf({ pages: [...NOTES_PAGES, ['Tab\there', '', 'and (parentheses) \\ too']] });
    const { text } = await extractText(new Uint8Array(pdf), { mergePages: false });
    expect(await extractPdfPages(pdf)).toEqual(text);
  });

  it('keeps the event loop turning while it reads a long PDF, and stops when the signal aborts', async () => {
    const line = 'The plasma membrane is a lipid bilayer that separates the inside';
    const pdf = buildTestPdf({ pages: Array.from({ length: 80 }, () => Array<string>(40).fill(line)) });
    let turns = 0;
    const ticker = setInterval(() => turns++, 1);
    try {
      expect(await extractPdfPages(pdf)).toHaveLength(80);
      expect(turns).toBeGreaterThan(10);
      const controller = new AbortController();
      const reason = new Error('shutting down');
      setTimeout(() => controller.abort(reason), 20);
      await expect(extractPdfPages(pdf, controller.signal)).rejects.toBe(reason);
    } finally {
      clearInterval(ticker);
    }
  });

  it('finds no text in a PDF without a text layer', async () => {
    const pages = await extractPdfPages(buildTestPdf({ pages: [[], []], withoutText: true }));
    expect(pdfPagesToParagraphs(pages)).toEqual([]);
  });

  it('rejects with pdf.js’s PasswordException for a protected PDF and InvalidPDFException for garbage', async () => {
    await expect(
      extractPdfPages(buildTestPdf({ pages: [['Secret']], passwordProtected: true })),
    ).rejects.toMatchObject({
      name: 'PasswordException',
    });
    await expect(extractPdfPages(new TextEncoder().encode('%PDF-1.7\nnot really'))).rejects.toMatchObject({
      name: 'InvalidPDFException',
    });
  });
});

describe('decodeText', () => {
  it('follows a UTF-16 BOM, then the charset, else UTF-8', () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from('Café', 'utf16le')]);
    expect(decodeText(utf16, 'text/plain')).toBe('Café');
    expect(decodeText(new Uint8Array([0x43, 0x61, 0x66, 0xe9]), 'text/plain; charset=windows-1252')).toBe(
      'Café',
    );
    expect(decodeText(Buffer.from('Café'), 'text/plain; charset=no-such-charset')).toBe('Café');
    expect(decodeText(Buffer.from('\uFEFFCafé'), null)).toBe('Café');
  });

  it('tells binary bytes from text', () => {
    expect(looksBinary(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00]))).toBe(true);
    expect(looksBinary(Buffer.from('plain text'))).toBe(false);
    expect(looksBinary(new Uint8Array([0xff, 0xfe, 0x41, 0x00]))).toBe(false);
  });
});

describe('real lecture text files', () => {
  // Caption-panel text from a real course (../shared/data/lectures, see its README); read in place.
  const folder = join(import.meta.dirname, '../../../shared/data/lectures');
  const files = readdirSync(folder).filter((name) => name.endsWith('.txt'));

  it('finds the lecture files', () => {
    expect(files.length).toBeGreaterThanOrEqual(3);
  });

  it.each(files)('keeps every word of %s, one paragraph per blank-line block', (name) => {
    const text = readFileSync(join(folder, name), 'utf8');
    const paragraphs = textToParagraphs(text);
    const blocks = text.split(/\r?\n\s*\r?\n/).filter((block) => block.trim() !== '');
    expect(paragraphs).toHaveLength(blocks.length);
    const words = (value: string) => value.split(/\s+/).filter(Boolean);
    expect(words(paragraphs.join(' '))).toEqual(words(text.replace(/^\uFEFF/, '')));
    for (const paragraph of paragraphs) expect(paragraph).not.toMatch(/\n|\s{2}/);
  });
});
