import {
  and,
  asc,
  count,
  eq,
  getTableColumns,
  inArray,
  isNull,
  notInArray,
  type SQL,
  sql,
} from 'drizzle-orm';
import type { Db, DbOrTx } from '../client.ts';
import { type ItemRow, type ItemStatus, items, modules } from '../schema.ts';

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
}

/** Filters of `list`; each is optional and they combine with AND. */
export interface ListItemsFilter {
  courseId?: number;
  moduleId?: number;
  /** Any of these statuses; an empty list filters nothing. */
  statuses?: readonly ItemStatus[];
  /** A provider name, or `null` for items that link to no recording. */
  provider?: string | null;
  /** Case-insensitive substring of the title, taken literally (`%` and `_` are not wildcards). */
  search?: string;
  limit: number;
  offset: number;
}

export type ItemsRepository = ReturnType<typeof createItemsRepository>;

/**
 * SQLite's own `lower()` folds ASCII only, so "Übung" would not match a search for "übung";
 * this function folds the way JavaScript does, and the search text is folded the same way.
 */
const FOLD_FUNCTION = 'canvas_notes_fold';
const fold = (text: string) => text.toLowerCase();

/** `%`, `_` and the escape character itself match literally under `ESCAPE '\'`. */
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

export function createItemsRepository({ db }: { db: Db }) {
  db.$client.function(FOLD_FUNCTION, { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? fold(value) : value,
  );

  const listConditions = (filter: ListItemsFilter): SQL | undefined =>
    and(
      filter.courseId === undefined ? undefined : eq(items.courseId, filter.courseId),
      filter.moduleId === undefined ? undefined : eq(items.moduleId, filter.moduleId),
      filter.statuses?.length ? inArray(items.status, [...filter.statuses]) : undefined,
      filter.provider === undefined
        ? undefined
        : filter.provider === null
          ? isNull(items.provider)
          : eq(items.provider, filter.provider),
      filter.search
        ? sql`${sql.raw(FOLD_FUNCTION)}(${items.title}) like ${`%${escapeLike(fold(filter.search))}%`} escape '\\'`
        : undefined,
    );

  return {
    /**
     * A page of items in course order: by course id, then module position, then item position
     * (ids break ties), with the number of items matching in all.
     */
    list(filter: ListItemsFilter, tx: DbOrTx = db): { rows: ItemRow[]; total: number } {
      const where = listConditions(filter);
      const rows = tx
        .select(getTableColumns(items))
        .from(items)
        .innerJoin(modules, eq(modules.id, items.moduleId))
        .where(where)
        .orderBy(
          asc(items.courseId),
          asc(modules.position),
          asc(modules.id),
          asc(items.position),
          asc(items.id),
        )
        .limit(filter.limit)
        .offset(filter.offset)
        .all();
      const total = tx.select({ n: count() }).from(items).where(where).get()?.n ?? 0;
      return { rows, total };
    },

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

    /** The first source's provider and URL, and the page or file version they were read from. */
    setDiscovery(
      tx: DbOrTx,
      id: number,
      update: { provider: string | null; mediaUrl: string | null; contentVersion?: string | null },
      now: Date,
    ): void {
      tx.update(items)
        .set({ ...update, updatedAt: now })
        .where(eq(items.id, id))
        .run();
    },

    /** Records the page or file version an item was read (or refused) at, and nothing else. */
    setContentVersion(tx: DbOrTx, id: number, contentVersion: string, now: Date): void {
      tx.update(items).set({ contentVersion, updatedAt: now }).where(eq(items.id, id)).run();
    },

    /** The content version each item's page or file was last read at, by item id. */
    contentVersions(ids: number[], tx: DbOrTx = db): Map<number, string | null> {
      if (ids.length === 0) return new Map();
      return new Map(
        tx
          .select({ id: items.id, version: items.contentVersion })
          .from(items)
          .where(inArray(items.id, ids))
          .all()
          .map((row) => [row.id, row.version]),
      );
    },

    /** Ids of the items of these courses. */
    idsInCourses(tx: DbOrTx, courseIds: number[]): number[] {
      if (courseIds.length === 0) return [];
      return tx
        .select({ id: items.id })
        .from(items)
        .where(inArray(items.courseId, courseIds))
        .all()
        .map((row) => row.id);
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
