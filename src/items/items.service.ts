import { moduleNotFound } from '../courses/courses.service.ts';
import type { Db } from '../db/client.ts';
import type { ArtifactsRepository } from '../db/repositories/artifacts.repository.ts';
import type { ItemsRepository, ListItemsFilter } from '../db/repositories/items.repository.ts';
import type { ModulesRepository } from '../db/repositories/modules.repository.ts';
import type { ArtifactRow, ItemRow, JobKind, JobRow } from '../db/schema.ts';
import type { JobsRepository } from '../jobs/jobs.repository.ts';
import { createErrorFactory } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import type { FileStore } from '../storage/file-store.ts';
import type { SyncService } from '../sync/sync.service.ts';
import type { TranscriptsService } from '../transcripts/transcripts.service.ts';

export const itemNotFound = createErrorFactory({
  code: 'item.not_found',
  statusCode: 404,
  message: 'No such item. Refresh its course to sync it from Canvas.',
});

export const itemJobRunning = createErrorFactory({
  code: 'item.job_running',
  statusCode: 409,
  message: 'A job is running for this item; wait for it to finish or cancel it, then reset.',
});

export type ItemsService = ReturnType<typeof createItemsService>;

/** An item with its files, as the presenters want it. */
export interface ItemWithArtifacts {
  item: ItemRow;
  artifacts: ArtifactRow[];
}

export interface ItemDetail extends ItemWithArtifacts {
  job: JobRow | null;
}

/** Reads items and turns the user's actions on them into jobs. */
export function createItemsService(deps: {
  db: Db;
  items: ItemsRepository;
  modules: ModulesRepository;
  artifacts: ArtifactsRepository;
  jobs: JobsRepository;
  transcripts: TranscriptsService;
  files: FileStore;
  logger: Logger;
  maxAttempts: number;
  /** Tells the in-process runner that work is waiting, so it need not wait for its next poll. */
  onEnqueued?: () => void;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  const logger = deps.logger.child({ module: 'items' });

  const withArtifacts = (rows: ItemRow[]): ItemWithArtifacts[] => {
    const byItem = new Map<number, ArtifactRow[]>();
    for (const artifact of deps.artifacts.listForItems(rows.map((row) => row.id))) {
      byItem.set(artifact.itemId, [...(byItem.get(artifact.itemId) ?? []), artifact]);
    }
    return rows.map((item) => ({ item, artifacts: byItem.get(item.id) ?? [] }));
  };

  const getItem = (id: number): ItemRow => {
    const item = deps.items.get(id);
    if (!item) throw itemNotFound({ message: `No item ${id}. Refresh its course to sync it from Canvas.` });
    return item;
  };

  /** The item with its files and the job currently queued or running for it, if any. */
  const getDetail = (id: number): ItemDetail => {
    const item = getItem(id);
    const artifacts = deps.artifacts.listForItem(id);
    // Both kinds may be active at once; the newest is what the user asked for last.
    const job = deps.jobs.activeForItem(id).sort((a, b) => b.id - a.id)[0] ?? null;
    return { item, artifacts, job };
  };

  return {
    getDetail,

    /** The module's items in position order; `module.not_found` when the module is not cached. */
    listByModule(moduleId: number): ItemWithArtifacts[] {
      if (!deps.modules.get(moduleId)) {
        throw moduleNotFound({ message: `No module ${moduleId} in the cache. Refresh its course first.` });
      }
      return withArtifacts(deps.items.listByModule(moduleId));
    },

    withArtifacts,

    /** A page of items across courses; unknown course or module ids simply match nothing. */
    list(filter: ListItemsFilter): { items: ItemWithArtifacts[]; total: number } {
      const { rows, total } = deps.items.list(filter);
      return { items: withArtifacts(rows), total };
    },

    /**
     * Forgets the item's transcript and notes and puts it back to DISCOVERED. Refused while a
     * job runs for it (the job would write its file back after we removed it); a queued job is
     * cancelled in the same transaction instead, since it would redo what the user is
     * discarding. Rows go first, in one transaction, then the files: a file left behind by a
     * failed removal is harmless, as the next fetch overwrites the same key.
     */
    async reset(itemId: number): Promise<ItemDetail> {
      getItem(itemId);
      const at = now();
      const keys = deps.db.transaction(
        (tx) => {
          const active = deps.jobs.activeForItem(itemId, tx);
          const running = active.find((job) => job.state === 'running');
          if (running) {
            throw itemJobRunning({
              message: `Job ${running.id} (${running.kind}) is running for item ${itemId}; wait for it or cancel it, then reset.`,
            });
          }
          for (const job of active) deps.jobs.requestCancel(job.id, at, tx);
          const paths = deps.artifacts.listForItem(itemId, tx).map((artifact) => artifact.path);
          deps.artifacts.removeForItem(tx, itemId);
          deps.items.setStatus(tx, itemId, { status: 'DISCOVERED' }, at);
          return paths;
        },
        // IMMEDIATE: a worker in another process must not claim a job between our check and our writes.
        { behavior: 'immediate' },
      );
      for (const key of keys) {
        try {
          await deps.files.remove(key);
        } catch (error) {
          logger.warn({ err: error, key, itemId }, 'could not remove the file of a reset item');
        }
      }
      logger.info({ itemId, files: keys.length }, 'item reset');
      return getDetail(itemId);
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

/**
 * `POST /modules/{id}/items/refresh`: refreshes one module's items from Canvas and answers them
 * with their files, from the rows the refresh itself read back (no second listing, which a
 * concurrent refresh removing the module could turn into a 404 after a refresh that succeeded).
 */
export async function refreshModuleItems(
  deps: { sync: Pick<SyncService, 'refreshModule'>; items: Pick<ItemsService, 'withArtifacts'> },
  moduleId: number,
  options: { signal?: AbortSignal } = {},
): Promise<{ items: ItemWithArtifacts[]; sync: Awaited<ReturnType<SyncService['refreshModule']>>['sync'] }> {
  const result = await deps.sync.refreshModule(moduleId, options);
  return { items: deps.items.withArtifacts(result.items), sync: result.sync };
}
