/**
 * A reading's words as paragraphs, from the formats Canvas holds them in: Page bodies and HTML
 * files, plain text and Markdown (PDFs: `reading.pdf.ts`). Each paragraph is one line of plain text (whitespace
 * collapsed), because the transcript renderer and the summarisers treat cues as prose.
 */

import { convert, type DomNode, type FormatCallback, type SelectorDefinition } from 'html-to-text';

export type ReadingFormat = 'pdf' | 'html' | 'markdown' | 'text';

// ---------------------------------------------------------------------------------------------
// HTML

/** A table cell: cells of one row read as `Term | Meaning`, one row per paragraph. */
const tableCell: FormatCallback = (elem, walk, builder) => {
  if (elementSiblings(elem).indexOf(elem) > 0) builder.addInline(' | ');
  walk(elem.children, builder);
};

/** A list item as a paragraph of its own; ordered items keep their number, which steps refer to. */
const listItem: FormatCallback = (elem, walk, builder) => {
  builder.openBlock({ leadingLineBreaks: 2 });
  if (elem.parent?.name === 'ol') {
    const start = Number.parseInt(String(elem.parent.attribs?.start ?? '1'), 10);
    const items = elementSiblings(elem).filter((node) => node.name === 'li');
    builder.addInline(`${(Number.isFinite(start) ? start : 1) + items.indexOf(elem)}. `);
  }
  walk(elem.children, builder);
  builder.closeBlock({ trailingLineBreaks: 2 });
};

function elementSiblings(elem: DomNode): DomNode[] {
  return (elem.parent?.children ?? [elem]).filter((node) => node.type === 'tag');
}

const SKIPPED = ['script', 'style', 'noscript', 'template', 'img', 'picture', 'svg', 'canvas', 'iframe']
  .concat(['video', 'audio', 'object', 'embed', 'hr', 'button', 'select'])
  .map((selector): SelectorDefinition => ({ selector, format: 'skip' }));

const BLOCK = { leadingLineBreaks: 2, trailingLineBreaks: 2 };

const HTML_OPTIONS = {
  wordwrap: false as const,
  formatters: { tableCell, listItem },
  selectors: [
    ...SKIPPED,
    { selector: 'a', options: { ignoreHref: true } },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    { selector: 'ul', format: 'block', options: BLOCK },
    { selector: 'ol', format: 'block', options: BLOCK },
    { selector: 'li', format: 'listItem' },
    { selector: 'blockquote', format: 'block', options: BLOCK },
    // html-to-text's own table layouts glue the cells of a row together or pad them into columns.
    { selector: 'table', format: 'block', options: BLOCK },
    { selector: 'tr', format: 'block', options: BLOCK },
    { selector: 'td', format: 'tableCell' },
    { selector: 'th', format: 'tableCell' },
    { selector: 'dt', format: 'block', options: BLOCK },
    { selector: 'dd', format: 'block', options: BLOCK },
  ] satisfies SelectorDefinition[],
};

/** A Page body or an HTML file → its paragraphs; headings and list items are paragraphs of their own. */
export function htmlToParagraphs(html: string): string[] {
  return convert(html, HTML_OPTIONS)
    .split(/\n[ \t\u00a0]*\n/)
    .flatMap(cleanParagraph);
}

// ---------------------------------------------------------------------------------------------
// Plain text and Markdown

// `a)` but not `a.`: a hard-wrapped line may well start with `d. Is…` (seen in real lecture text).
export const BULLET = /^(?:[-*+•▪‣◦·–]\s+|\d{1,3}[.)]\s+|\(?[a-z]\)\s+)/;
/** Bullet glyphs go, as HTML list items carry none; numbers and letters stay, steps refer to them. */
export const BULLET_GLYPH = /^[-*+•▪‣◦·–]\s+/;

