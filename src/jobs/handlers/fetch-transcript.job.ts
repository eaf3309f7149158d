import type { ItemsRepository } from '../../db/repositories/items.repository.ts';
import { itemErrors } from '../../items/items.errors.ts';
import type { TranscriptsService } from '../../transcripts/transcripts.service.ts';
import type { JobsRepository } from '../jobs.repository.ts';
import type { JobHandler } from '../runner.ts';
import { ownershipGuard } from './ownership.ts';

export function createFetchTranscriptJob(deps: {
  items: ItemsRepository;
  jobs: Pick<JobsRepository, 'get'>;
  transcripts: TranscriptsService;
}): JobHandler<'fetch_transcript'> {
  return async ({ job, payload, signal }) => {
    const item = deps.items.get(payload.item_id);
    if (!item) throw itemErrors.notFound({ message: `Item ${payload.item_id} is gone from the cache.` });
    await deps.transcripts.ensure(item, {
      force: payload.force,
      signal,
      assertCurrent: ownershipGuard(deps.jobs, job, signal),
    });
  };
}
