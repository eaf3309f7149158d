/**
 * A PDF reading's words as paragraphs: pdf.js's text per page (through unpdf), then paragraphs
 * rebuilt from its lines, without page numbers and running headers and footers.
 */

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { getDocumentProxy } from 'unpdf';
import { BULLET, BULLET_GLYPH, cleanParagraph } from './reading.text.ts';

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
