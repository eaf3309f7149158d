import type { FileStore } from '../storage/file-store.ts';
import type { JobsRepository } from './jobs.repository.ts';

/**
 * Clears the temporary files that killed attempts left mid-write. A temporary file is an
 * orphan once no job of its item runs under a live lease, in this process or another: run at
 * start-up over every item, and when a job is reclaimed over its item (minus that job, whose
 * new attempt has not started writing yet).
 */
export function createOrphanFileSweeper(deps: {
  files: FileStore;
  jobs: Pick<JobsRepository, 'hasLiveJob'>;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  return (scope: { itemId?: number; exceptJobId?: number } = {}): Promise<number> =>
    deps.files.sweepTemporary({
      itemIds: scope.itemId === undefined ? undefined : [scope.itemId],
      inUse: (itemId) => deps.jobs.hasLiveJob(itemId, now(), scope.exceptJobId),
    });
}
