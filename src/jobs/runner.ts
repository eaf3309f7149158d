import { randomUUID } from 'node:crypto';
import { isDatabaseBusy } from '../db/db.errors.ts';
import type { JobKind, JobRow } from '../db/schema.ts';
import type { Logger } from '../shared/logger.ts';
import {
  type ExecutionDeps,
  type FinalFailureHook,
  type JobFinishedEvent,
  type JobHandlers,
  type RunningJob,
  startJobExecution,
} from './job-execution.ts';
import type { JobsRepository } from './jobs.repository.ts';

export type {
  FinalFailureHook,
  JobContext,
  JobFinishedEvent,
  JobHandler,
  JobHandlers,
  JobOutcome,
} from './job-execution.ts';

export type JobRunnerOptions = {
  repository: JobsRepository;
  /** The one handler per job kind (see `register-jobs.ts`). */
  handlers: JobHandlers;
  logger: Logger;
  /** Jobs this runner executes at once. */
  concurrency: number;
  /** Per attempt; on expiry the signal aborts and the attempt fails with transient `jobs.timeout`. */
  jobTimeoutMs: number;
  /** How long a claim stays valid without a heartbeat; must exceed `heartbeatMs` with slack. */
  leaseMs: number;
  /** How often to look for work when nobody calls `wake()`. */
  pollIntervalMs: number;
  /** How often running jobs extend their lease and look for cancel requests from any process. */
  heartbeatMs: number;
  /** Backoff of transient failures; `busyMs` paces a job step that met a locked database. */
  retry: { baseMs: number; maxMs: number; busyMs?: number };
  /** Restrict this runner to some kinds (all by default). */
  kinds?: readonly JobKind[];
  /** How long an aborted handler may take to clean up before its slot is taken back. Default 5 s. */
  abortGraceMs?: number;
  now?: () => Date;
  random?: () => number;
  /**
   * Runs before a job whose previous worker died (its lease expired) starts again, so that what
   * the dead attempt left behind (temporary files) can be cleared first. Errors are logged.
   */
  onReclaimed?: (job: JobRow) => Promise<unknown>;
  /** Every attempt's outcome (tests, metrics). Synchronous; exceptions are logged and ignored. */
  onJobFinished?: (event: JobFinishedEvent) => void;
  /**
   * Called once a job is `failed` for good (permanent error, retries exhausted, invalid payload,
   * workers kept dying), inside the transaction that writes the row, so the item's status and
   * the job's failure commit together. This is where the domain marks the item FAILED. If it
   * throws (other than a busy database), the error is logged and the job's failure is recorded
   * alone.
   */
  onFinalFailure?: FinalFailureHook;
};

export type JobRunner = {
  /** Starts the poll loop in the background. Idempotent. */
  start(): void;
  /**
   * Stops claiming, waits up to `graceMs` for running jobs, then aborts the rest and puts them
   * back in the queue (attempt not charged) so that the next runner picks them up.
   */
  stop(options?: { graceMs: number }): Promise<void>;
  /** Processes jobs until none is claimable, waiting out scheduled retries. For tests and scripts. */
  runUntilEmpty(): Promise<void>;
  /** Polls now instead of at the next interval; call it after enqueueing. */
  wake(): void;
  /**
   * Fast path for a cancel made in this process: re-checks the job at once instead of at its
   * next heartbeat. Returns false when this runner is not running the job. Safe to call spuriously.
   */
  notifyCancelRequested(jobId: number): boolean;
  /** Jobs running in this runner right now. */
  readonly activeCount: number;
};

const DEFAULT_GRACE_MS = 10_000;

function validate(options: JobRunnerOptions): void {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new RangeError('jobs runner: concurrency must be a positive integer');
  }
  if (options.heartbeatMs >= options.leaseMs) {
    throw new RangeError('jobs runner: heartbeatMs must be smaller than leaseMs');
  }
}

