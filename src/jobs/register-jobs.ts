import type { Db } from '../db/client.ts';
import type { ArtifactsRepository } from '../db/repositories/artifacts.repository.ts';
import type { ItemsRepository } from '../db/repositories/items.repository.ts';
import type { ItemStatus, JobRow } from '../db/schema.ts';
import { describeError } from '../shared/errors.ts';
import type { SummariesService } from '../summarize/summaries.service.ts';
import type { TranscriptsService } from '../transcripts/transcripts.service.ts';
import { createFetchTranscriptJob } from './handlers/fetch-transcript.job.ts';
import { createSummarizeJob } from './handlers/summarize.job.ts';
import type { JobsRepository } from './jobs.repository.ts';
import type { JobHandlers } from './runner.ts';

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

const DONE_STATUSES: Record<'transcript' | 'summary', readonly ItemStatus[]> = {
  transcript: ['TRANSCRIPT_READY', 'SUMMARY_READY'],
  summary: ['SUMMARY_READY'],
};

/**
 * A job that failed for good marks its item FAILED with the error, for clients that poll the
 * item. An item that still holds a valid result of that kind (a forced refetch or re-summary
 * failed) keeps its status and only records the error, so it stays listed as done.
 */
export function markItemFailed(deps: {
  db: Db;
  items: ItemsRepository;
  artifacts: Pick<ArtifactsRepository, 'find'>;
  now?: () => Date;
}) {
  return (job: JobRow, error: unknown) => {
    if (job.itemId === null) return;
    const { code, message } = describeError(error);
    const itemId = job.itemId;
    const kind = job.kind === 'fetch_transcript' ? 'transcript' : 'summary';
    deps.db.transaction((tx) => {
      const item = deps.items.get(itemId, tx);
      if (!item) return;
      // Done means a current result: a DISCOVERED item whose link changed holds only stale ones.
      const stillDone = DONE_STATUSES[kind].includes(item.status) && deps.artifacts.find(itemId, kind, tx);
      const status = stillDone ? item.status : 'FAILED';
      deps.items.setStatus(
        tx,
        itemId,
        { status, errorCode: code, error: message },
        deps.now?.() ?? new Date(),
      );
    });
  };
}
