import { type ExportCourse, type ExportItem, type ExportModule, hasSource } from './export.records.ts';
import { demoteHeadings, dropOwnTitle, escapeInline, joinBlocks } from './markdown.ts';

/**
 * All the notes of a course (or one module) as one Markdown document: `# Course`, then per
 * module `## Module` and per item `### Item` with the item's notes nested beneath. Items
 * without notes are left out, and each module says which they are, so the document never
 * passes for complete when it is not.
 */

/** A heading's text from a Canvas title, escaped; `fallback` for a title that is blank. */
export const headingText = (title: string, fallback: string): string => escapeInline(title) || fallback;

const itemTitle = (item: ExportItem) => headingText(item.title, `Item ${item.id}`);
const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
const titles = (items: readonly ExportItem[]) => items.map(itemTitle).join('; ');

/** The notes as they nest under an item heading of level `itemLevel`. */
function nestedNotes(markdown: string, itemLevel: number): string {
  return demoteHeadings(dropOwnTitle(markdown.replace(/\r\n?/g, '\n')), itemLevel);
}

/**
 * What a module's notes leave out, in italic lines: items with a recording or reading but no
 * notes yet, and notes whose file is gone from the data folder.
 */
export function pendingLines(module: ExportModule): string[] {
  const withSource = module.items.filter(hasSource);
  if (withSource.length === 0) return ['_No recordings or readings in this module._'];
  const lines: string[] = [];
  const noNotes = withSource.filter((item) => item.notes.state === 'none');
  if (noNotes.length) lines.push(`_No notes yet for ${plural(noNotes.length, 'item')}: ${titles(noNotes)}._`);
  const missing = withSource.filter((item) => item.notes.state === 'missing');
  if (missing.length) {
    lines.push(
      `_Notes of ${plural(missing.length, 'item')} are missing from the data folder (summarize again to ` +
        `write them): ${titles(missing)}._`,
    );
  }
  return lines;
}

/** `Notes of 3 of 5 items with a recording or reading.`, over the given modules. */
export function coverageLine(modules: readonly ExportModule[]): string {
  const withSource = modules.flatMap((module) => module.items.filter(hasSource));
  if (withSource.length === 0) {
    return modules.length === 0
      ? '_No modules yet: refresh the course to sync them from Canvas._'
      : '_No item holds a recording or reading yet._';
  }
  const noted = withSource.filter((item) => item.notes.state === 'ready').length;
  return `_Notes of ${noted} of ${plural(withSource.length, 'item')} with a recording or reading._`;
}

function moduleBlocks(module: ExportModule, itemLevel: number): string[] {
  const blocks: string[] = [];
  for (const item of module.items) {
    if (item.notes.state !== 'ready') continue;
    blocks.push(`${'#'.repeat(itemLevel)} ${itemTitle(item)}`, nestedNotes(item.notes.text, itemLevel));
  }
  return [...blocks, ...pendingLines(module)];
}

export function courseNotesDocument(course: ExportCourse): string {
  return joinBlocks([
    `# ${headingText(course.name, `Course ${course.id}`)}`,
    coverageLine(course.modules),
    ...course.modules.flatMap((module) => [
      `## ${headingText(module.title, `Module ${module.id}`)}`,
      ...moduleBlocks(module, 3),
    ]),
  ]);
}

/** The same for one module, its items one level up: `# Course — Module`, then `## Item`. */
export function moduleNotesDocument(course: Pick<ExportCourse, 'id' | 'name'>, module: ExportModule): string {
  return joinBlocks([
    `# ${headingText(course.name, `Course ${course.id}`)} — ${headingText(module.title, `Module ${module.id}`)}`,
    coverageLine([module]),
    ...moduleBlocks(module, 2),
  ]);
}
