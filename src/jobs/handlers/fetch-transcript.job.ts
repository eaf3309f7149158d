import type { ItemsRepository } from '../../db/repositories/items.repository.ts';
import { itemNotFound } from '../../items/items.service.ts';
import type { TranscriptsService } from '../../transcripts/transcripts.service.ts';
import type { JobHandler } from '../runner.ts';

export function createFetchTranscriptJob(deps: {
  items: ItemsRepository;
  transcripts: TranscriptsService;
}): JobHandler<'fetch_transcript'> {
  return async ({ payload, signal }) => {
    const item = deps.items.get(payload.item_id);
    if (!item) throw itemNotFound({ message: `Item ${payload.item_id} is gone from the cache.` });
    await deps.transcripts.ensure(item, { force: payload.force, signal });
  };
}
