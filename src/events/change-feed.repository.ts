import { and, asc, count, eq, getTableColumns, gt, inArray, lte, max, min, sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client.ts';
import { type ItemRow, items, type JobRow, jobs } from '../db/schema.ts';

/**
 * The `changes` table of migration 0005, filled only by triggers. Declared here rather than in
 * schema.ts because drizzle-kit must not manage it: the migration owns its triggers.
 */
const changes = sqliteTable('changes', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  entity: text('entity', { enum: ['item', 'item_removed', 'job'] }).notNull(),
  entityId: integer('entity_id').notNull(),
  /** `item_removed` only: where the item was. */
  courseId: integer('course_id'),
  moduleId: integer('module_id'),
});

export type ChangeRow = typeof changes.$inferSelect;

/** Keeps `IN (...)` lists well under SQLite's bound-parameter limit. */
const IN_CHUNK = 500;

/** One entity whichever its changes: an item and its removal share the item's id. */
const entityKey = { job: sql<number>`${changes.entity} = 'job'`, entityId: changes.entityId };

/**
 * A change's course as the stream's filter has it: an item's, and its jobs', is where the item
 * is now; a removed item's is where it was, which only its removal keeps. Primary-key lookups.
 */
const courseOfChange = sql`coalesce(
  (select ${items.courseId} from ${items} where ${changes.entity} <> 'job' and ${items.id} = ${changes.entityId}),
  (select ${items.courseId} from ${jobs} join ${items} on ${items.id} = ${jobs.itemId}
    where ${changes.entity} = 'job' and ${jobs.id} = ${changes.entityId}),
  ${changes.courseId})`;

/** Changes after `from` up to `to`, of one course when given. */
const inRange = (from: number, to: number, courseId?: number) =>
  and(
    gt(changes.seq, from),
    lte(changes.seq, to),
    courseId === undefined ? undefined : sql`${courseOfChange} = ${courseId}`,
  );

export type ChangeFeedRepository = ReturnType<typeof createChangeFeedRepository>;

/** Reads the change feed and the rows it names; writes nothing (the triggers do). */
export function createChangeFeedRepository({ db }: { db: Db }) {
  const inChunks = <T>(ids: readonly number[], read: (chunk: number[]) => T[]): T[] => {
    const rows: T[] = [];
    for (let start = 0; start < ids.length; start += IN_CHUNK)
      rows.push(...read(ids.slice(start, start + IN_CHUNK)));
    return rows;
  };

  return {
    /** The newest change's seq; 0 before the first change. */
    latestSeq(): number {
      return (
        db
          .select({ seq: max(changes.seq) })
          .from(changes)
          .get()?.seq ?? 0
      );
    },

    /** The oldest change still kept, or null when none is. */
    oldestSeq(): number | null {
      return (
        db
          .select({ seq: min(changes.seq) })
          .from(changes)
          .get()?.seq ?? null
      );
    },

    /** Changes after `seq`, oldest first, at most `limit`. */
    after(seq: number, limit: number): ChangeRow[] {
      return db
        .select()
        .from(changes)
        .where(gt(changes.seq, seq))
        .orderBy(asc(changes.seq))
        .limit(limit)
        .all();
    },

    /**
     * Runs `read` in one read transaction, so that all it reads is one snapshot of the database:
     * a prune (or any write) another process commits meanwhile is not seen half-way.
     */
    snapshot<T>(read: () => T): T {
      return db.transaction(read, { behavior: 'deferred' });
    },

    /** How many entities (items, jobs) changed after `from` up to `to`, of one course when given. */
    countChanged(from: number, to: number, courseId?: number): number {
      const touched = db
        .selectDistinct(entityKey)
        .from(changes)
        .where(inRange(from, to, courseId))
        .as('touched');
      return db.select({ count: count() }).from(touched).get()?.count ?? 0;
    },

    /** The changes after `from` up to `to`, oldest first, of one course when given. */
    between(from: number, to: number, courseId?: number): ChangeRow[] {
      return db
        .select()
        .from(changes)
        .where(inRange(from, to, courseId))
        .orderBy(asc(changes.seq))
        .all();
    },

    items(ids: readonly number[]): ItemRow[] {
      return inChunks(ids, (chunk) => db.select().from(items).where(inArray(items.id, chunk)).all());
    },

    /** The jobs with their item's course (null once the item is gone). */
    jobs(ids: readonly number[]): Array<{ job: JobRow; courseId: number | null }> {
      return inChunks(ids, (chunk) =>
        db
          .select({ job: getTableColumns(jobs), courseId: items.courseId })
          .from(jobs)
          .leftJoin(items, eq(items.id, jobs.itemId))
          .where(inArray(jobs.id, chunk))
          .all(),
      );
    },
  };
}