/** Hard-wrapped text → paragraphs at blank lines; a bulleted or numbered line starts a new one. */
export function textToParagraphs(text: string): string[] {
  const paragraphs: string[][] = [[]];
  for (const raw of splitLines(text)) {
    const line = raw.trim();
    const current = paragraphs[paragraphs.length - 1] ?? [];
    if (line === '') paragraphs.push([]);
    else if (BULLET.test(line) && current.length > 0) paragraphs.push([line]);
    else current.push(line);
  }
  return paragraphs.flatMap((lines) => cleanParagraph(lines.join(' ').replace(BULLET_GLYPH, '')));
}

/**
 * Markdown → paragraphs with the markup stripped: heading marks, emphasis, inline code marks,
 * links (`[text](url)` → text) and images. Readings end up in plain-text transcripts and
 * prompts, where `**`, `#` and URLs are noise; a full Markdown renderer would be one more
 * dependency for marks this small set covers. Code blocks stay, as one paragraph each.
 */
export function markdownToParagraphs(markdown: string): string[] {
  const paragraphs: string[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length > 0) paragraphs.push(current.join(' '));
    current = [];
  };
  let fence: string | null = null;
  const lines = splitLines(markdown);
  let start = 0;
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((line, index) => index > 0 && /^(?:---|\.\.\.)\s*$/.test(line));
    if (end > 0) start = end + 1; // YAML front matter: metadata, not reading text.
  }
  for (const raw of lines.slice(start)) {
    const line = raw.trim();
    if (fence !== null) {
      if (line.startsWith(fence)) {
        fence = null;
        flush();
      } else current.push(line);
      continue;
    }
    const fenceOpen = /^(`{3,}|~{3,})/.exec(line);
    if (fenceOpen) {
      flush();
      fence = fenceOpen[1] ?? '```';
      continue;
    }
    if (line === '' || /^(?:[-*_]\s*){3,}$/.test(line) || /^=+$/.test(line)) {
      flush(); // blank line, thematic break, or a setext heading's underline
      continue;
    }
    if (/^\[[^\]]+\]:\s*\S+/.test(line)) continue; // a reference link's definition
    if (/^\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?$/.test(line) && line.includes('-') && line.includes('|'))
      continue;
    const heading = /^#{1,6}\s+(.*?)(?:\s+#+)?$/.exec(line);
    if (heading) {
      flush();
      paragraphs.push(heading[1] ?? '');
      continue;
    }
    if (line.startsWith('|')) {
      flush();
      paragraphs.push(
        line
          .replace(/^\||\|$/g, '')
          .split('|')
          .map((cell) => cell.trim())
          .join(' | '),
      );
      continue;
    }
    const unquoted = line.replace(/^(?:>\s?)+/, '');
    const item = /^(?:[-*+]\s+|(\d{1,9}[.)])\s+)(.*)$/.exec(unquoted);
    if (item) {
      flush();
      current.push(item[1] ? `${item[1]} ${item[2] ?? ''}` : (item[2] ?? ''));
      continue;
    }
    current.push(unquoted);
  }
  flush();
  return paragraphs.map(stripInlineMarkdown).flatMap(cleanParagraph);
}

function stripInlineMarkdown(text: string): string {
  // Escaped marks (`\*`) are hidden from the rules below as private-use characters, then restored.
  const escaped: string[] = [];
  return text
    .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, (_, char: string) => {
      escaped.push(char);
      return String.fromCharCode(0xe000 + escaped.length - 1);
    })
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<((?:https?|mailto):[^>\s]+)>/g, '$1')
    .replace(/<\/?[a-z][^>]*>/gi, ' ')
    .replace(/`([^`]+)`/g, '$1')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])/g, '$1')
    .replace(/(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])/g, '$1')
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '$1')
    .replace(/[\ue000-\uf8ff]/g, (char) => escaped[char.charCodeAt(0) - 0xe000] ?? char);
}

// ---------------------------------------------------------------------------------------------
// Shared with the PDF reader

function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n?|\n/);
}

/** A paragraph as one line; none when it holds no letter or digit (a rule, a lone bullet). */
export function cleanParagraph(text: string): string[] {
  const clean = text.replace(/[\s\u00a0]+/g, ' ').trim();
  return /[\p{L}\p{N}]/u.test(clean) ? [clean] : [];
}
