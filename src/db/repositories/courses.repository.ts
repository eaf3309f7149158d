import { asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../client.ts';
import { artifacts, type CourseRow, courses, items } from '../schema.ts';

export interface CourseInput {
  id: number;
  name: string;
  courseCode: string | null;
  workflowState: string | null;
  termName: string | null;
}

export type CoursesRepository = ReturnType<typeof createCoursesRepository>;

export function createCoursesRepository({ db }: { db: Db }) {
  return {
    list(tx: DbOrTx = db): CourseRow[] {
      return tx.select().from(courses).orderBy(asc(courses.name), asc(courses.id)).all();
    },

    get(id: number, tx: DbOrTx = db): CourseRow | undefined {
      return tx.select().from(courses).where(eq(courses.id, id)).get();
    },

    /** Inserts or updates one course; reports whether a row was added, changed or left alone. */
    upsert(tx: DbOrTx, input: CourseInput, now: Date): 'added' | 'updated' | 'unchanged' {
      const existing = tx.select().from(courses).where(eq(courses.id, input.id)).get();
      if (!existing) {
        tx.insert(courses)
          .values({ ...input, createdAt: now, updatedAt: now })
          .run();
        return 'added';
      }
      const same =
        existing.name === input.name &&
        existing.courseCode === input.courseCode &&
        existing.workflowState === input.workflowState &&
        existing.termName === input.termName;
      if (same) return 'unchanged';
      tx.update(courses)
        .set({ ...input, updatedAt: now })
        .where(eq(courses.id, input.id))
        .run();
      return 'updated';
    },

    /**
     * The courses not in `keepIds` that may go, which excludes those holding transcripts or
     * summaries: a concluded course drops out of Canvas's list, and its notes must not go with it.
     */
    findRemovable(tx: DbOrTx, keepIds: number[]): number[] {
      const withNotes = tx
        .selectDistinct({ courseId: items.courseId })
        .from(artifacts)
        .innerJoin(items, eq(items.id, artifacts.itemId))
        .all()
        .map((row) => row.courseId);
      const protectedIds = [...keepIds, ...withNotes];
      return tx
        .select({ id: courses.id })
        .from(courses)
        .where(protectedIds.length ? notInArray(courses.id, protectedIds) : sql`1 = 1`)
        .all()
        .map((row) => row.id);
    },

    /** Deletes the courses; their modules and items cascade. */
    removeMany(tx: DbOrTx, ids: number[]): void {
      if (ids.length) tx.delete(courses).where(inArray(courses.id, ids)).run();
    },

    markSynced(tx: DbOrTx, id: number, now: Date): void {
      tx.update(courses).set({ lastSyncedAt: now }).where(eq(courses.id, id)).run();
    },
  };
}
