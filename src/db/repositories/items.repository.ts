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
import { rowReader } from '../row-reader.ts';
import { type ItemRow, type ItemStatus, items, modules } from '../schema.ts';
import { createItemSyncStatements } from './items.sync-statements.ts';

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

  const sync = createItemSyncStatements(db);
  // The reads behind the item pages (see row-reader.ts); like every statement prepared on the
  // one connection, they join the caller's transaction without being handed `tx`.
  const rows = rowReader(db, items);
  const reads = {
    get: rows.prepare(`select ${rows.columns} from items where id = @id`),
    byModule: rows.prepare(
      `select ${rows.columns} from items where module_id = @moduleId order by position, id`,
    ),
  };

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

    get(id: number, _tx: DbOrTx = db): ItemRow | undefined {
      return reads.get.get({ id });
    },

    listByModule(moduleId: number, _tx: DbOrTx = db): ItemRow[] {
      return reads.byModule.all({ moduleId });
    },

    /** Inserts a new item or refreshes its Canvas fields, keeping its status and notes. */
    upsert(_tx: DbOrTx, input: ItemInput, now: Date): 'added' | 'updated' | 'unchanged' {
      const existing = sync.hashOf().get({ id: input.id });
      if (!existing) {
        sync.insert().run({ ...input, now });
        return 'added';
      }
      if (existing.canvasHash === input.canvasHash) return 'unchanged';
      sync.update().run({ ...input, now });
      return 'updated';
    },

    /**
     * What the sync weighs when an item's recordings change, for these items: one read per
     * module or course rather than one per item.
     */
    discoveryStates(
      tx: DbOrTx,
      ids: number[],
    ): Map<number, Pick<ItemRow, 'status' | 'errorCode' | 'mediaUrl'>> {
      if (ids.length === 0) return new Map();
      const rows = tx
        .select({ id: items.id, status: items.status, errorCode: items.errorCode, mediaUrl: items.mediaUrl })
        .from(items)
        .where(inArray(items.id, ids))
        .all();
      return new Map(rows.map(({ id, ...state }) => [id, state]));
    },

    /** The first source's provider and URL, and the page or file version they were read from. */
    setDiscovery(
      _tx: DbOrTx,
      id: number,
      update: { provider: string | null; mediaUrl: string | null; contentVersion?: string | null },
      now: Date,
    ): void {
      // Left out, the content version is left as it is.
      if (update.contentVersion === undefined)
        sync.setSources().run({ id, provider: update.provider, mediaUrl: update.mediaUrl, now });
      else sync.setDiscovery().run({ id, ...update, now });
    },

    /** Records the page or file version an item was read (or refused) at, and nothing else. */
    setContentVersion(_tx: DbOrTx, id: number, contentVersion: string, now: Date): void {
      sync.setContentVersion().run({ id, contentVersion, now });
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
      _tx: DbOrTx,
      id: number,
      update: { status: ItemStatus; errorCode?: string | null; error?: string | null },
      now: Date,
    ): void {
      sync.setStatus().run({
        id,
        status: update.status,
        errorCode: update.errorCode ?? null,
        error: update.error ?? null,
        now,
      });
    },
  };
}
