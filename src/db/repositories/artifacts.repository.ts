import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db, DbOrTx } from '../client.ts';
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

    listForItem(itemId: number, tx: DbOrTx = db): ArtifactRow[] {
      return tx.select().from(artifacts).where(eq(artifacts.itemId, itemId)).orderBy(asc(artifacts.id)).all();
    },

    listForItems(itemIds: number[], tx: DbOrTx = db): ArtifactRow[] {
      if (itemIds.length === 0) return [];
      return tx.select().from(artifacts).where(inArray(artifacts.itemId, itemIds)).all();
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
