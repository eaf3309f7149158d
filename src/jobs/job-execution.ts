import type { DbOrTx } from '../db/client.ts';
import { asDatabaseBusy, isDatabaseBusy } from '../db/db.errors.ts';
import type { JobKind, JobRow } from '../db/schema.ts';
import { describeError, isAppError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import { sleep } from '../shared/sleep.ts';
import { type AbortCause, abortReason, type Settled, settle } from './job-abort.ts';
import { type JobPayload, parseJobPayload } from './job-types.ts';
import { createJobAttemptsExhaustedError, createJobTimeoutError } from './jobs.errors.ts';
import type { JobsRepository } from './jobs.repository.ts';
import { computeRetryDelay, isTransient } from './retry-policy.ts';

/** What a handler receives for one attempt of one job. */
export type JobContext<K extends JobKind = JobKind> = {
  /** The row as claimed: `attempts` already counts this attempt. */
  job: JobRow;
  payload: JobPayload<K>;
  /**
   * Aborted on timeout, cancellation, shutdown or a lost lease; `signal.reason` is the matching
   * AppError (`jobs.timeout`, `jobs.cancelled`, `jobs.interrupted`, `jobs.lease_lost`). Pass it to
   * every I/O call and clean up partial files when it fires; the runner waits `abortGraceMs`.
   */
  signal: AbortSignal;
  /** Best-effort progress for the API; call it at coarse steps, each call is a write. */
  reportProgress(progress: { current: number; total?: number; message?: string }): void;
  /** Bound to `{ module: 'jobs', jobId, kind, itemId }`. */
  logger: Logger;
};

/** Resolve when the work is done; throw (ideally an AppError with `transient`) when it is not. */
export type JobHandler<K extends JobKind = JobKind> = (ctx: JobContext<K>) => Promise<void>;
export type JobHandlers = { [K in JobKind]: JobHandler<K> };

/**
 * How an attempt ended. `retrying`: re-queued with backoff. `released`: handed back by a shutdown.
 * `lost`: another worker owns the job now (our lease expired), so nothing was written.
 */
export type JobOutcome = 'succeeded' | 'retrying' | 'failed' | 'cancelled' | 'released' | 'lost';

export type JobFinishedEvent = {
  /** The row as claimed (state `running`); read it again for the final state. */
  job: JobRow;
  outcome: JobOutcome;
  error?: unknown;
  durationMs: number;
};

export type ExecutionDeps = {
  repository: JobsRepository;
  handlers: JobHandlers;
  logger: Logger;
  now: () => Date;
  random: () => number;
  jobTimeoutMs: number;
  leaseMs: number;
  heartbeatMs: number;
  abortGraceMs: number;
  /** `busyMs`: a job step that met a lock held past the busy timeout runs again after 1–2× this. */
  retry: { baseMs: number; maxMs: number; busyMs?: number };
  onJobFinished?: (event: JobFinishedEvent) => void;
  onFinalFailure?: FinalFailureHook;
  onReclaimed?: (job: JobRow) => Promise<unknown>;
};

/** Runs inside the transaction that marks the job failed for good (see `JobRunnerOptions`). */
export type FinalFailureHook = (tx: DbOrTx, job: JobRow, error: unknown) => void;

/**
 * Pauses before writing a job's outcome again when another process held the database past the
 * busy timeout. Should all fail, the row stays `running` and its lease expiry hands it on.
 */
const OUTCOME_RETRY_DELAYS_MS = [250, 1_000, 4_000];

/** A job this process is running. `done` never rejects. */
export type RunningJob = {
  done: Promise<void>;
  abort(cause: AbortCause): void;
  /** Extends the lease now and aborts if the job was cancelled or taken over. */
  heartbeat(): void;
};

/** Runs one claimed job to a recorded outcome: success, retry, failure, cancel or release. */
export function startJobExecution(
  deps: ExecutionDeps,
  job: JobRow,
  claimId: string,
  claim: { reclaimed: boolean } = { reclaimed: false },
): RunningJob {
  const { repository } = deps;
  const log = deps.logger.child({ module: 'jobs', jobId: job.id, kind: job.kind, itemId: job.itemId });
  const startedAt = performance.now();
  const controller = new AbortController();
  let cause: AbortCause | undefined;

  const abort = (next: AbortCause) => {
    if (cause) return;
    cause = next;
    controller.abort(abortReason(next));
  };

  const heartbeat = () => {
    try {
      const leaseUntil = new Date(deps.now().getTime() + deps.leaseMs);
      const state = repository.heartbeat(job.id, claimId, leaseUntil);
      if (!state.stillOwned) abort('lease_lost');
      else if (state.cancelRequested) abort('cancel');
    } catch (error) {
      // A busy database must not kill the job; the lease has slack for a missed beat or two.
      log.warn({ err: error }, 'Job heartbeat failed');
    }
  };

  const finish = (outcome: JobOutcome, error?: unknown) => {
    const durationMs = performance.now() - startedAt;
    log.debug({ outcome, durationMs, attempt: job.attempts }, 'Job attempt finished');
    try {
      deps.onJobFinished?.({ job, outcome, error, durationMs });
    } catch (hookError) {
      log.error({ err: hookError }, 'onJobFinished hook threw');
    }
  };

  /** Writes an outcome, waiting out a lock that outlasted the busy timeout a few times. */
  const persist = async <T>(write: () => T): Promise<T> => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return write();
      } catch (error) {
        const delayMs = OUTCOME_RETRY_DELAYS_MS[attempt];
        if (delayMs === undefined || !isDatabaseBusy(error)) throw error;
        log.warn({ code: 'db.busy', delayMs }, 'Database busy; recording the job outcome again shortly');
        await sleep(delayMs);
      }
    }
  };

  const failFinally = async (error: unknown) => {
    const { code, message } = describeError(error);
    const failure = { code, message, now: deps.now() };
    const hook = deps.onFinalFailure;
    const alongside = hook && ((tx: DbOrTx) => hook(tx, job, error));
    let recorded: boolean;
    try {
      recorded = await persist(() => repository.fail(job.id, claimId, failure, alongside));
    } catch (hookError) {
      if (isDatabaseBusy(hookError) || !alongside) throw hookError;
      // A bug in the hook must not keep the job running for ever (each reclaim would fail again).
      log.error({ err: hookError }, 'onFinalFailure hook threw; recording the job failure alone');
      recorded = await persist(() => repository.fail(job.id, claimId, failure));
    }
    if (!recorded) return finish('lost', error);
    // A recording that is private or has no captions is an outcome, not a fault of ours.
    const level = isAppError(error) && error.statusCode < 500 ? 'warn' : 'error';
    log[level]({ err: error, code, attempt: job.attempts }, 'Job failed');
    finish('failed', error);
  };

  /** A lock that outlasted the busy timeout is the database's state, not the job's fault. */
  const requeueAfterBusy = async (error: unknown) => {
    const { code, message } = describeError(asDatabaseBusy(error));
    const now = deps.now();
    const pauseMs = deps.retry.busyMs ?? 1_000;
    const until = new Date(now.getTime() + pauseMs + Math.floor(deps.random() * pauseMs));
    const released = await persist(() => repository.release(job.id, claimId, now, { until, code, message }));
    if (!released) return finish('lost', error);
    log.warn({ code, attempt: job.attempts }, 'Database busy; the job runs again without losing an attempt');
    finish('retrying', error);
  };

  const handleError = async (error: unknown) => {
    if (isDatabaseBusy(error)) return requeueAfterBusy(error);
    if (!isTransient(error) || job.attempts >= job.maxAttempts) return failFinally(error);
    const { code, message } = describeError(error);
    const delayMs = computeRetryDelay(job.attempts, { ...deps.retry, random: deps.random }, error);
    const now = deps.now();
    const retryAt = new Date(now.getTime() + delayMs);
    if (!(await persist(() => repository.fail(job.id, claimId, { code, message, retryAt, now })))) {
      return finish('lost', error);
    }
    log.warn({ err: error, code, attempt: job.attempts, delayMs }, 'Job attempt failed; will retry');
    finish('retrying', error);
  };

  const conclude = async (result: Settled) => {
    if (!result.ok && result.abandoned) log.warn({ cause }, 'Job handler ignored its abort signal');
    // A handler that finished its work wins over a late abort: its results are already stored.
    if (result.ok) {
      return finish(
        (await persist(() => repository.complete(job.id, claimId, deps.now()))) ? 'succeeded' : 'lost',
      );
    }
    const now = deps.now();
    const cancelled = async () =>
      finish((await persist(() => repository.markCancelled(job.id, claimId, now))) ? 'cancelled' : 'lost');
    // A cancel requested while the handler ran (by the API, a sync removing the item, another
    // process) wins over however the handler then failed: it may have seen the cancel itself
    // through a commit guard, or failed because its item was removed, before our heartbeat did.
    if (cause !== 'lease_lost' && cause !== 'shutdown' && repository.get(job.id)?.cancelRequested) {
      return cancelled();
    }
    switch (cause) {
      case 'lease_lost':
        log.warn('Job lease lost to another worker; dropping the attempt');
        return finish('lost', result.error);
      case 'cancel':
        return cancelled();
      case 'shutdown':
        return finish((await persist(() => repository.release(job.id, claimId, now))) ? 'released' : 'lost');
      case 'timeout':
        return handleError(createJobTimeoutError({ cause: result.error }));
      default:
        return handleError(result.error);
    }
  };

  const run = async () => {
    if (claim.reclaimed && deps.onReclaimed) {
      try {
        await deps.onReclaimed(job);
      } catch (error) {
        log.warn({ err: error }, 'Clearing up after the dead attempt failed');
      }
    }
    // A job reclaimed after its worker died may already be cancelled or out of attempts.
    if (job.cancelRequested) {
      const marked = await persist(() => repository.markCancelled(job.id, claimId, deps.now()));
      return finish(marked ? 'cancelled' : 'lost');
    }
    if (job.attempts > job.maxAttempts) return failFinally(createJobAttemptsExhaustedError());
    let payload: JobPayload;
    try {
      payload = parseJobPayload(job.kind, job.payload);
    } catch (error) {
      return failFinally(error);
    }
    const handler = deps.handlers[job.kind] as JobHandler;
    const ctx: JobContext = {
      job,
      payload,
      signal: controller.signal,
      logger: log,
      reportProgress: (progress) => {
        try {
          repository.setProgress(job.id, claimId, progress);
        } catch (error) {
          log.warn({ err: error }, 'Recording job progress failed');
        }
      },
    };
    const timeout = setTimeout(() => abort('timeout'), deps.jobTimeoutMs);
    const beat = setInterval(heartbeat, deps.heartbeatMs);
    let result: Settled;
    try {
      result = await settle((async () => handler(ctx))(), controller.signal, deps.abortGraceMs);
    } finally {
      clearTimeout(timeout);
      clearInterval(beat);
    }
    await conclude(result);
  };

  const done = run().catch((error: unknown) => {
    // Only the database can throw here; the lease will expire and another claim retries the job.
    log.error({ err: error }, 'Recording the job outcome failed');
  });
  return { done, abort, heartbeat };
}
