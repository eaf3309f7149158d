import { courseErrors } from '../courses/courses.errors.ts';
import type { ArtifactsRepository } from '../db/repositories/artifacts.repository.ts';
import type { CoursesRepository } from '../db/repositories/courses.repository.ts';
import type { ItemsRepository } from '../db/repositories/items.repository.ts';
import type { MediaSourcesRepository } from '../db/repositories/media-sources.repository.ts';
import type { ModulesRepository } from '../db/repositories/modules.repository.ts';
import type { ArtifactKind, ArtifactRow, CourseRow, MediaSourceRow, ModuleRow } from '../db/schema.ts';
import type { Logger } from '../shared/logger.ts';
import type { FileStore } from '../storage/file-store.ts';
import type { ExportCourse, ExportItem, ExportModule, StoredText } from './export.records.ts';
import { safeName } from './file-names.ts';
import { courseNotesDocument, moduleNotesDocument } from './notes-document.ts';
import { buildVault, courseFolderName, type VaultFile } from './vault.ts';

export type ExportService = ReturnType<typeof createExportService>;

/** A download: the name it is offered under and what it holds. */
export interface Download<T> {
  fileName: string;
  content: T;
}

/** Readings and uploads are sources, not recordings a note could link to. */
const NOT_RECORDINGS = new Set(['reading', 'upload']);

const recordingUrl = (sources: readonly MediaSourceRow[]): string | null =>
  sources.find((source) => !NOT_RECORDINGS.has(source.provider) && source.url)?.url ?? null;

/**
 * Takes notes away: loads a course (or module) in Canvas order with its files, and hands it to
 * the pure builders in this folder. A record whose file is gone is left out with a warning and
 * named in the documents, never a failed export: the rest of the notes are still worth having.
 */
export function createExportService(deps: {
  courses: CoursesRepository;
  modules: ModulesRepository;
  items: ItemsRepository;
  artifacts: ArtifactsRepository;
  mediaSources: MediaSourcesRepository;
  files: FileStore;
  logger: Logger;
}) {
  const log = deps.logger.child({ module: 'export' });

  const getCourse = (id: number): CourseRow => {
    const course = deps.courses.get(id);
    if (!course)
      throw courseErrors.courseNotFound({
        message: `No course ${id} in the cache. Refresh your courses first.`,
      });
    return course;
  };

  const getModule = (id: number): ModuleRow => {
    const module = deps.modules.get(id);
    if (!module)
      throw courseErrors.moduleNotFound({
        message: `No module ${id} in the cache. Refresh its course first.`,
      });
    return module;
  };

  async function read(artifact: ArtifactRow | undefined): Promise<StoredText> {
    if (!artifact) return { state: 'none' };
    const text = await deps.files.read(artifact.path);
    if (text !== null) return { state: 'ready', text, createdAt: artifact.createdAt };
    log.warn(
      { itemId: artifact.itemId, kind: artifact.kind, path: artifact.path },
      'file of a stored record is missing; left out of the export',
    );
    return { state: 'missing', createdAt: artifact.createdAt };
  }

  async function loadModule(module: ModuleRow, kinds: readonly ArtifactKind[]): Promise<ExportModule> {
    const rows = deps.items.listByModule(module.id);
    const ids = rows.map((row) => row.id);
    const artifacts = deps.artifacts.listForItems(ids);
    const sources = deps.mediaSources.listForItems(ids);
    const find = (itemId: number, kind: ArtifactKind) =>
      kinds.includes(kind) ? artifacts.find((row) => row.itemId === itemId && row.kind === kind) : undefined;
    const items: ExportItem[] = [];
    for (const row of rows) {
      items.push({
        id: row.id,
        position: row.position,
        title: row.title,
        type: row.type,
        canvasUrl: row.canvasUrl,
        provider: row.provider,
        recordingUrl: recordingUrl(sources.filter((source) => source.itemId === row.id)),
        notes: await read(find(row.id, 'summary')),
        transcript: await read(find(row.id, 'transcript')),
      });
    }
    return { id: module.id, position: module.position, title: module.title, items };
  }

  async function loadCourse(course: CourseRow, kinds: readonly ArtifactKind[]): Promise<ExportCourse> {
    const modules: ExportModule[] = [];
    for (const module of deps.modules.listByCourse(course.id)) modules.push(await loadModule(module, kinds));
    return { id: course.id, name: course.name, courseCode: course.courseCode, modules };
  }

  return {
    /** All notes of the course in module order, as one Markdown document. */
    async courseNotes(courseId: number): Promise<Download<string>> {
      const course = await loadCourse(getCourse(courseId), ['summary']);
      return { fileName: `${courseFolderName(course)}.md`, content: courseNotesDocument(course) };
    },

    /** The same for one module. */
    async moduleNotes(moduleId: number): Promise<Download<string>> {
      const row = getModule(moduleId);
      const course = getCourse(row.courseId);
      const module = await loadModule(row, ['summary']);
      const fileName = `${courseFolderName(course)} - ${safeName(module.title, `Module ${module.id}`)}.md`;
      return { fileName, content: moduleNotesDocument(course, module) };
    },

    /** The course as a vault folder: every file, read, for `zipStream`. */
    async courseVault(courseId: number): Promise<Download<VaultFile[]>> {
      const course = await loadCourse(getCourse(courseId), ['summary', 'transcript']);
      return { fileName: `${courseFolderName(course)}.zip`, content: buildVault(course) };
    },
  };
}
