import type { CanvasApi, CanvasModuleWithItems } from '../canvas/canvas.schemas.ts';
import { courseErrors } from '../courses/courses.errors.ts';
import type { Db, DbOrTx } from '../db/client.ts';
import type { ArtifactsRepository } from '../db/repositories/artifacts.repository.ts';
import type { CoursesRepository } from '../db/repositories/courses.repository.ts';
import type { ItemsRepository } from '../db/repositories/items.repository.ts';
import type { MediaSourcesRepository } from '../db/repositories/media-sources.repository.ts';
import type { ModulesRepository } from '../db/repositories/modules.repository.ts';
import type { CourseRow } from '../db/schema.ts';
import type { JobsRepository } from '../jobs/jobs.repository.ts';
import type { Logger } from '../shared/logger.ts';
import type { FileStore } from '../storage/file-store.ts';
import type { ContentDiscovery, Discovery } from './content-discovery.ts';
import { createDiscoveryWrites } from './sync.discovery-writes.ts';
import { emptyCounts, type SyncCounts, tally, toCourseInput, toItemInput } from './sync.mapper.ts';

export type SyncService = ReturnType<typeof createSyncService>;

/**
 * Copies Canvas into the local cache. Every refresh fetches everything first and only then
 * writes, in one transaction: a Canvas failure half-way leaves the cache exactly as it was.
 * Items that remain keep their status, transcript and summary; items gone from Canvas go, with
 * their files, and their queued or running jobs are cancelled. Rows read before the fetch are
 * checked again inside the transaction, since a concurrent refresh may have removed them.
 */
