import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../client.ts';
import { preparedOnce } from '../prepared.ts';
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

export type ArtifactsRepository = ReturnType<typeof createArtifactsRepository>;

export function createArtifactsRepository({ db }: { db: Db }) {
  // The reads behind the item pages, prepared once (see preparedOnce: they join `tx`). A list of
  // ids is bound as one JSON array, so one statement serves any number of items.
  const reads = {
    forItem: preparedOnce(() =>
      db
        .select()
        .from(artifacts)
        .where(eq(artifacts.itemId, sql.placeholder('itemId')))
        .orderBy(asc(artifacts.id))
        .prepare(),
    ),
    forItems: preparedOnce(() =>
      db
        .select()
        .from(artifacts)
        .where(sql`${artifacts.itemId} in (select value from json_each(${sql.placeholder('ids')}))`)
        // The unique index's order, which an IN list of ids gave before.
        .orderBy(asc(artifacts.itemId), asc(artifacts.kind))
        .prepare(),
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
      return reads.forItem().all({ itemId });
    },

    listForItems(itemIds: number[], _tx: DbOrTx = db): ArtifactRow[] {
      if (itemIds.length === 0) return [];
      return reads.forItems().all({ ids: JSON.stringify(itemIds) });
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
