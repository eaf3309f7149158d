import { and, eq } from 'drizzle-orm';
import type { Db, DbOrTx } from '../client.ts';
import { preparedOnce } from '../prepared.ts';
import { rowReader } from '../row-reader.ts';
import { type ArtifactKind, type ArtifactRow, artifacts, type SummaryDetails } from '../schema.ts';

export interface ArtifactInput {
  itemId: number;
  kind: ArtifactKind;
  path: string;
  contentHash: string;
  sourceHash: string | null;
  model: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  /** Only summaries carry details; leaving it out stores null. */
  details?: SummaryDetails | null;
  bytes: number;
}

/** An item's file, as the item lists show it. */
export type ArtifactFile = Pick<ArtifactRow, 'itemId' | 'kind' | 'path'>;

export type ArtifactsRepository = ReturnType<typeof createArtifactsRepository>;

export function createArtifactsRepository({ db }: { db: Db }) {
  // The reads behind the item pages (see row-reader.ts). A list of ids is bound as one JSON
  // array, so one statement serves any number of items.
  const rows = rowReader(db, artifacts);
  const reads = {
    forItem: rows.prepare(`select ${rows.columns} from artifacts where item_id = @itemId order by id`),
    // The unique index's order, which an IN list of ids gave before.
    forItems: rows.prepare(
      `select ${rows.columns} from artifacts
        where item_id in (select value from json_each(@ids)) order by item_id, kind`,
    ),
    files: preparedOnce(() =>
      db.$client.prepare(
        `select item_id as itemId, kind, path from artifacts
          where item_id in (select value from json_each(@ids)) and kind in ('transcript', 'summary')
          order by item_id, kind`,
      ),
    ),
  };

  return {
    get(id: number, tx: DbOrTx = db): ArtifactRow | undefined {
      return tx.select().from(artifacts).where(eq(artifacts.id, id)).get();
    },

    find(itemId: number, kind: ArtifactKind, tx: DbOrTx = db): ArtifactRow | undefined {
      return tx
        .select()
        .from(artifacts)
        .where(and(eq(artifacts.itemId, itemId), eq(artifacts.kind, kind)))
        .get();
    },

    listForItem(itemId: number, _tx: DbOrTx = db): ArtifactRow[] {
      return reads.forItem.all({ itemId });
    },

    listForItems(itemIds: number[], _tx: DbOrTx = db): ArtifactRow[] {
      if (itemIds.length === 0) return [];
      return reads.forItems.all({ ids: JSON.stringify(itemIds) });
    },

    /** The items' transcripts and notes, by kind and path: what the item lists show of them. */
    listFilesForItems(itemIds: number[]): ArtifactFile[] {
      if (itemIds.length === 0) return [];
      return reads.files().all({ ids: JSON.stringify(itemIds) }) as ArtifactFile[];
    },

    /** Records the item's current file of this kind, replacing the previous record. */
    put(tx: DbOrTx, input: ArtifactInput, now: Date): ArtifactRow {
      return tx
        .insert(artifacts)
        .values({ ...input, details: input.details ?? null, createdAt: now })
        .onConflictDoUpdate({
          target: [artifacts.itemId, artifacts.kind],
          set: { ...input, details: input.details ?? null, createdAt: now },
        })
        .returning()
        .get();
    },

    removeForItem(tx: DbOrTx, itemId: number): void {
      tx.delete(artifacts).where(eq(artifacts.itemId, itemId)).run();
    },
  };
}
