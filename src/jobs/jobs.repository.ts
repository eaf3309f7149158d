import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.ts';
import { type JobKind, type JobRow, jobs } from '../db/schema.ts';
import { jobIdempotencyKey, parseJobPayload } from './job-types.ts';
import { createJobPayloadInvalidError } from './jobs.errors.ts';
import type { ClaimOptions, EnqueueJobInput, RetryOutcome } from './jobs.inputs.ts';
import { createJobsQueries } from './jobs.queries.ts';
import { createJobStatements } from './jobs.statements.ts';

export type { ClaimOptions, EnqueueJobInput, RetryOutcome } from './jobs.inputs.ts';
export type { ListJobsFilter } from './jobs.queries.ts';

export type JobsRepository = ReturnType<typeof createJobsRepository>;

/**
 * Owns all SQL for `jobs`. Functions are synchronous (better-sqlite3), so API code can call
 * `enqueue(tx, ...)` inside `db.transaction((tx) => ...)` next to the item change that causes it.
 *
 * Every write made on behalf of a worker is a compare-and-swap on `claim_id` (and
 * `state = 'running'`): once a lease expires and another worker claims the job, the first
 * worker's heartbeats, progress and final writes match no row and are dropped.
 */
export function createJobsRepository({ db }: { db: Db }) {
  const queries = createJobsQueries({ db });
  const statements = createJobStatements(db);

  /**
   * Creates the job unless an active (queued or running) one exists for the same (kind, item),
   * in which case that one is returned with `created: false`. The partial unique index decides,
   * so two concurrent triggers (even from two processes) still make one job.
   * @throws AppError `jobs.payload_invalid` (422)
   */
  function enqueue<K extends JobKind>(
    tx: DbOrTx,
    input: EnqueueJobInput<K>,
  ): { job: JobRow; created: boolean } {
    const payload = parseJobPayload(input.kind, input.payload);
    if (payload.item_id !== input.itemId) {
      throw createJobPayloadInvalidError({ message: 'The payload item_id does not match the job item.' });
    }
    const key = jobIdempotencyKey(input.kind, input.itemId);
    // Outside a transaction the active job can finish between our insert and select; try again.
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const inserted = tx
        .insert(jobs)
        .values({
          kind: input.kind,
          itemId: input.itemId,
          payload,
          idempotencyKey: key,
          maxAttempts: input.maxAttempts,
          availableAt: input.now,
          createdAt: input.now,
          updatedAt: input.now,
        })
        // No target: drizzle 0.45 renders a target's WHERE after DO NOTHING (invalid SQL), and the
        // partial index on active keys is the only constraint an insert can hit (id is autoincrement).
        .onConflictDoNothing()
        .returning()
        .get();
      if (inserted) return { job: inserted, created: true };
      const existing = queries.activeByKey(key, tx);
      if (existing) return { job: existing, created: false };
    }
    throw new Error(`Could not enqueue ${key}: the active job kept changing`);
  }

  /**
   * Claims up to `limit` jobs in one IMMEDIATE transaction: first running jobs whose lease has
   * expired (their worker died; the reclaim counts as an attempt), then available queued jobs,
   * oldest first. IMMEDIATE takes the write lock up front so that a second process waits on
   * `busy_timeout` rather than failing with SQLITE_BUSY_SNAPSHOT on upgrade; the CAS on
   * `claim_id` keeps two claimers from both winning if this ever runs without that lock.
   */
  function claimBatch(options: ClaimOptions & { limit: number }): JobRow[] {
    const { now, leaseMs, claimId, kinds, limit, onReclaimed } = options;
    if (limit <= 0) return [];
    const candidates = statements.candidates(kinds);
    const nowMs = now.getTime();
    const leaseExpiresAtMs = nowMs + leaseMs;
    const reclaimed: JobRow[] = [];
    const claimed = db.transaction(
      () => {
        const expired = candidates.expired.all({ nowMs, limit });
        const queued =
          expired.length < limit ? candidates.queued.all({ nowMs, limit: limit - expired.length }) : [];
        const rows: JobRow[] = [];
        for (const job of [...expired, ...queued]) {
          const row = statements.claim.get({
            id: job.id,
            expectedState: job.state,
            expectedClaimId: job.claimId,
            claimId,
            leaseExpiresAtMs,
            nowMs,
          });
          if (!row) continue;
          rows.push(row);
          if (job.state === 'running') reclaimed.push(row);
        }
        return rows;
      },
      { behavior: 'immediate' },
    );
    for (const row of reclaimed) onReclaimed?.(row);
    return claimed;
  }

  /** Claims the next job, or null when none is claimable. See `claimBatch`. */
  function claimNext(options: ClaimOptions): JobRow | null {
    return claimBatch({ ...options, limit: 1 })[0] ?? null;
  }

  const owned = (id: number, claimId: string) =>
    and(eq(jobs.id, id), eq(jobs.claimId, claimId), eq(jobs.state, 'running'));

  /** Extends the lease; also how a worker learns of a cancel requested by another process. */
  function heartbeat(
    id: number,
    claimId: string,
    leaseUntil: Date,
  ): { stillOwned: boolean; cancelRequested: boolean } {
    const row = statements.heartbeat.get({ id, claimId, leaseExpiresAtMs: leaseUntil.getTime() });
    return { stillOwned: row !== undefined, cancelRequested: row?.cancelRequested ?? false };
  }

  /**
   * Marks the job succeeded and clears the error of any earlier attempt (`attempts` still shows
   * that it was retried). Returns false when the claim was lost (nothing written).
   */
  function complete(id: number, claimId: string, now: Date): boolean {
    return statements.complete.run({ id, claimId, nowMs: now.getTime() }).changes === 1;
  }

  /**
   * Records an error. With `retryAt` the job goes back to `queued`, available then; without it
   * the job is `failed` for good. `alongside` runs in the same transaction once the row is
   * written (the item's status follows the job's failure, so the two cannot part). Returns
   * false when the claim was lost (nothing written, `alongside` not run).
   */
  function fail(
    id: number,
    claimId: string,
    failure: { code: string; message: string; retryAt?: Date; now: Date },
    alongside?: (tx: DbOrTx) => void,
  ): boolean {
    const retrying = failure.retryAt !== undefined;
    return db.transaction((tx) => {
      const result = tx
        .update(jobs)
        .set({
          state: retrying ? 'queued' : 'failed',
          availableAt: failure.retryAt ?? sql`${jobs.availableAt}`,
          leaseExpiresAt: null,
          errorCode: failure.code,
          errorMessage: failure.message,
          finishedAt: retrying ? null : failure.now,
          updatedAt: failure.now,
        })
        .where(owned(id, claimId))
        .run();
      if (result.changes !== 1) return false;
      alongside?.(tx);
      return true;
    });
  }

  /**
   * Hands a running job back to the queue without charging the attempt: a graceful shutdown
   * (the interruption is ours, not the job's), or a database lock that outlasted the busy
   * timeout (`postpone` says until when and why). Returns false when the claim was lost.
   */
  function release(
    id: number,
    claimId: string,
    now: Date,
    postpone?: { until: Date; code: string; message: string },
  ): boolean {
    const result = db
      .update(jobs)
      .set({
        state: 'queued',
        attempts: sql`max(${jobs.attempts} - 1, 0)`,
        availableAt: postpone?.until ?? now,
        leaseExpiresAt: null,
        ...(postpone ? { errorCode: postpone.code, errorMessage: postpone.message } : {}),
        updatedAt: now,
      })
      .where(owned(id, claimId))
      .run();
    return result.changes === 1;
  }

  /** Ends a running job whose cancellation the worker has honoured. */
  function markCancelled(id: number, claimId: string, now: Date): boolean {
    const result = db
      .update(jobs)
      .set({ state: 'cancelled', leaseExpiresAt: null, finishedAt: now, updatedAt: now })
      .where(owned(id, claimId))
      .run();
    return result.changes === 1;
  }

  /** Best effort: a lost claim silently writes nothing. */
  function setProgress(
    id: number,
    claimId: string,
    progress: { current: number; total?: number | null; message?: string | null },
  ): void {
    db.update(jobs)
      .set({
        progressCurrent: progress.current,
        progressTotal: progress.total ?? null,
        progressMessage: progress.message ?? null,
      })
      .where(owned(id, claimId))
      .run();
  }

  /**
   * Queued → cancelled at once; running → `cancel_requested` set, and the worker that owns it
   * aborts the handler at its next heartbeat; finished → unchanged. Null when there is no job.
   * Each step is one conditional UPDATE, so a claim racing with the cancel is never lost.
   */
  function requestCancel(id: number, now: Date, tx: DbOrTx = db): JobRow | null {
    const cancelled = tx
      .update(jobs)
      .set({ state: 'cancelled', cancelRequested: true, finishedAt: now, updatedAt: now })
      .where(and(eq(jobs.id, id), eq(jobs.state, 'queued')))
      .returning()
      .get();
    if (cancelled) return cancelled;
    const flagged = tx
      .update(jobs)
      .set({ cancelRequested: true, updatedAt: now })
      .where(and(eq(jobs.id, id), eq(jobs.state, 'running')))
      .returning()
      .get();
    return flagged ?? queries.get(id, tx);
  }

  /**
   * Starts a new attempt cycle for a failed or cancelled job: attempts, error, progress and the
   * cancel flag are reset. Null when there is no job. One statement, guarded by NOT EXISTS, so it
   * cannot break the one-active-job-per-key rule even when racing an enqueue.
   */
  function retry(id: number, now: Date, tx: DbOrTx = db): RetryOutcome | null {
    const requeued = tx
      .update(jobs)
      .set({
        state: 'queued',
        attempts: 0,
        availableAt: now,
        leaseExpiresAt: null,
        cancelRequested: false,
        errorCode: null,
        errorMessage: null,
        progressCurrent: null,
        progressTotal: null,
        progressMessage: null,
        startedAt: null,
        finishedAt: null,
        updatedAt: now,
      })
      .where(
        and(
          eq(jobs.id, id),
          inArray(jobs.state, ['failed', 'cancelled']),
          sql`not exists (select 1 from jobs as other where other.idempotency_key = ${jobs.idempotencyKey}
            and other.state in ('queued', 'running'))`,
        ),
      )
      .returning()
      .get();
    if (requeued) return { outcome: 'requeued', job: requeued };
    const job = queries.get(id, tx);
    if (!job) return null;
    if (job.state !== 'failed' && job.state !== 'cancelled') return { outcome: 'not_retryable', job };
    const active = queries.activeByKey(job.idempotencyKey, tx);
    return active ? { outcome: 'already_active', job: active } : { outcome: 'not_retryable', job };
  }

  return {
    ...queries,
    enqueue,
    claimBatch,
    claimNext,
    heartbeat,
    complete,
    fail,
    release,
    markCancelled,
    setProgress,
    requestCancel,
    retry,
  };
}
