import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import type { MediaRef } from '../../transcripts/transcript-provider.ts';
import type { Db, DbOrTx } from '../client.ts';
import { type MediaSourceRow, mediaSources, type SourceStatus } from '../schema.ts';

export type MediaSourcesRepository = ReturnType<typeof createMediaSourcesRepository>;

/** `provider:ref`: what makes two sources the same recording. */
export const sourceKey = (source: { provider: string; ref: string }) => `${source.provider}:${source.ref}`;

export function createMediaSourcesRepository({ db }: { db: Db }) {
  const listForItem = (itemId: number, tx: DbOrTx = db): MediaSourceRow[] =>
    tx
      .select()
      .from(mediaSources)
      .where(eq(mediaSources.itemId, itemId))
      .orderBy(asc(mediaSources.position), asc(mediaSources.id))
      .all();

  return {
    listForItem,

    listForItems(itemIds: number[], tx: DbOrTx = db): MediaSourceRow[] {
      if (itemIds.length === 0) return [];
      return tx
        .select()
        .from(mediaSources)
        .where(inArray(mediaSources.itemId, itemIds))
        .orderBy(asc(mediaSources.itemId), asc(mediaSources.position), asc(mediaSources.id))
        .all();
    },

    /**
     * Makes the item's discovered sources exactly `refs`, in order: a source already known keeps
     * its row, status and error; new ones are `found`; the rest go. An upload is the user's and
     * is never replaced by discovery. Returns whether the set of recordings changed.
     */
    replaceDiscovered(tx: DbOrTx, itemId: number, refs: readonly MediaRef[], now: Date): boolean {
      const existing = listForItem(itemId, tx).filter((row) => row.provider !== 'upload');
      const byKey = new Map(existing.map((row) => [sourceKey(row), row]));
      const wanted = new Set<string>();
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
          tx.update(mediaSources)
            .set({ ...fields, updatedAt: now })
            .where(eq(mediaSources.id, row.id))
            .run();
          // A new passcode or host may make a failed fetch succeed.
          if (JSON.stringify(row.details) !== JSON.stringify(fields.details)) changed = true;
          return;
        }
        changed = true;
        tx.insert(mediaSources)
          .values({ itemId, provider: ref.provider, ref: ref.ref, ...fields, createdAt: now, updatedAt: now })
          .run();
      });
      const gone = existing.filter((row) => !wanted.has(sourceKey(row))).map((row) => row.id);
      if (gone.length) {
        changed = true;
        tx.delete(mediaSources).where(inArray(mediaSources.id, gone)).run();
      }
      return changed;
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
