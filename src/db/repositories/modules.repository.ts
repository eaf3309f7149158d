import { and, asc, count, eq, getTableColumns, inArray, notInArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../client.ts';
import { preparedOnce } from '../prepared.ts';
import { items, type ModuleRow, modules } from '../schema.ts';

export interface ModuleInput {
  id: number;
  courseId: number;
  title: string;
  position: number;
}

export type ModuleWithCount = ModuleRow & { itemCount: number };
export type ModulesRepository = ReturnType<typeof createModulesRepository>;

export function createModulesRepository({ db }: { db: Db }) {
  const withCounts = (tx: DbOrTx, rows: ModuleRow[]): ModuleWithCount[] => {
    if (rows.length === 0) return [];
    const counts = new Map(
      tx
        .select({ moduleId: items.moduleId, n: count() })
        .from(items)
        .where(
          inArray(
            items.moduleId,
            rows.map((row) => row.id),
          ),
        )
        .groupBy(items.moduleId)
        .all()
        .map((row) => [row.moduleId, row.n]),
    );
    return rows.map((row) => ({ ...row, itemCount: counts.get(row.id) ?? 0 }));
  };

  // Behind every module page, prepared once (see preparedOnce: it joins `tx`).
  const getWithCount = preparedOnce(() =>
    db
      .select({
        ...getTableColumns(modules),
        // Spelled out: in a one-table select Drizzle leaves columns unqualified, which inside
        // the subquery would name the items' own columns.
        itemCount: sql<number>`(select count(*) from items c where c.module_id = modules.id)`,
      })
      .from(modules)
      .where(eq(modules.id, sql.placeholder('id')))
      .prepare(),
  );

  return {
    listByCourse(courseId: number, tx: DbOrTx = db): ModuleWithCount[] {
      const rows = tx
        .select()
        .from(modules)
        .where(eq(modules.courseId, courseId))
        .orderBy(asc(modules.position), asc(modules.id))
        .all();
      return withCounts(tx, rows);
    },

    get(id: number, _tx: DbOrTx = db): ModuleWithCount | undefined {
      return getWithCount().get({ id });
    },

    upsert(tx: DbOrTx, input: ModuleInput, now: Date): 'added' | 'updated' | 'unchanged' {
      const existing = tx.select().from(modules).where(eq(modules.id, input.id)).get();
      if (!existing) {
        tx.insert(modules)
          .values({ ...input, lastSyncedAt: now, createdAt: now, updatedAt: now })
          .run();
        return 'added';
      }
      const same =
        existing.courseId === input.courseId &&
        existing.title === input.title &&
        existing.position === input.position;
      tx.update(modules)
        .set(same ? { lastSyncedAt: now } : { ...input, lastSyncedAt: now, updatedAt: now })
        .where(eq(modules.id, input.id))
        .run();
      return same ? 'unchanged' : 'updated';
    },

    /** Deletes the course's modules not in `keepIds` (their items cascade); returns their ids. */
    removeMissing(tx: DbOrTx, courseId: number, keepIds: number[]): number[] {
      const where = keepIds.length
        ? and(eq(modules.courseId, courseId), notInArray(modules.id, keepIds))
        : eq(modules.courseId, courseId);
      const doomed = tx
        .select({ id: modules.id })
        .from(modules)
        .where(where)
        .all()
        .map((row) => row.id);
      if (doomed.length) tx.delete(modules).where(inArray(modules.id, doomed)).run();
      return doomed;
    },
  };
}
