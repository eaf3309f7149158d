import type { ArtifactsRepository } from '../db/repositories/artifacts.repository.ts';
import type { ItemsRepository } from '../db/repositories/items.repository.ts';
import { statusAfterFailure } from '../items/item-state.ts';
import { describeError } from '../shared/errors.ts';
import type { SummariesService } from '../summarize/summaries.service.ts';
import type { TranscriptsService } from '../transcripts/transcripts.service.ts';
import { createFetchTranscriptJob } from './handlers/fetch-transcript.job.ts';
import { createSummarizeJob } from './handlers/summarize.job.ts';
import type { JobsRepository } from './jobs.repository.ts';
import type { FinalFailureHook, JobHandlers } from './runner.ts';

/** The one list of job kind → handler. */
export function registerJobs(deps: {
  items: ItemsRepository;
  jobs: JobsRepository;
  transcripts: TranscriptsService;
  summaries: SummariesService;
  now?: () => Date;
}): JobHandlers {
  return {
    fetch_transcript: createFetchTranscriptJob(deps),
    summarize: createSummarizeJob(deps),
  };
}

/**
 * A job that failed for good records its error on the item, for clients that poll it, inside
 * the transaction that marks the job failed. The item's status becomes the one its stored files
 * justify (`statusAfterFailure`): FAILED when it holds no current result.
 */
export function markItemFailed(deps: {
  items: ItemsRepository;
  artifacts: Pick<ArtifactsRepository, 'find'>;
  now?: () => Date;
}): FinalFailureHook {
  return (tx, job, error) => {
    if (job.itemId === null) return;
    const item = deps.items.get(job.itemId, tx);
    if (!item) return;
    const { code, message } = describeError(error);
    const status = statusAfterFailure(item.status, {
      transcript: deps.artifacts.find(item.id, 'transcript', tx) !== undefined,
      summary: deps.artifacts.find(item.id, 'summary', tx) !== undefined,
    });
    deps.items.setStatus(
      tx,
      item.id,
      { status, errorCode: code, error: message },
      deps.now?.() ?? new Date(),
    );
  };
}
