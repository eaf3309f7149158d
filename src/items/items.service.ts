import { courseErrors } from '../courses/courses.errors.ts';
import type { Db } from '../db/client.ts';
import type { ArtifactFile, ArtifactsRepository } from '../db/repositories/artifacts.repository.ts';
import type { ItemsRepository, ListItemsFilter } from '../db/repositories/items.repository.ts';
import type { MediaSourcesRepository } from '../db/repositories/media-sources.repository.ts';
import type { ModulesRepository } from '../db/repositories/modules.repository.ts';
import type { SearchRepository } from '../db/repositories/search.repository.ts';
import type { ArtifactRow, ItemRow, JobKind, JobRow, MediaSourceRow } from '../db/schema.ts';
import type { JobsRepository } from '../jobs/jobs.repository.ts';
import { groupByItem } from '../shared/group-by-item.ts';
import type { Logger } from '../shared/logger.ts';
import type { FileStore } from '../storage/file-store.ts';
import type { SyncService } from '../sync/sync.service.ts';
import type { TranscriptsService } from '../transcripts/transcripts.service.ts';
import { STATUS_AFTER_RESET } from './item-state.ts';
import { itemErrors } from './items.errors.ts';

export type ItemsService = ReturnType<typeof createItemsService>;

/** An item with its files and recordings, as the presenters want it. */
export interface ItemWithArtifacts {
  item: ItemRow;
  artifacts: ArtifactRow[];
  sources: MediaSourceRow[];
}

/** An item as the lists show it: its files by kind and path only. */
export interface ItemWithFiles {
  item: ItemRow;
  artifacts: ArtifactFile[];
  sources: MediaSourceRow[];
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
  mediaSources: MediaSourcesRepository;
  search: Pick<SearchRepository, 'removeContent'>;
  jobs: JobsRepository;
  transcripts: Pick<TranscriptsService, 'assertFetchable' | 'upload'>;
  files: FileStore;
  logger: Logger;
  maxAttempts: number;
  /** Tells the in-process runner that work is waiting, so it need not wait for its next poll. */
  onEnqueued?: () => void;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  const logger = deps.logger.child({ module: 'items' });

  /** The items with their sources and what `readFiles` reads of their artifacts, in two queries. */
  const attach = <File extends { itemId: number }>(
    rows: ItemRow[],
    readFiles: (ids: number[]) => File[],
  ): Array<{ item: ItemRow; artifacts: File[]; sources: MediaSourceRow[] }> => {
    const ids = rows.map((row) => row.id);
    const files = groupByItem(readFiles(ids));
    const sources = groupByItem(deps.mediaSources.listForItems(ids));
    return rows.map((item) => ({
      item,
      artifacts: files.get(item.id) ?? [],
      sources: sources.get(item.id) ?? [],
    }));
  };
  const withArtifacts = (rows: ItemRow[]): ItemWithArtifacts[] =>
    attach(rows, (ids) => deps.artifacts.listForItems(ids));
  const withFiles = (rows: ItemRow[]): ItemWithFiles[] =>
    attach(rows, (ids) => deps.artifacts.listFilesForItems(ids));

  const getItem = (id: number): ItemRow => {
    const item = deps.items.get(id);
    if (!item)
      throw itemErrors.notFound({ message: `No item ${id}. Refresh its course to sync it from Canvas.` });
    return item;
  };

  /** The item with its files and the job currently queued or running for it, if any. */
  const getDetail = (id: number): ItemDetail => {
    const item = getItem(id);
    const artifacts = deps.artifacts.listForItem(id);
    const sources = deps.mediaSources.listForItem(id);
    // Both kinds may be active at once; the newest is what the user asked for last.
    const job = deps.jobs.activeForItem(id).sort((a, b) => b.id - a.id)[0] ?? null;
    return { item, artifacts, sources, job };
  };

  return {
    getDetail,

    /** The module's items in position order; `module.not_found` when the module is not cached. */
    listByModule(moduleId: number): ItemWithFiles[] {
      if (!deps.modules.get(moduleId)) {
        throw courseErrors.moduleNotFound({
          message: `No module ${moduleId} in the cache. Refresh its course first.`,
        });
      }
      return withFiles(deps.items.listByModule(moduleId));
    },

    withArtifacts,

    /** A page of items across courses; unknown course or module ids simply match nothing. */
    list(filter: ListItemsFilter): { items: ItemWithFiles[]; total: number } {
      const { rows, total } = deps.items.list(filter);
      return { items: withFiles(rows), total };
    },

    /**
     * Forgets the item's transcript (an uploaded one too) and notes and puts it back to DISCOVERED. Refused while a
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
            throw itemErrors.jobRunning({
              message: `Job ${running.id} (${running.kind}) is running for item ${itemId}; wait for it or cancel it, then reset.`,
            });
          }
          for (const job of active) deps.jobs.requestCancel(job.id, at, tx);
          const paths = deps.artifacts.listForItem(itemId, tx).map((artifact) => artifact.path);
          deps.artifacts.removeForItem(tx, itemId);
          deps.search.removeContent(tx, itemId);
          deps.mediaSources.removeUpload(tx, itemId);
          deps.mediaSources.resetStatuses(tx, itemId, at);
          const first = deps.mediaSources.listForItem(itemId, tx)[0];
          deps.items.setDiscovery(
            tx,
            itemId,
            { provider: first?.provider ?? null, mediaUrl: first?.url ?? null },
            at,
          );
          deps.items.setStatus(tx, itemId, { status: STATUS_AFTER_RESET }, at);
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
     * Stores a transcript the user uploads. Refused while a job runs for the item, which would
     * otherwise commit notes of the transcript being replaced.
     */
    async uploadTranscript(itemId: number, body: string, contentType: string | undefined) {
      getItem(itemId);
      const running = deps.jobs.activeForItem(itemId).find((job) => job.state === 'running');
      if (running) {
        throw itemErrors.jobRunning({
          message: `Job ${running.id} (${running.kind}) is running for item ${itemId}; wait for it or cancel it, then upload.`,
        });
      }
      return deps.transcripts.upload(itemId, body, contentType);
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
