/**
 * A reading's words as paragraphs, from the formats Canvas holds them in: Page bodies and HTML
 * files, PDFs, plain text and Markdown. Each paragraph is one line of plain text (whitespace
 * collapsed), because the transcript renderer and the summarisers treat cues as prose.
 */

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { convert, type DomNode, type FormatCallback, type SelectorDefinition } from 'html-to-text';
import { getDocumentProxy } from 'unpdf';

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
const BULLET = /^(?:[-*+•▪‣◦·–]\s+|\d{1,3}[.)]\s+|\(?[a-z]\)\s+)/;
/** Bullet glyphs go, as HTML list items carry none; numbers and letters stay, steps refer to them. */
const BULLET_GLYPH = /^[-*+•▪‣◦·–]\s+/;

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
// PDF

/**
 * The text of each page, as pdf.js lays it out: one line per `\n`, exactly as unpdf's
 * `extractText(pdf, { mergePages: false })` joins it. The pages are read one at a time with a
 * turn of the event loop between them, because in Node pdf.js parses on the main thread and
 * `extractText` reads every page in one stretch: a 100-page PDF held the loop for two seconds,
 * with no chance to answer a request or to notice an abort. Throws pdf.js's errors
 * (`PasswordException`, `InvalidPDFException`, …), or the signal's reason once it aborts.
 */
export async function extractPdfPages(bytes: Uint8Array, signal?: AbortSignal): Promise<string[]> {
  signal?.throwIfAborted();
  // pdf.js may transfer (detach) the buffer it is given; the caller's bytes stay intact.
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  try {
    const pages: string[] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      await yieldToEventLoop();
      signal?.throwIfAborted();
      const page = await pdf.getPage(number);
      const content = await page.getTextContent();
      pages.push(
        content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''),
      );
      page.cleanup();
    }
    return pages;
  } finally {
    await pdf.destroy();
  }
}

/**
 * A line that holds nothing but a page number: `12`, `- 12 -`, `Page 3`, `3 of 10`, and the
 * lower-case roman numerals of front matter (`iv`; not `civil`, and not `IV`, a chapter's number).
 */
const PAGE_NUMBER =
  /^(?:(?:page|Page|PAGE)\s+)?[-–—]?\s*(?:\d{1,4}|(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3}))\s*[-–—]?(?:\s*(?:of|\/)\s*\d{1,4})?$/;
const EDGE_LINES = 2;
/** A numbered section heading: `2 Methods`, `1.3. Language used`. */
const SECTION = /^\d{1,2}(?:\.\d{1,2})*\.?\s+\p{Lu}/u;
/** `1.3. Language used`: after a sentence's end, a new section even below a full line. */
const SUBSECTION = /^\d{1,2}(?:\.\d{1,2})+\.?\s+\p{Lu}/u;
/** A table-of-contents entry (`2.1 Naming . . . . . 3`): a list of pages, not reading text. */
const CONTENTS_ENTRY = /(?:\.\s?){4,}\s*(?:\d{1,4}|[ivxlc]{1,7})$/;

/**
 * Pages of PDF text → paragraphs. pdf.js ends every visual line with `\n` and marks no
 * paragraphs, so they are rebuilt: a paragraph ends at a blank line, before a bulleted line, or
 * after a line clearly shorter than the text's full lines when the next one starts a new
 * sentence. Page numbers and the running headers and footers repeated on most pages are
 * dropped from the top and bottom of each page, and words hyphenated at a line end are joined.
 */
