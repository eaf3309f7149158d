import type { Db } from '../db/client.ts';
import { courses, items, modules } from '../db/schema.ts';
import { createSilentLogger } from '../shared/logger.ts';
import type { JobsRepository } from './jobs.repository.ts';
import type { JobHandler, JobRunnerOptions } from './runner.ts';

/**
 * Inserts one course with one module holding items `firstItemId .. firstItemId + count - 1`,
 * because `jobs.item_id` references `items`. Returns the item ids.
 */
export function seedItems(
  db: Db,
  options: { count: number; courseId?: number; firstItemId?: number },
): number[] {
  const courseId = options.courseId ?? 1;
  const firstItemId = options.firstItemId ?? 1;
  const now = new Date();
  const ids = Array.from({ length: options.count }, (_, index) => firstItemId + index);
  db.transaction((tx) => {
    tx.insert(courses)
      .values({ id: courseId, name: `Course ${courseId}`, createdAt: now, updatedAt: now })
      .run();
    tx.insert(modules)
      .values({
        id: courseId,
        courseId,
        title: 'Week 1',
        position: 1,
        lastSyncedAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .run();
    for (const id of ids) {
      tx.insert(items)
        .values({
          id,
          moduleId: courseId,
          courseId,
          position: id,
          type: 'ExternalTool',
          title: `Lecture ${id}`,
          canvasHash: `hash-${id}`,
          createdAt: now,
          updatedAt: now,
        })
        .run();
    }
  });
  return ids;
}

/**
 * Runner options for tests: one handler for every kind, a silent logger, millisecond retries and
 * polls, and leases long enough that a slow machine never loses one by accident.
 */
export function testRunnerOptions(repository: JobsRepository, handler: JobHandler): JobRunnerOptions {
  return {
    repository,
    handlers: { fetch_transcript: handler, summarize: handler },
    logger: createSilentLogger(),
    concurrency: 2,
    jobTimeoutMs: 5_000,
    leaseMs: 5_000,
    pollIntervalMs: 20,
    heartbeatMs: 1_000,
    retry: { baseMs: 1, maxMs: 5, busyMs: 5 },
    abortGraceMs: 200,
  };
}
