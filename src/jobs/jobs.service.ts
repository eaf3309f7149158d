import { courseErrors } from '../courses/courses.errors.ts';
import type { Db, DbOrTx } from '../db/client.ts';
import type { ArtifactsRepository } from '../db/repositories/artifacts.repository.ts';
import type { CoursesRepository } from '../db/repositories/courses.repository.ts';
import type { ItemsRepository } from '../db/repositories/items.repository.ts';
import type { MediaSourcesRepository } from '../db/repositories/media-sources.repository.ts';
import type { ModulesRepository } from '../db/repositories/modules.repository.ts';
import {
  type ArtifactRow,
  ITEM_STATUSES,
  type ItemRow,
  type ItemStatus,
  type JobKind,
  type JobRow,
  type JobState,
} from '../db/schema.ts';
import { bulkCovers, canHaveTranscript, hasFailedSource, isDone } from '../items/item-state.ts';
import {
  createJobNotCancellableError,
  createJobNotFoundError,
  createJobNotRetryableError,
} from './jobs.errors.ts';
import type { JobsRepository, ListJobsFilter } from './jobs.repository.ts';

/** `reading_excluded`: a page or file to read, left out unless `?include=readings`. */
export const BULK_SKIP_REASONS = ['no_transcript_source', 'reading_excluded', 'already_done'] as const;
export type BulkSkipReason = (typeof BULK_SKIP_REASONS)[number];

/** The items a bulk action covers: one module's, or every module's of one course. */
export type BulkScope = { moduleId: number } | { courseId: number };

export type BulkResult = {
  /** One job per eligible item, in course order; already active ones are returned, not duplicated. */
  jobs: JobRow[];
  skipped: { itemId: number; reason: BulkSkipReason }[];
};

export type CourseProgress = {
  courseId: number;
  total: number;
  byStatus: Record<ItemStatus, number>;
  jobs: Record<JobState, number>;
};

const FINISHED: readonly JobState[] = ['succeeded', 'failed', 'cancelled'];

/** "Job 7 is still queued", "Job 7 has already succeeded": where a job is, for refusals. */
const WHERE_IT_IS: Record<JobState, string> = {
  queued: 'is still queued',
  running: 'is still running',
  succeeded: 'has already succeeded',
  failed: 'has already failed',
  cancelled: 'has already been cancelled',
};

export type JobsService = ReturnType<typeof createJobsService>;

