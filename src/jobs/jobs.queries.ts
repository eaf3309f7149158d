import { and, asc, count, desc, eq, gt, inArray, ne, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { preparedOnce } from '../db/prepared.ts';
import { items, JOB_STATES, type JobKind, type JobRow, type JobState, jobs } from '../db/schema.ts';

/** Filters for `list`; every filter is optional and they combine with AND. */
export type ListJobsFilter = {
  state?: JobState;
  kind?: JobKind;
  itemId?: number;
  itemIds?: readonly number[];
  /** Jobs of any item of this course (matched through `items.course_id`). */
  courseId?: number;
  limit: number;
  offset: number;
};

const ACTIVE_STATES = ['queued', 'running'] as const satisfies readonly JobState[];
/** Keeps `IN (...)` lists well under SQLite's bound-parameter limit. */
const IN_CHUNK = 500;

const isActive = () => inArray(jobs.state, ACTIVE_STATES);

/** Read-only job queries, split from the write side to keep each file small. */
export function createJobsQueries({ db }: { db: DbOrTx }) {
  function get(id: number, tx: DbOrTx = db): JobRow | null {
    return tx.select().from(jobs).where(eq(jobs.id, id)).get() ?? null;
  }

  function activeByKey(idempotencyKey: string, tx: DbOrTx = db): JobRow | null {
    return (
      tx
        .select()
        .from(jobs)
        .where(and(eq(jobs.idempotencyKey, idempotencyKey), isActive()))
        .get() ?? null
    );
  }

  /** Newest first (creation time, then id), with the total matching count for pagination. */
  function list(filter: ListJobsFilter, tx: DbOrTx = db): { jobs: JobRow[]; total: number } {
    if (filter.itemIds && filter.itemIds.length === 0) return { jobs: [], total: 0 };
    const conditions: (SQL | undefined)[] = [
      filter.state ? eq(jobs.state, filter.state) : undefined,
      filter.kind ? eq(jobs.kind, filter.kind) : undefined,
      filter.itemId === undefined ? undefined : eq(jobs.itemId, filter.itemId),
      filter.itemIds ? inArray(jobs.itemId, [...filter.itemIds]) : undefined,
      filter.courseId === undefined
        ? undefined
        : inArray(
            jobs.itemId,
            tx.select({ id: items.id }).from(items).where(eq(items.courseId, filter.courseId)),
          ),
    ];
    const where = and(...conditions);
    const rows = tx
      .select()
      .from(jobs)
      .where(where)
      .orderBy(desc(jobs.createdAt), desc(jobs.id))
      .limit(filter.limit)
      .offset(filter.offset)
      .all();
    const total = tx.select({ n: count() }).from(jobs).where(where).get()?.n ?? 0;
    return { jobs: rows, total };
  }

  /**
   * Whether a job of the item is running under a live lease (in any process), other than
   * `exceptJobId`: the one thing that may be writing the item's files right now.
   */
  function hasLiveJob(itemId: number, now: Date, exceptJobId?: number, tx: DbOrTx = db): boolean {
    const row = tx
      .select({ id: jobs.id })
      .from(jobs)
      .where(
        and(
          eq(jobs.itemId, itemId),
          eq(jobs.state, 'running'),
          gt(jobs.leaseExpiresAt, now),
          exceptJobId === undefined ? undefined : ne(jobs.id, exceptJobId),
        ),
      )
      .get();
    return row !== undefined;
  }

  /** The queued or running jobs of one item (at most one per kind). */
  // Behind every item page, prepared once (see preparedOnce: it joins `tx`).
  const activeOfItem = preparedOnce(() =>
    db
      .select()
      .from(jobs)
      .where(and(eq(jobs.itemId, sql.placeholder('itemId')), isActive()))
      .orderBy(asc(jobs.id))
      .prepare(),
  );
  function activeForItem(itemId: number, _tx: DbOrTx = db): JobRow[] {
    return activeOfItem().all({ itemId });
  }

  /** Active jobs grouped by item id; items without one are absent from the map. */
  function activeForItems(itemIds: readonly number[], tx: DbOrTx = db): Map<number, JobRow[]> {
    const byItem = new Map<number, JobRow[]>();
    for (let start = 0; start < itemIds.length; start += IN_CHUNK) {
      const chunk = itemIds.slice(start, start + IN_CHUNK);
      const rows = tx
        .select()
        .from(jobs)
        .where(and(inArray(jobs.itemId, chunk), isActive()))
        .orderBy(asc(jobs.id))
        .all();
      for (const row of rows) {
        if (row.itemId === null) continue;
        const list = byItem.get(row.itemId) ?? [];
        list.push(row);
        byItem.set(row.itemId, list);
      }
    }
    return byItem;
  }

  const countStates = (tx: DbOrTx, where?: SQL): Record<JobState, number> => {
    const counts = Object.fromEntries(JOB_STATES.map((state) => [state, 0])) as Record<JobState, number>;
    const rows = tx
      .select({ state: jobs.state, n: count() })
      .from(jobs)
      .where(where)
      .groupBy(jobs.state)
      .all();
    for (const row of rows) counts[row.state] = row.n;
    return counts;
  };

  /** Every state is present, zero when no job is in it. */
  function countByState(tx: DbOrTx = db): Record<JobState, number> {
    return countStates(tx);
  }

  /** Like `countByState`, for the jobs of one course's items. */
  function countByStateInCourse(courseId: number, tx: DbOrTx = db): Record<JobState, number> {
    return countStates(
      tx,
      inArray(jobs.itemId, tx.select({ id: items.id }).from(items).where(eq(items.courseId, courseId))),
    );
  }

  /**
   * When the earliest queued job that is not yet available becomes claimable, or null. Lets
   * `runUntilEmpty` wait out a retry backoff instead of stopping early.
   */
  function nextAvailableAt(now: Date, kinds?: readonly JobKind[], tx: DbOrTx = db): Date | null {
    const row = tx
      .select({ availableAt: jobs.availableAt })
      .from(jobs)
      .where(
        and(
          eq(jobs.state, 'queued'),
          gt(jobs.availableAt, now),
          kinds?.length ? inArray(jobs.kind, [...kinds]) : undefined,
        ),
      )
      .orderBy(asc(jobs.availableAt))
      .limit(1)
      .get();
    return row?.availableAt ?? null;
  }

  return {
    get,
    activeByKey,
    list,
    activeForItem,
    activeForItems,
    hasLiveJob,
    countByState,
    countByStateInCourse,
    nextAvailableAt,
  };
}
