/**
 * File and tag names built from Canvas titles. Names stay readable (Obsidian shows a note's file
 * name as its title), keep every Unicode letter, and are valid on Windows, macOS and Linux and
 * as targets of Obsidian wiki links.
 */

/**
 * Refused by Windows (`\/:*?"<>|`) or breaking an Obsidian wiki link (`#^[]|`, which read as a
 * heading, a block, a link's end or an alias). Path separators become dashes so "Part I/II"
 * stays legible; the rest become spaces.
 */
const DASHED = /[/\\|]/g;
const SPACED = /[:*?"<>#^[\]]/g;
/**
 * Controls and format characters (bidi overrides could disguise an extension), except the
 * zero-width joiners that emoji sequences and Indic and Persian scripts need.
 */
const INVISIBLE = /(?![\u200c\u200d])[\p{Cc}\p{Cf}]/gu;
/** Windows refuses these device names whatever follows their first dot (`CON.md`, `com¹.txt`). */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/**
 * Short enough that course, module and item folders plus ` (transcript).md` stay under Windows's
 * 260-character path limit inside a vault, and each name far under the 255-byte limit of every
 * common file system (the byte cap matters for scripts of several bytes per character).
 */
export const MAX_NAME_CHARS = 48;
export const MAX_NAME_BYTES = 120;

const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });

/** Cut at a character boundary (never inside an accent or emoji) to both limits. */
function cap(text: string): string {
  let out = '';
  let count = 0;
  for (const { segment } of graphemes.segment(text)) {
    if (count === MAX_NAME_CHARS || Buffer.byteLength(out + segment) > MAX_NAME_BYTES) break;
    out += segment;
    count += 1;
  }
  return out;
}

/** Windows drops trailing dots and spaces (two names would meet); leading dots hide a file. */
const trimEnds = (text: string) => text.replace(/^[\s.]+/, '').replace(/[\s.]+$/, '');

/**
 * A title as one safe path segment: forbidden characters replaced, whitespace collapsed, NFC,
 * length-capped, never a Windows device name, `fallback` when nothing is left.
 */
export function safeName(title: string, fallback: string): string {
  const cleaned = trimEnds(
    title
      .normalize('NFC')
      .replace(INVISIBLE, ' ')
      .replace(DASHED, '-')
      .replace(SPACED, ' ')
      .replace(/\s+/g, ' '),
  );
  const name = trimEnds(cap(cleaned)) || fallback;
  const stem = name.split('.')[0]?.trim() ?? name;
  return RESERVED.test(stem) ? `${stem}_${name.slice(stem.length)}` : name;
}

/**
 * The key two names collide under on a case-insensitive file system (Windows, macOS by
 * default), which also folds composed and decomposed accents together.
 */
export const collisionKey = (name: string): string => name.normalize('NFC').toLowerCase();

/** `07`, or `107` when the largest position needs three digits: names sort in Canvas order. */
export const positionPrefix = (position: number, largest: number): string =>
  String(position).padStart(Math.max(2, String(largest).length), '0');

/**
 * An Obsidian tag: lower case, Unicode letters and digits joined by dashes (`_` and `/` are
 * kept: Obsidian allows them), never only digits. Empty when nothing usable is left.
 */
export function tagName(text: string): string {
  const tag = text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_/-]+/gu, '-')
    .replace(/^[-/]+|[-/]+$/g, '')
    .replace(/-{2,}/g, '-');
  return /^\d+$/.test(tag) ? `course-${tag}` : tag;
}