/** What the API does with jobs: read them, cancel and retry them, and queue a whole module or course. */
export function createJobsService(deps: {
  db: Db;
  jobs: JobsRepository;
  courses: CoursesRepository;
  modules: ModulesRepository;
  items: ItemsRepository;
  artifacts: ArtifactsRepository;
  mediaSources: MediaSourcesRepository;
  maxAttempts: number;
  /**
   * Whether an item's notes are still those its transcript and today's summarizer settings
   * would give (summaries.service.ts); notes that are not are redone by a bulk summarize.
   */
  summaryIsCurrent?: (summary: ArtifactRow, transcript: ArtifactRow) => boolean;
  /** Tells the in-process runner that work is waiting, so it need not wait for its next poll. */
  onEnqueued?: () => void;
  /** Lets the in-process runner abort a job it runs now instead of at its next heartbeat. */
  onCancelRequested?: (jobId: number) => void;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());

  const get = (id: number, tx?: DbOrTx): JobRow => {
    const job = deps.jobs.get(id, tx);
    if (!job) throw createJobNotFoundError({ message: `No job ${id}.` });
    return job;
  };

  const assertCourse = (courseId: number) => {
    if (!deps.courses.get(courseId)) {
      throw courseErrors.courseNotFound({
        message: `No course ${courseId} in the cache. Refresh your courses first.`,
      });
    }
  };

  /** Items in module position order; a course's come module by module. */
  const itemsIn = (scope: BulkScope, tx: DbOrTx): ItemRow[] => {
    if ('moduleId' in scope) return deps.items.listByModule(scope.moduleId, tx);
    return deps.modules
      .listByCourse(scope.courseId, tx)
      .flatMap((module) => deps.items.listByModule(module.id, tx));
  };

  return {
    get,

    list(filter: ListJobsFilter) {
      return deps.jobs.list(filter);
    },

    /**
     * A queued job is cancelled at once; a running one is flagged and its worker aborts it (at
     * once when it runs in this process, else at its next heartbeat), so `pending` says the job
     * is still `running` for a moment. The read and the write share one IMMEDIATE transaction so
     * that a job finishing meanwhile in another process is reported as finished, not cancelled.
     */
    cancel(id: number): { job: JobRow; pending: boolean } {
      const job = deps.db.transaction(
        (tx) => {
          const current = get(id, tx);
          if (FINISHED.includes(current.state)) {
            throw createJobNotCancellableError({ message: `Job ${id} ${WHERE_IT_IS[current.state]}.` });
          }
          return deps.jobs.requestCancel(id, now(), tx) ?? current;
        },
        { behavior: 'immediate' },
      );
      const pending = job.state === 'running';
      if (pending) deps.onCancelRequested?.(id);
      return { job, pending };
    },

    /**
     * Queues a failed or cancelled job again with a fresh attempt budget. When another job for
     * the same item and kind is already active, that one is returned instead of a duplicate.
     */
    retry(id: number): { job: JobRow } {
      const result = deps.jobs.retry(id, now());
      if (!result) throw createJobNotFoundError({ message: `No job ${id}.` });
      if (result.outcome === 'not_retryable') {
        throw createJobNotRetryableError({
          message: `Job ${id} ${WHERE_IT_IS[result.job.state]}; only a failed or cancelled job can be retried.`,
        });
      }
      if (result.outcome === 'requeued') deps.onEnqueued?.();
      return { job: result.job };
    },

    /**
     * Queues `kind` for every item in scope that has something to work from, in one transaction:
     * either all jobs are queued or none. Items already done are skipped unless `force`
     * (summarize: status SUMMARY_READY; fetch_transcript: a transcript is stored).
     */
    bulkEnqueue(
      scope: BulkScope,
      kind: JobKind,
      options: { force?: boolean; includeReadings?: boolean } = {},
    ): BulkResult {
      if ('moduleId' in scope) {
        if (!deps.modules.get(scope.moduleId)) {
          throw courseErrors.moduleNotFound({
            message: `No module ${scope.moduleId} in the cache. Refresh its course first.`,
          });
        }
      } else {
        assertCourse(scope.courseId);
      }
      const at = now();
      let created = 0;
      const result = deps.db.transaction(
        (tx): BulkResult => {
          const items = itemsIn(scope, tx);
          const artifactsOf = new Map<number, { transcript?: ArtifactRow; summary?: ArtifactRow }>();
          for (const artifact of deps.artifacts.listForItems(
            items.map((item) => item.id),
            tx,
          )) {
            if (artifact.kind === 'cues') continue;
            artifactsOf.set(artifact.itemId, {
              ...artifactsOf.get(artifact.itemId),
              [artifact.kind]: artifact,
            });
          }
          const sourcesOf = new Map<number, { provider: string; status: string }[]>();
          for (const source of deps.mediaSources.listForItems(
            items.map((item) => item.id),
            tx,
          )) {
            sourcesOf.set(source.itemId, [...(sourcesOf.get(source.itemId) ?? []), source]);
          }
          const out: BulkResult = { jobs: [], skipped: [] };
          for (const item of items) {
            const { transcript, summary } = artifactsOf.get(item.id) ?? {};
            const hasTranscript = transcript !== undefined;
            const sources = sourcesOf.get(item.id) ?? [];
            // Notes can be made from a stored transcript even if its recording is gone.
            if (!canHaveTranscript(sources) && !(kind === 'summarize' && hasTranscript)) {
              out.skipped.push({ itemId: item.id, reason: 'no_transcript_source' });
              continue;
            }
            if (
              sources.length > 0 &&
              !bulkCovers(sources, { includeReadings: options.includeReadings ?? false })
            ) {
              out.skipped.push({ itemId: item.id, reason: 'reading_excluded' });
              continue;
            }
            // A transcript made without some of the item's recordings is fetched again, all of
            // it: the missing ones may have captions by now.
            const retryMissing = kind === 'fetch_transcript' && hasTranscript && hasFailedSource(sources);
            // Notes made with other settings (say, NOTES_LANGUAGE changed) are not done.
            const staleNotes =
              kind === 'summarize' &&
              transcript !== undefined &&
              summary !== undefined &&
              deps.summaryIsCurrent !== undefined &&
              !deps.summaryIsCurrent(summary, transcript);
            if (isDone(kind, item.status, hasTranscript) && !options.force && !retryMissing && !staleNotes) {
              out.skipped.push({ itemId: item.id, reason: 'already_done' });
              continue;
            }
            const force = options.force || retryMissing;
            const { job, created: isNew } = deps.jobs.enqueue(tx, {
              kind,
              itemId: item.id,
              payload: { item_id: item.id, ...(force ? { force: true } : {}) },
              maxAttempts: deps.maxAttempts,
              now: at,
            });
            if (isNew) created += 1;
            out.jobs.push(job);
          }
          return out;
        },
        { behavior: 'immediate' },
      );
      if (created > 0) deps.onEnqueued?.();
      return result;
    },

    /** How far a course is: its items per status and its jobs per state. */
    progress(courseId: number): CourseProgress {
      assertCourse(courseId);
      return deps.db.transaction((tx) => {
        const items = itemsIn({ courseId }, tx);
        const byStatus = Object.fromEntries(ITEM_STATUSES.map((status) => [status, 0])) as Record<
          ItemStatus,
          number
        >;
        for (const item of items) byStatus[item.status] += 1;
        return {
          courseId,
          total: items.length,
          byStatus,
          jobs: deps.jobs.countByStateInCourse(courseId, tx),
        };
      });
    },
  };
}