export function createSyncService(deps: {
  db: Db;
  canvas: CanvasApi;
  courses: CoursesRepository;
  modules: ModulesRepository;
  items: ItemsRepository;
  mediaSources: MediaSourcesRepository;
  artifacts: ArtifactsRepository;
  discovery: ContentDiscovery;
  jobs: Pick<JobsRepository, 'activeForItems' | 'requestCancel'>;
  files: FileStore;
  logger: Logger;
  /** Lets the in-process runner abort a cancelled job now rather than at its next heartbeat. */
  onCancelRequested?: (jobId: number) => void;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  const logger = deps.logger.child({ module: 'sync' });

  // Jobs cancelled by the transaction in progress; announced once it commits. Transactions are
  // synchronous, so no other refresh can run between one and its announcement.
  const cancelled: number[] = [];
  const transact = <T>(work: (tx: DbOrTx) => T): T => {
    cancelled.length = 0;
    try {
      const result = deps.db.transaction(work);
      for (const jobId of cancelled) deps.onCancelRequested?.(jobId);
      return result;
    } finally {
      cancelled.length = 0;
    }
  };

  /** Stops the work queued or running for items about to be removed. */
  const cancelJobsOf = (tx: DbOrTx, itemIds: number[], at: Date) => {
    for (const active of deps.jobs.activeForItems(itemIds, tx).values()) {
      for (const job of active) {
        deps.jobs.requestCancel(job.id, at, tx);
        cancelled.push(job.id);
      }
    }
  };

  /** Deletes items and returns the storage keys of their files, to remove after commit. */
  const removeItems = (tx: DbOrTx, ids: number[], at: Date): string[] => {
    const keys = deps.artifacts.listForItems(ids, tx).map((artifact) => artifact.path);
    cancelJobsOf(tx, ids, at);
    deps.items.removeMany(tx, ids);
    return keys;
  };

  const removeFiles = async (keys: string[]) => {
    for (const key of keys) {
      try {
        await deps.files.remove(key);
      } catch (error) {
        logger.warn({ err: error, key }, 'could not remove the file of an item gone from Canvas');
      }
    }
  };

  const applyDiscoveries = createDiscoveryWrites(deps);

  const discover = (courseId: number, items: CanvasModuleWithItems['items'], signal?: AbortSignal) =>
    deps.discovery.discover(courseId, items, deps.items.contentVersions(items.map((item) => item.id)), {
      signal,
    });

  const writeModules = (
    tx: DbOrTx,
    courseId: number,
    fetched: CanvasModuleWithItems[],
    found: Map<number, Discovery>,
    at: Date,
  ) => {
    const moduleCounts = emptyCounts();
    const itemCounts = emptyCounts();
    for (const module of fetched) {
      tally(
        moduleCounts,
        deps.modules.upsert(
          tx,
          { id: module.id, courseId, title: module.name, position: module.position },
          at,
        ),
      );
    }
    const keepItemIds = fetched.flatMap((module) => module.items.map((item) => item.id));
    const goneItems = deps.items.findMissing(tx, { courseId }, keepItemIds);
    const fileKeys = removeItems(tx, goneItems, at);
    itemCounts.removed = goneItems.length;
    for (const module of fetched) {
      for (const item of module.items) {
        tally(
          itemCounts,
          deps.items.upsert(tx, toItemInput({ ...item, module_id: module.id }, courseId), at),
        );
      }
    }
    applyDiscoveries(tx, keepItemIds, found, at);
    // Modules go last: an item that moved out of a removed module has been moved by now, and
    // must not go with it.
    moduleCounts.removed = deps.modules.removeMissing(
      tx,
      courseId,
      fetched.map((module) => module.id),
    ).length;
    return { moduleCounts, itemCounts, fileKeys };
  };

  return {
    async refreshCourses(
      options: { signal?: AbortSignal } = {},
    ): Promise<{ courses: CourseRow[]; sync: { courses: SyncCounts } }> {
      const fetched = await deps.canvas.listCourses(options);
      const at = now();
      const counts = emptyCounts();
      transact((tx) => {
        for (const course of fetched) tally(counts, deps.courses.upsert(tx, toCourseInput(course), at));
        // Courses holding notes are kept (see findRemovable), so no files go with the others.
        const removable = deps.courses.findRemovable(
          tx,
          fetched.map((course) => course.id),
        );
        cancelJobsOf(tx, deps.items.idsInCourses(tx, removable), at);
        deps.courses.removeMany(tx, removable);
        counts.removed = removable.length;
      });
      logger.info({ ...counts }, 'courses refreshed');
      return { courses: deps.courses.list(), sync: { courses: counts } };
    },

    async refreshCourse(courseId: number, options: { signal?: AbortSignal } = {}) {
      const known = deps.courses.get(courseId);
      const course = known ? undefined : await deps.canvas.getCourse(courseId, options);
      const fetched = await deps.canvas.listModulesWithItems(courseId, options);
      const found = await discover(
        courseId,
        fetched.flatMap((module) => module.items),
        options.signal,
      );
      const at = now();
      const result = transact((tx) => {
        if (course) deps.courses.upsert(tx, toCourseInput(course), at);
        else if (!deps.courses.get(courseId, tx)) throw courseErrors.courseNotFound();
        const written = writeModules(tx, courseId, fetched, found, at);
        deps.courses.markSynced(tx, courseId, at);
        return written;
      });
      await removeFiles(result.fileKeys);
      logger.info({ courseId, modules: result.moduleCounts, items: result.itemCounts }, 'course refreshed');
      return {
        modules: deps.modules.listByCourse(courseId),
        sync: { modules: result.moduleCounts, items: result.itemCounts },
      };
    },

    async refreshModule(moduleId: number, options: { signal?: AbortSignal } = {}) {
      const module = deps.modules.get(moduleId);
      if (!module) throw courseErrors.moduleNotFound();
      const fetched = await deps.canvas.getModuleWithItems(module.courseId, moduleId, options);
      const found = await discover(module.courseId, fetched.items, options.signal);
      const at = now();
      const counts = emptyCounts();
      const fileKeys = transact((tx) => {
        if (!deps.modules.get(moduleId, tx)) throw courseErrors.moduleNotFound();
        deps.modules.upsert(
          tx,
          { id: fetched.id, courseId: module.courseId, title: fetched.name, position: fetched.position },
          at,
        );
        // Seen from one module, an item that left it may have moved to another module: one with
        // notes stays until a course refresh, which sees the whole course, settles it.
        const missing = deps.items.findMissing(
          tx,
          { moduleId },
          fetched.items.map((item) => item.id),
        );
        const withNotes = new Set(
          deps.artifacts.listForItems(missing, tx).map((artifact) => artifact.itemId),
        );
        const gone = missing.filter((id) => !withNotes.has(id));
        counts.removed = gone.length;
        const keys = removeItems(tx, gone, at);
        for (const item of fetched.items) {
          tally(
            counts,
            deps.items.upsert(tx, toItemInput({ ...item, module_id: moduleId }, module.courseId), at),
          );
        }
        applyDiscoveries(
          tx,
          fetched.items.map((item) => item.id),
          found,
          at,
        );
        return keys;
      });
      await removeFiles(fileKeys);
      logger.info({ moduleId, items: counts }, 'module refreshed');
      return { items: deps.items.listByModule(moduleId), sync: { items: counts } };
    },
  };
}