/**
 * The in-process worker: claims up to `concurrency` jobs (lease + CAS, safe alongside a worker
 * in another process), runs their handlers with a timeout and heartbeats, and records the outcome.
 * A finished job wakes the loop at once, so a backlog drains without waiting for the poll interval.
 */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  validate(options);
  const { repository, concurrency, kinds } = options;
  const now = options.now ?? (() => new Date());
  const logger = options.logger.child({ module: 'jobs' });
  const deps: ExecutionDeps = {
    repository,
    handlers: options.handlers,
    logger: options.logger,
    now,
    random: options.random ?? Math.random,
    jobTimeoutMs: options.jobTimeoutMs,
    leaseMs: options.leaseMs,
    heartbeatMs: options.heartbeatMs,
    abortGraceMs: options.abortGraceMs ?? 5_000,
    retry: options.retry,
    onJobFinished: options.onJobFinished,
    onFinalFailure: options.onFinalFailure,
    onReclaimed: options.onReclaimed,
  };

  const active = new Map<number, RunningJob>();
  const waiters = new Set<() => void>();
  let pendingWake = false;
  let stopping = false;
  let loop: Promise<void> | null = null;

  function wake(): void {
    if (waiters.size === 0) {
      pendingWake = true;
      return;
    }
    for (const resolve of [...waiters]) resolve();
  }

  function idle(ms: number): Promise<void> {
    if (pendingWake) {
      pendingWake = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      waiters.add(done);
    });
  }

  function fillSlots(at: Date): number {
    const limit = concurrency - active.size;
    if (stopping || limit <= 0) return 0;
    // One id per batch, not per job: every write is a CAS on (job id, claimId), so sharing the id
    // cannot let one job's execution write another job's row (see ClaimOptions.claimId).
    const claimId = randomUUID();
    const reclaimed = new Set<number>();
    const claimed = repository.claimBatch({
      now: at,
      leaseMs: options.leaseMs,
      claimId,
      kinds,
      limit,
      onReclaimed: (job) => reclaimed.add(job.id),
    });
    for (const job of claimed) {
      const running = startJobExecution(deps, job, claimId, { reclaimed: reclaimed.has(job.id) });
      active.set(job.id, running);
      void running.done.then(() => {
        active.delete(job.id);
        wake();
      });
    }
    return claimed.length;
  }

  async function pump(untilEmpty: boolean): Promise<void> {
    while (!stopping) {
      // One instant for both queries, so a retry that becomes due in between is not missed.
      const at = now();
      let claimed = 0;
      try {
        claimed = fillSlots(at);
      } catch (error) {
        if (isDatabaseBusy(error))
          logger.warn({ code: 'db.busy' }, 'Database busy; claiming at the next poll');
        else logger.error({ err: error }, 'Claiming jobs failed');
      }
      if (untilEmpty && claimed === 0 && active.size === 0) {
        const next = repository.nextAvailableAt(at, kinds);
        if (next === null) return;
        await idle(Math.max(1, next.getTime() - now().getTime()));
        continue;
      }
      await idle(options.pollIntervalMs);
    }
  }

  function start(): void {
    if (loop) return;
    stopping = false;
    logger.info({ concurrency, kinds }, 'Job runner started');
    loop = pump(false)
      .catch((error: unknown) => logger.error({ err: error }, 'Job runner loop crashed'))
      .finally(() => {
        loop = null;
      });
  }

  async function stop({ graceMs }: { graceMs: number } = { graceMs: DEFAULT_GRACE_MS }): Promise<void> {
    stopping = true;
    wake();
    await loop;
    if (active.size === 0) return;
    const allDone = () => Promise.all([...active.values()].map((job) => job.done));
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      allDone().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), graceMs);
      }),
    ]);
    clearTimeout(timer);
    if (!drained) {
      logger.warn({ running: active.size }, 'Interrupting running jobs; they go back to the queue');
      for (const job of active.values()) job.abort('shutdown');
      await allDone();
    }
    logger.info('Job runner stopped');
  }

  async function runUntilEmpty(): Promise<void> {
    stopping = false;
    await pump(true);
  }

  function notifyCancelRequested(jobId: number): boolean {
    const job = active.get(jobId);
    job?.heartbeat();
    return job !== undefined;
  }

  return {
    start,
    stop,
    runUntilEmpty,
    wake,
    notifyCancelRequested,
    get activeCount() {
      return active.size;
    },
  };
}
