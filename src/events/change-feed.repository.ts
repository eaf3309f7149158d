import { asc, eq, getTableColumns, gt, inArray, max, min } from 'drizzle-orm';
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
