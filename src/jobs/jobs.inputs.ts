import type { JobKind, JobRow } from '../db/schema.ts';
import type { JobPayload } from './job-types.ts';

/** What the jobs repository takes and gives besides rows. */

export type EnqueueJobInput<K extends JobKind = JobKind> = {
  kind: K;
  itemId: number;
  /** Validated against `jobPayloadSchemas[kind]`; its `item_id` must equal `itemId`. */
  payload: JobPayload<K>;
  maxAttempts: number;
  now: Date;
};

export type ClaimOptions = {
  now: Date;
  leaseMs: number;
  /**
   * The compare-and-swap token for every later write by the claimer. Fresh per `claimBatch` call;
   * the jobs of one batch share it, which is safe because every write also matches the job id,
   * and a reclaim after an expired lease always comes from a later call with a new id.
   */
  claimId: string;
  kinds?: readonly JobKind[];
  /** Told of each claimed job whose previous worker's lease had expired (it crashed or hung). */
  onReclaimed?: (job: JobRow) => void;
};

export type RetryOutcome =
  /** The failed or cancelled job is queued again with a fresh attempt budget. */
  | { outcome: 'requeued'; job: JobRow }
  /** Another active job already covers the same (kind, item); that job is returned. */
  | { outcome: 'already_active'; job: JobRow }
  /** The job is queued, running or succeeded, so there is nothing to retry. */
  | { outcome: 'not_retryable'; job: JobRow };
