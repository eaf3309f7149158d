import type { ItemsRepository } from '../../db/repositories/items.repository.ts';
import { itemErrors } from '../../items/items.errors.ts';
import { sleep } from '../../shared/sleep.ts';
import type { SummariesService } from '../../summarize/summaries.service.ts';
import type { JobsRepository } from '../jobs.repository.ts';
import type { JobHandler } from '../runner.ts';
import { ownershipGuard } from './ownership.ts';

const WAIT_FOR_TRANSCRIPT_POLL_MS = 250;

export function createSummarizeJob(deps: {
  items: ItemsRepository;
  jobs: JobsRepository;
  summaries: Pick<SummariesService, 'summarize'>;
  now?: () => Date;
}): JobHandler<'summarize'> {
  const now = deps.now ?? (() => new Date());
  return async ({ job, payload, signal, reportProgress }) => {
    // A transcript fetch running for this item would race ours: wait for it and use its result
    // rather than fetch the same captions twice at once. A merely queued one is not waited for
    // (with one worker slot that would deadlock); it finds the transcript stored and does nothing.
    // Nor is one whose lease expired: its worker died, and it needs a free slot to be claimed
    // again, so waiting for it with every slot taken by such waits would stall the queue.
    const fetchRunning = () =>
      deps.jobs
        .activeForItem(payload.item_id)
        .some(
          (job) =>
            job.kind === 'fetch_transcript' &&
            job.state === 'running' &&
            job.leaseExpiresAt !== null &&
            job.leaseExpiresAt > now(),
        );
    while (fetchRunning()) {
      await sleep(WAIT_FOR_TRANSCRIPT_POLL_MS, signal);
    }
    const item = deps.items.get(payload.item_id);
    if (!item) throw itemErrors.notFound({ message: `Item ${payload.item_id} is gone from the cache.` });
    await deps.summaries.summarize(item, {
      force: payload.force,
      signal,
      assertCurrent: ownershipGuard(deps.jobs, job, signal),
      onProgress: (progress) => reportProgress(progress),
    });
  };
}