export function pdfPagesToParagraphs(pages: readonly string[]): string[] {
  const pageLines = pages.map((page) =>
    page.split('\n').map((line) => line.replace(/[\s\u00a0]+/g, ' ').trim()),
  );
  const furniture = repeatedEdgeLines(pageLines);
  const lines: string[] = [];
  for (const page of pageLines) {
    const nonEmpty = page.flatMap((line, index) => (line === '' ? [] : [index]));
    const edges = new Set([...nonEmpty.slice(0, EDGE_LINES), ...nonEmpty.slice(-EDGE_LINES)]);
    for (const [index, line] of page.entries()) {
      const isEdge = edges.has(index);
      if (isEdge && (PAGE_NUMBER.test(line) || furniture.has(furnitureKey(line)))) continue;
      if (CONTENTS_ENTRY.test(line)) continue;
      lines.push(line);
    }
  }
  return joinLines(lines).flatMap((paragraph) => cleanParagraph(paragraph.replace(BULLET_GLYPH, '')));
}

/** `Cell Biology — Week 3 — page 4` and `… page 5` are the same running header. */
function furnitureKey(line: string): string {
  return line.toLowerCase().replace(/\d+/g, '#');
}

/** Lines at the top or bottom of most pages (at least two): running headers and footers. */
function repeatedEdgeLines(pages: readonly (readonly string[])[]): Set<string> {
  const counts = new Map<string, number>();
  for (const page of pages) {
    const nonEmpty = page.filter((line) => line !== '');
    const edges = new Set(
      [...nonEmpty.slice(0, EDGE_LINES), ...nonEmpty.slice(-EDGE_LINES)].map(furnitureKey),
    );
    for (const key of edges) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const needed = Math.max(2, Math.ceil(pages.length * 0.6));
  return new Set([...counts].filter(([, count]) => count >= needed).map(([key]) => key));
}

function joinLines(lines: readonly string[]): string[] {
  const lengths = lines
    .filter((line) => line !== '')
    .map((line) => line.length)
    .sort((a, b) => a - b);
  // The length of a full line: most lines of running text are full, the short ones end paragraphs.
  const fullLength = lengths[Math.floor(lengths.length * 0.9)] ?? 0;
  const paragraphs: string[] = [];
  let current = '';
  for (const [index, line] of lines.entries()) {
    if (line === '') {
      if (current) paragraphs.push(current);
      current = '';
      continue;
    }
    current = current ? joinLine(current, line) : line;
    const next = lines[index + 1] ?? '';
    const startsAnew = /^[\p{Lu}"“'‘(]/u.test(next) || SECTION.test(next);
    const endsShort = line.length < fullLength * 0.75 && !/[-,]$/.test(line) && startsAnew;
    const sectionFollows = /[.!?:]$/.test(line) && SUBSECTION.test(next);
    if (next === '' || BULLET.test(next) || endsShort || sectionFollows) {
      paragraphs.push(current);
      current = '';
    }
  }
  if (current) paragraphs.push(current);
  return paragraphs;
}

/** Joins a line to the text before it, undoing a hyphen that split a word at the line end. */
function joinLine(before: string, line: string): string {
  if (before.endsWith('\u00ad')) return before.slice(0, -1) + line;
  if (/\p{Ll}-$/u.test(before) && /^\p{Ll}/u.test(line)) return before.slice(0, -1) + line;
  if (/\p{L}-$/u.test(before)) return before + line; // `COVID-` + `19`: a real hyphen
  return `${before} ${line}`;
}

// ---------------------------------------------------------------------------------------------
// Shared

/** Bytes of a text file → a string, by BOM, then by the content type's charset, else UTF-8. */
export function decodeText(bytes: Uint8Array, contentType: string | null): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes);
  const charset = /charset="?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes); // an unknown charset label
  }
}

/** Whether bytes look like a binary file rather than text (a NUL among the first bytes). */
export function looksBinary(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 4096);
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff);
  return !utf16 && head.includes(0);
}

function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').split(/\r\n?|\n/);
}

/** A paragraph as one line; none when it holds no letter or digit (a rule, a lone bullet). */
function cleanParagraph(text: string): string[] {
  const clean = text.replace(/[\s\u00a0]+/g, ' ').trim();
  return /[\p{L}\p{N}]/u.test(clean) ? [clean] : [];
}
