import type { DbOrTx } from '../../db/client.ts';
import type { JobRow } from '../../db/schema.ts';
import { createJobCancelledError, createJobLeaseLostError } from '../jobs.errors.ts';
import type { JobsRepository } from '../jobs.repository.ts';

/**
 * A check a job runs inside the transaction that records its result: it throws unless this
 * attempt still owns the job. After a lost lease, or once the runner gave up waiting on a
 * handler that ignored its abort, another attempt may already be doing the work; the stale one
 * must not overwrite what the newer one records. A cancel requested meanwhile (by the API, by
 * a sync that removed the item, or from another process) also stops it from recording.
 */
export function ownershipGuard(jobs: Pick<JobsRepository, 'get'>, job: JobRow, signal: AbortSignal) {
  return (tx: DbOrTx): void => {
    signal.throwIfAborted();
    const current = jobs.get(job.id, tx);
    if (current?.state !== 'running' || current.claimId !== job.claimId) throw createJobLeaseLostError();
    if (current.cancelRequested) throw createJobCancelledError();
  };
}
