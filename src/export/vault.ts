import { stringify } from 'yaml';
import type { ExportCourse, ExportItem, ExportModule, StoredText } from './export.records.ts';
import { collisionKey, positionPrefix, safeName, tagName } from './file-names.ts';
import { joinBlocks, oneLine } from './markdown.ts';
import { coverageLine, headingText, pendingLines } from './notes-document.ts';

/**
 * A course as a folder to drop into an Obsidian vault:
 *
 * ```text
 * <Course>/README.md                                    index: modules and items, wiki-linked
 * <Course>/<NN Module>/<NN Item>.md                     the notes, with YAML front matter
 * <Course>/<NN Module>/<NN Item> (transcript).md        the transcript, linking back to them
 * ```
 *
 * Names come only from Canvas positions and titles, never from what has notes yet, so a second
 * export of the course overwrites the first file for file. ` (transcript)` rather than
 * `.transcript.md`: it reads as a title in Obsidian, and no file manager hides half of it as
 * an extension. Items with neither notes nor a transcript have no files.
 */

export interface VaultFile {
  /** `/`-separated, starting with the course folder. */
  path: string;
  content: string;
  /** The zip entry's time: when the notes or transcript were made, so equal data zips equal. */
  mtime: Date;
}

export const INDEX_NAME = 'README.md';
const TRANSCRIPT_SUFFIX = ' (transcript)';
/** The zip format's epoch: for an index with nothing dated in it, and never earlier. */
const DOS_EPOCH = new Date(1980, 0, 1);

export const courseFolderName = (course: Pick<ExportCourse, 'id' | 'name'>): string =>
  safeName(course.name, `Course ${course.id}`);

/**
 * Names for `entries` from `baseOf`; where two would clash on a case-insensitive disk (any of
 * the files `filesOf` a name gives), both get their Canvas id appended. Repeats until nothing
 * clashes: every round names at least one more entry by id, and ids are unique.
 */
function uniqueNames<T extends { id: number }>(
  entries: readonly T[],
  baseOf: (entry: T) => string,
  filesOf: (name: string) => string[],
): Map<number, string> {
  const byId = new Set<number>();
  for (;;) {
    const names = new Map(
      entries.map((entry) => [
        entry.id,
        byId.has(entry.id) ? `${baseOf(entry)} (${entry.id})` : baseOf(entry),
      ]),
    );
    const owners = new Map<string, Set<number>>();
    for (const [id, name] of names) {
      for (const file of filesOf(name)) {
        const key = collisionKey(file);
        owners.set(key, (owners.get(key) ?? new Set()).add(id));
      }
    }
    const clashing = [...owners.values()]
      .filter((ids) => ids.size > 1)
      .flatMap((ids) => [...ids])
      .filter((id) => !byId.has(id));
    if (clashing.length === 0) return names;
    for (const id of clashing) byId.add(id);
  }
}

const largest = (positions: readonly number[]) => Math.max(0, ...positions);

/** Module folder names, `NN Title`, over all the course's modules. */
export function moduleFolderNames(modules: readonly ExportModule[]): Map<number, string> {
  const width = largest(modules.map((module) => module.position));
  return uniqueNames(
    modules,
    (module) => `${positionPrefix(module.position, width)} ${safeName(module.title, `Module ${module.id}`)}`,
    (name) => [name],
  );
}

/**
 * Item file names without `.md`, over all the module's items (those without notes included, so
 * an item's name does not change when another one gets notes).
 */
export function itemFileNames(module: ExportModule): Map<number, string> {
  const width = largest(module.items.map((item) => item.position));
  return uniqueNames(
    module.items,
    (item) => `${positionPrefix(item.position, width)} ${safeName(item.title, `Item ${item.id}`)}`,
    (name) => [`${name}.md`, `${name}${TRANSCRIPT_SUFFIX}.md`],
  );
}

/** Front matter parsed by any YAML reader: `yaml` quotes what needs quoting in a title. */
export const withFrontMatter = (data: Record<string, unknown>, body: string): string =>
  `---\n${stringify(data, { lineWidth: 0 })}---\n\n${body}`;

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const atLeastEpoch = (date: Date) => (date < DOS_EPOCH ? DOS_EPOCH : date);

/** `[[path]]` or `[[path|alias]]`: an alias may not hold the link's own `|`, `[` or `]`. */
function wikiLink(target: string, alias?: string): string {
  const shown = alias === undefined ? '' : oneLine(alias.replace(/[[\]|]/g, ' '));
  return shown ? `[[${target}|${shown}]]` : `[[${target}]]`;
}

