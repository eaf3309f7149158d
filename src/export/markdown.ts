/** Markdown pieces the export documents share. */

/** A Canvas title on one line: Canvas allows newlines and runs of spaces in titles. */
export const oneLine = (text: string): string =>
  text
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/**
 * Escapes a title from Canvas so it reads as the text it is: `# x` is not a heading, `*y*` not
 * emphasis, `<b>` not HTML, `[[x]]` not an Obsidian link, `$x$` not Obsidian maths, `&amp;`
 * not an entity. Marks that only matter doubled (Obsidian's `==highlight==` and `%%comment%%`)
 * are escaped only then, so "50% off" stays as written. Titles only ever follow a heading
 * marker or sit inside a line, so line-start marks (`-`, `>`, `1.`) need nothing.
 */
export function escapeInline(text: string): string {
  return oneLine(text)
    .replace(/[\\`*_[\]<#~$]/g, '\\$&')
    .replace(/&(?=#?[a-z0-9]+;)/gi, '\\&')
    .replace(/=(?==)|(?<==)=/g, '\\=')
    .replace(/%(?=%)|(?<=%)%/g, '\\%');
}

const ATX_HEADING = /^ {0,3}(#{1,6})(?=[ \t]|$)[ \t]*(.*)$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Applies `onLine` to each line outside fenced code blocks (where a `#` is code, not a
 * heading). A fence closes on a line of the same character, at least as long, and nothing else.
 */
function mapOutsideFences(markdown: string, onLine: (line: string) => string): string {
  let closing: RegExp | null = null;
  return markdown
    .split('\n')
    .map((line) => {
      if (closing) {
        if (closing.test(line)) closing = null;
        return line;
      }
      const marker = FENCE.exec(line)?.[1];
      if (!marker) return onLine(line);
      closing = new RegExp(`^ {0,3}\\${marker[0]}{${marker.length},}[ \\t]*$`);
      return line;
    })
    .join('\n');
}

/**
 * Notes open with their own `# Title`, which an item heading already says: drop it (and the
 * blank lines after it). Notes edited by hand to open otherwise are kept whole.
 */
export function dropOwnTitle(markdown: string): string {
  const body = markdown.replace(/^\s*\n/, '');
  const end = body.indexOf('\n');
  const first = end === -1 ? body : body.slice(0, end);
  if (ATX_HEADING.exec(first)?.[1] !== '#') return body;
  return end === -1 ? '' : body.slice(end + 1).replace(/^\s*\n/, '');
}

/**
 * Nests notes under a heading of level `under`: their `##` sections become `under + 1`, deeper
 * ones follow, capped at `######` (Markdown has no seventh level); any `#` left in the body
 * becomes `under + 1` too, so nothing in the notes can outrank the item it belongs to.
 */
export function demoteHeadings(markdown: string, under: number): string {
  return mapOutsideFences(markdown, (line) => {
    const match = ATX_HEADING.exec(line);
    if (!match) return line;
    const level = Math.min(6, Math.max(under + 1, (match[1]?.length ?? 1) + under - 1));
    const text = match[2] ?? '';
    return text ? `${'#'.repeat(level)} ${text}` : '#'.repeat(level);
  });
}

/** Joins blocks with one blank line between them and one newline at the end. */
export function joinBlocks(blocks: readonly string[]): string {
  return `${blocks
    .map((block) => block.replace(/^\s*\n|\s+$/g, ''))
    .filter((block) => block !== '')
    .join('\n\n')}\n`;
}
