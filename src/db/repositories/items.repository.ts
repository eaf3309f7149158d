import { and, asc, eq, inArray, notInArray, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../client.ts';
import { type ItemRow, type ItemStatus, items } from '../schema.ts';

/** The fields a Canvas sync owns; status, error and notes belong to canvas-notes. */
export interface ItemInput {
  id: number;
  moduleId: number;
  courseId: number;
  position: number;
  type: string;
  title: string;
  indent: number;
  canvasUrl: string | null;
  externalUrl: string | null;
  apiUrl: string | null;
  pageUrl: string | null;
  contentId: number | null;
  canvasHash: string;
  provider: string | null;
  mediaUrl: string | null;
}

export type ItemsRepository = ReturnType<typeof createItemsRepository>;

export function createItemsRepository({ db }: { db: Db }) {
  return {
    get(id: number, tx: DbOrTx = db): ItemRow | undefined {
      return tx.select().from(items).where(eq(items.id, id)).get();
    },

    listByModule(moduleId: number, tx: DbOrTx = db): ItemRow[] {
      return tx
        .select()
        .from(items)
        .where(eq(items.moduleId, moduleId))
        .orderBy(asc(items.position), asc(items.id))
        .all();
    },

    /** Inserts a new item or refreshes its Canvas fields, keeping its status and notes. */
    upsert(tx: DbOrTx, input: ItemInput, now: Date): 'added' | 'updated' | 'unchanged' {
      const existing = tx
        .select({ canvasHash: items.canvasHash })
        .from(items)
        .where(eq(items.id, input.id))
        .get();
      if (!existing) {
        tx.insert(items)
          .values({ ...input, status: 'DISCOVERED', createdAt: now, updatedAt: now })
          .run();
        return 'added';
      }
      if (existing.canvasHash === input.canvasHash) return 'unchanged';
      tx.update(items)
        .set({ ...input, updatedAt: now })
        .where(eq(items.id, input.id))
        .run();
      return 'updated';
    },

    /** Ids of the items in scope that are not in `keepIds`: gone from Canvas. */
    findMissing(tx: DbOrTx, scope: { courseId: number } | { moduleId: number }, keepIds: number[]): number[] {
      const conditions: SQL[] = [
        'courseId' in scope ? eq(items.courseId, scope.courseId) : eq(items.moduleId, scope.moduleId),
      ];
      if (keepIds.length) conditions.push(notInArray(items.id, keepIds));
      return tx
        .select({ id: items.id })
        .from(items)
        .where(and(...conditions))
        .all()
        .map((row) => row.id);
    },

    removeMany(tx: DbOrTx, ids: number[]): void {
      if (ids.length) tx.delete(items).where(inArray(items.id, ids)).run();
    },

    setStatus(
      tx: DbOrTx,
      id: number,
      update: { status: ItemStatus; errorCode?: string | null; error?: string | null },
      now: Date,
    ): void {
      tx.update(items)
        .set({
          status: update.status,
          errorCode: update.errorCode ?? null,
          error: update.error ?? null,
          updatedAt: now,
        })
        .where(eq(items.id, id))
        .run();
    },
  };
}