function courseTags(course: ExportCourse): string[] {
  return ['canvas-notes', tagName(course.courseCode ?? '') || `course-${course.id}`];
}

interface ItemPaths {
  /** Without `.md`: what a wiki link names. */
  notes: string;
  transcript: string;
}

function itemFiles(
  course: ExportCourse,
  module: ExportModule,
  item: ExportItem,
  paths: ItemPaths,
): VaultFile[] {
  const { notes, transcript } = item;
  const provider = item.provider ? tagName(item.provider) : '';
  const tags = [...courseTags(course), ...(provider ? [provider] : [])];
  const common = (file: Extract<StoredText, { state: 'ready' }>) => ({
    title: item.title,
    course: course.name,
    course_id: course.id,
    module: module.title,
    module_id: module.id,
    item_id: item.id,
    type: item.type,
    source: item.provider,
    recording: item.recordingUrl,
    canvas_url: item.canvasUrl,
    date: isoDay(file.createdAt),
  });
  const files: VaultFile[] = [];
  if (notes.state === 'ready') {
    const link = transcript.state === 'ready' ? wikiLink(paths.transcript) : null;
    files.push({
      path: `${paths.notes}.md`,
      content: withFrontMatter({ ...common(notes), tags, kind: 'notes', transcript: link }, notes.text),
      mtime: atLeastEpoch(notes.createdAt),
    });
  }
  if (transcript.state === 'ready') {
    const link = notes.state === 'ready' ? wikiLink(paths.notes) : null;
    const body = joinBlocks([
      `# ${headingText(item.title, `Item ${item.id}`)} (transcript)`,
      transcript.text.replace(/\r\n?/g, '\n'),
    ]);
    files.push({
      path: `${paths.transcript}.md`,
      content: withFrontMatter(
        { ...common(transcript), tags: [...tags, 'transcript'], kind: 'transcript', notes: link },
        body,
      ),
      mtime: atLeastEpoch(transcript.createdAt),
    });
  }
  return files;
}

/** One list line of the index per item that has files: its notes, and its transcript. */
function indexLine(item: ExportItem, paths: ItemPaths): string | null {
  const hasNotes = item.notes.state === 'ready';
  const hasTranscript = item.transcript.state === 'ready';
  if (!hasNotes && !hasTranscript) return null;
  const title = oneLine(item.title) || `Item ${item.id}`;
  if (!hasNotes) return `- ${wikiLink(paths.transcript, `${title} (transcript)`)}`;
  const transcript = hasTranscript ? ` · ${wikiLink(paths.transcript, 'transcript')}` : '';
  return `- ${wikiLink(paths.notes, title)}${transcript}`;
}

function indexNote(course: ExportCourse, sections: string[], mtime: Date): VaultFile {
  const folder = courseFolderName(course);
  const front = {
    title: course.name,
    course: course.name,
    course_id: course.id,
    tags: courseTags(course),
    kind: 'index',
  };
  const body = joinBlocks([
    `# ${headingText(course.name, `Course ${course.id}`)}`,
    coverageLine(course.modules),
    ...sections,
  ]);
  return { path: `${folder}/${INDEX_NAME}`, content: withFrontMatter(front, body), mtime };
}

/** Every file of the course's vault folder, the index first, then in Canvas order. */
export function buildVault(course: ExportCourse): VaultFile[] {
  const folder = courseFolderName(course);
  const moduleFolders = moduleFolderNames(course.modules);
  const files: VaultFile[] = [];
  const sections: string[] = [];
  for (const module of course.modules) {
    const names = itemFileNames(module);
    const lines: string[] = [];
    for (const item of module.items) {
      const base = `${folder}/${moduleFolders.get(module.id)}/${names.get(item.id)}`;
      const paths = { notes: base, transcript: `${base}${TRANSCRIPT_SUFFIX}` };
      files.push(...itemFiles(course, module, item, paths));
      const line = indexLine(item, paths);
      if (line) lines.push(line);
    }
    sections.push(
      `## ${headingText(module.title, `Module ${module.id}`)}`,
      lines.join('\n'),
      ...pendingLines(module),
    );
  }
  const latest = files.reduce((max, file) => (file.mtime > max ? file.mtime : max), DOS_EPOCH);
  return [indexNote(course, sections, latest), ...files];
}
