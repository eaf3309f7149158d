import type { Db } from '../db/client.ts';
import type { ArtifactsRepository } from '../db/repositories/artifacts.repository.ts';
import type { ItemsRepository } from '../db/repositories/items.repository.ts';
import type { ModulesRepository } from '../db/repositories/modules.repository.ts';
import type { ItemRow, JobKind, JobRow } from '../db/schema.ts';
import type { JobsRepository } from '../jobs/jobs.repository.ts';
import { createErrorFactory } from '../shared/errors.ts';
import type { TranscriptsService } from '../transcripts/transcripts.service.ts';

export const itemNotFound = createErrorFactory({
  code: 'item.not_found',
  statusCode: 404,
  message: 'No such item. Refresh its course to sync it from Canvas.',
});

export type ItemsService = ReturnType<typeof createItemsService>;

/** Reads items and turns the user's actions on them into jobs. */
export function createItemsService(deps: {
  db: Db;
  items: ItemsRepository;
  modules: ModulesRepository;
  artifacts: ArtifactsRepository;
  jobs: JobsRepository;
  transcripts: TranscriptsService;
  maxAttempts: number;
  /** Tells the in-process runner that work is waiting, so it need not wait for its next poll. */
  onEnqueued?: () => void;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());

  const getItem = (id: number): ItemRow => {
    const item = deps.items.get(id);
    if (!item) throw itemNotFound({ message: `No item ${id}. Refresh its course to sync it from Canvas.` });
    return item;
  };

  return {
    getItem,

    /** The item with its files and the job currently queued or running for it, if any. */
    getDetail(id: number) {
      const item = getItem(id);
      const artifacts = deps.artifacts.listForItem(id);
      // Both kinds may be active at once; the newest is what the user asked for last.
      const job = deps.jobs.activeForItem(id).sort((a, b) => b.id - a.id)[0] ?? null;
      return { item, artifacts, job };
    },

    listByModule(moduleId: number) {
      const rows = deps.items.listByModule(moduleId);
      const artifacts = deps.artifacts.listForItems(rows.map((row) => row.id));
      return rows.map((item) => ({ item, artifacts: artifacts.filter((a) => a.itemId === item.id) }));
    },

    /**
     * Queues `kind` for the item, or returns the job already queued or running for it: the
     * same work never runs twice at once. `summarize` fetches the transcript first when needed.
     */
    requestJob(
      itemId: number,
      kind: JobKind,
      options: { force?: boolean } = {},
    ): { job: JobRow; created: boolean } {
      const item = getItem(itemId);
      // Notes can be made from a transcript we already hold even if its source is gone.
      if (kind === 'fetch_transcript' || !deps.artifacts.find(itemId, 'transcript')) {
        deps.transcripts.assertFetchable(item);
      }
      const result = deps.db.transaction((tx) =>
        deps.jobs.enqueue(tx, {
          kind,
          itemId,
          payload: { item_id: itemId, ...(options.force ? { force: true } : {}) },
          maxAttempts: deps.maxAttempts,
          now: now(),
        }),
      );
      if (result.created) deps.onEnqueued?.();
      return result;
    },
  };
}
