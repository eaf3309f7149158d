import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { MediaRef } from '../../transcripts/transcript-provider.ts';
import type { Db, DbOrTx } from '../client.ts';
import { bound, preparedOnce } from '../prepared.ts';
import { rowReader } from '../row-reader.ts';
import { type MediaSourceRow, mediaSources, type SourceStatus } from '../schema.ts';

export type MediaSourcesRepository = ReturnType<typeof createMediaSourcesRepository>;

/** `provider:ref`: what makes two sources the same recording. */
export const sourceKey = (source: { provider: string; ref: string }) => `${source.provider}:${source.ref}`;

export function createMediaSourcesRepository({ db }: { db: Db }) {
  // The reads behind the item pages and the sync (see row-reader.ts). A list of ids is bound as
  // one JSON array, so one statement serves any number of items.
  const rows = rowReader(db, mediaSources);
  const reads = {
    forItem: rows.prepare(
      `select ${rows.columns} from media_sources where item_id = @itemId order by position, id`,
    ),
    forItems: rows.prepare(
      `select ${rows.columns} from media_sources
        where item_id in (select value from json_each(@ids)) order by item_id, position, id`,
    ),
  };
  const listForItem = (itemId: number, _tx: DbOrTx = db): MediaSourceRow[] => reads.forItem.all({ itemId });

  // Prepared once (see preparedOnce: they join `tx`).
  const statements = {
    update: preparedOnce(() =>
      db
        .update(mediaSources)
        .set({
          position: bound<number>('position'),
          url: bound<string | null>('url'),
          title: bound<string | null>('title'),
          foundIn: bound<string>('foundIn'),
          details: bound<Record<string, string>>('details'),
          updatedAt: bound<Date>('now'),
        })
        .where(eq(mediaSources.id, sql.placeholder('id')))
        .prepare(),
    ),
    insert: preparedOnce(() =>
      db
        .insert(mediaSources)
        .values({
          itemId: sql.placeholder('itemId'),
          provider: sql.placeholder('provider'),
          ref: sql.placeholder('ref'),
          position: sql.placeholder('position'),
          url: sql.placeholder('url'),
          title: sql.placeholder('title'),
          foundIn: sql.placeholder('foundIn'),
          details: sql.placeholder('details'),
          createdAt: sql.placeholder('now'),
          updatedAt: sql.placeholder('now'),
        })
        .returning()
        .prepare(),
    ),
  };

  const replace = (
    tx: DbOrTx,
    itemId: number,
    refs: readonly MediaRef[],
    now: Date,
    current: readonly MediaSourceRow[],
  ): { changed: boolean; sources: MediaSourceRow[] } => {
    const existing = current.filter((row) => row.provider !== 'upload');
    const byKey = new Map(existing.map((row) => [sourceKey(row), row]));
    const wanted = new Set<string>();
    const after = current.filter((row) => row.provider === 'upload');
    let changed = false;
    refs.forEach((ref, index) => {
      const key = sourceKey(ref);
      if (wanted.has(key)) return;
      wanted.add(key);
      const fields = {
        position: index + 1,
        url: ref.url,
        title: ref.title ?? null,
        foundIn: ref.foundIn,
        details: { ...ref.details },
      };
      const row = byKey.get(key);
      if (row) {
        statements.update().run({ id: row.id, ...fields, now });
        after.push({ ...row, ...fields, updatedAt: now });
        // A new passcode or host may make a failed fetch succeed.
        if (JSON.stringify(row.details) !== JSON.stringify(fields.details)) changed = true;
        return;
      }
      changed = true;
      const inserted = statements
        .insert()
        .get({ itemId, provider: ref.provider, ref: ref.ref, ...fields, now });
      if (inserted) after.push(inserted);
    });
    const gone = existing.filter((row) => !wanted.has(sourceKey(row))).map((row) => row.id);
    if (gone.length) {
      changed = true;
      tx.delete(mediaSources).where(inArray(mediaSources.id, gone)).run();
    }
    // Already in listForItem's order: the upload (position 0) first, then refs by position.
    return { changed, sources: after };
  };

  return {
    listForItem,

    listForItems(itemIds: number[], _tx: DbOrTx = db): MediaSourceRow[] {
      if (itemIds.length === 0) return [];
      return reads.forItems.all({ ids: JSON.stringify(itemIds) });
    },

    /**
     * Makes the item's discovered sources exactly `refs`, in order: a source already known keeps
     * its row, status and error; new ones are `found`; the rest go. An upload is the user's and
     * is never replaced by discovery. Returns whether the set of recordings changed.
     */
    replaceDiscovered(tx: DbOrTx, itemId: number, refs: readonly MediaRef[], now: Date): boolean {
      return replace(tx, itemId, refs, now, listForItem(itemId, tx)).changed;
    },

    /**
     * `replaceDiscovered` for a caller that read the item's sources already (`current`, the
     * sync reads a whole course's at once), also returning the sources the item holds after,
     * as `listForItem` would list them, without reading them again.
     */
    replaceDiscoveredFrom(
      tx: DbOrTx,
      itemId: number,
      refs: readonly MediaRef[],
      now: Date,
      current: readonly MediaSourceRow[],
    ): { changed: boolean; sources: MediaSourceRow[] } {
      return replace(tx, itemId, refs, now, current);
    },

    /** The user's upload becomes the item's first source, replacing an earlier upload. */
    putUpload(tx: DbOrTx, itemId: number, details: Record<string, string>, now: Date): void {
      tx.delete(mediaSources)
        .where(and(eq(mediaSources.itemId, itemId), eq(mediaSources.provider, 'upload')))
        .run();
      tx.insert(mediaSources)
        .values({
          itemId,
          position: 0,
          provider: 'upload',
          ref: 'upload',
          url: null,
          title: null,
          foundIn: 'upload',
          details,
          status: 'ready',
          createdAt: now,
          updatedAt: now,
        })
        .run();
    },

    removeUpload(tx: DbOrTx, itemId: number): void {
      tx.delete(mediaSources)
        .where(and(eq(mediaSources.itemId, itemId), eq(mediaSources.provider, 'upload')))
        .run();
    },

    /** Puts discovered sources back to `found`, as after a reset. */
    resetStatuses(tx: DbOrTx, itemId: number, now: Date): void {
      tx.update(mediaSources)
        .set({ status: 'found', errorCode: null, error: null, updatedAt: now })
        .where(and(eq(mediaSources.itemId, itemId), ne(mediaSources.provider, 'upload')))
        .run();
    },

    setStatus(
      tx: DbOrTx,
      id: number,
      update: { status: SourceStatus; errorCode?: string | null; error?: string | null },
      now: Date,
    ): void {
      tx.update(mediaSources)
        .set({
          status: update.status,
          errorCode: update.errorCode ?? null,
          error: update.error ?? null,
          updatedAt: now,
        })
        .where(eq(mediaSources.id, id))
        .run();
    },
  };
}
