import { setTimeout as delay } from 'node:timers/promises';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db/client.ts';
import { createTestDb } from '../db/db.test-utils.ts';
import { type JobRow, jobs } from '../db/schema.ts';
import { AppError } from '../shared/errors.ts';
import { createJobsRepository, type JobsRepository } from './jobs.repository.ts';
import { seedItems, testRunnerOptions } from './jobs.test-utils.ts';
import { createJobRunner, type JobFinishedEvent, type JobHandler, type JobRunnerOptions } from './runner.ts';

let db: Db;
let repo: JobsRepository;
let finished: JobFinishedEvent[];

beforeEach(() => {
  db = createTestDb();
  seedItems(db, { count: 20 });
  repo = createJobsRepository({ db });
  finished = [];
});

const noop: JobHandler = async () => {};

function enqueue(itemId: number, maxAttempts = 3): JobRow {
  return repo.enqueue(db, {
    kind: 'summarize',
    itemId,
    payload: { item_id: itemId },
    maxAttempts,
    now: new Date(),
  }).job;
}

function runner(handler: JobHandler, overrides: Partial<JobRunnerOptions> = {}) {
  return createJobRunner({
    ...testRunnerOptions(repo, handler),
    onJobFinished: (event) => finished.push(event),
    ...overrides,
  });
}

/** Resolves with a promise that the handler can await until the test releases it. */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

async function waitFor(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('waitFor timed out');
    await delay(5);
  }
}

const waitForSignal = (signal: AbortSignal) =>
  new Promise<never>((_, reject) =>
    signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
  );

const transient = () =>
  new AppError({ code: 'canvas.unavailable', message: 'Canvas is down', transient: true });

describe('job runner', () => {
  it('runs at most `concurrency` handlers at once and does reach the limit', async () => {
    for (let itemId = 1; itemId <= 10; itemId += 1) enqueue(itemId);
    let running = 0;
    let maxRunning = 0;
    await runner(async () => {
      running += 1;
      maxRunning = Math.max(maxRunning, running);
      await delay(10);
      running -= 1;
    }).runUntilEmpty();
    expect(maxRunning).toBe(2);
    expect(repo.countByState().succeeded).toBe(10);
  });

  it('retries a transient failure with backoff and succeeds, recording the attempts', async () => {
    const job = enqueue(1);
    const handler = vi.fn<JobHandler>(async (ctx) => {
      if (ctx.job.attempts === 1) throw transient();
    });
    await runner(handler).runUntilEmpty();
    expect(handler).toHaveBeenCalledTimes(2);
    expect(finished.map((event) => event.outcome)).toEqual(['retrying', 'succeeded']);
    expect(repo.get(job.id)).toMatchObject({ state: 'succeeded', attempts: 2, errorCode: null });
  });

  it('fails a permanent error at once and calls onFinalFailure', async () => {
    const job = enqueue(1);
    const onFinalFailure = vi.fn();
    const permanent = new AppError({ code: 'canvas.not_found', message: 'No such file', statusCode: 404 });
    await runner(
      async () => {
        throw permanent;
      },
      { onFinalFailure },
    ).runUntilEmpty();
    expect(repo.get(job.id)).toMatchObject({
      state: 'failed',
      attempts: 1,
      errorCode: 'canvas.not_found',
      errorMessage: 'No such file',
    });
    expect(onFinalFailure).toHaveBeenCalledExactlyOnceWith(
      expect.anything(),
      expect.objectContaining({ id: job.id }),
      permanent,
    );
  });

  it('fails with the last error once the attempts are exhausted', async () => {
    const job = enqueue(1, 3);
    const onFinalFailure = vi.fn();
    await runner(
      async () => {
        throw transient();
      },
      { onFinalFailure },
    ).runUntilEmpty();
    expect(repo.get(job.id)).toMatchObject({ state: 'failed', attempts: 3, errorCode: 'canvas.unavailable' });
    expect(finished.map((event) => event.outcome)).toEqual(['retrying', 'retrying', 'failed']);
    expect(onFinalFailure).toHaveBeenCalledOnce();
  });

  it('treats an unclassified error as transient but stores a generic message', async () => {
    const job = enqueue(1, 2);
    await runner(async () => {
      throw new Error('socket hang up at 10.0.0.3');
    }).runUntilEmpty();
    expect(repo.get(job.id)).toMatchObject({ state: 'failed', attempts: 2, errorCode: 'internal.error' });
    expect(repo.get(job.id)?.errorMessage).not.toContain('10.0.0.3');
  });

  it('aborts the signal when a job exceeds its time limit and records jobs.timeout', async () => {
    const job = enqueue(1, 1);
    let reason: unknown;
    await runner(
      async ({ signal }) => {
        await waitForSignal(signal).catch((error: unknown) => {
          reason = error;
          throw error;
        });
      },
      { jobTimeoutMs: 30 },
    ).runUntilEmpty();
    expect(reason).toMatchObject({ code: 'jobs.timeout' });
    expect(repo.get(job.id)).toMatchObject({ state: 'failed', errorCode: 'jobs.timeout' });
  });

  it('never runs a job cancelled while queued', async () => {
    const job = enqueue(1);
    repo.requestCancel(job.id, new Date());
    const handler = vi.fn(noop);
    await runner(handler).runUntilEmpty();
    expect(handler).not.toHaveBeenCalled();
    expect(repo.get(job.id)?.state).toBe('cancelled');
  });

  it('aborts a running job cancelled from another process and ends it cancelled', async () => {
    const job = enqueue(1);
    const started = gate();
    let cleanedUp = false;
    const done = runner(
      async ({ signal }) => {
        started.open();
        await waitForSignal(signal).finally(() => {
          cleanedUp = true;
        });
      },
      { heartbeatMs: 10 },
    ).runUntilEmpty();
    await started.opened;
    // Only the database flag: the runner must notice it on a heartbeat.
    expect(repo.requestCancel(job.id, new Date())?.state).toBe('running');
    await done;
    expect(cleanedUp).toBe(true);
    expect(repo.get(job.id)).toMatchObject({ state: 'cancelled', errorCode: null });
    expect(finished.map((event) => event.outcome)).toEqual(['cancelled']);
  });

  it('aborts a cancelled job at once when notified in-process', async () => {
    const job = enqueue(1);
    const started = gate();
    const jobRunner = runner(async ({ signal }) => {
      started.open();
      await waitForSignal(signal);
    });
    const done = jobRunner.runUntilEmpty();
    await started.opened;
    repo.requestCancel(job.id, new Date());
    expect(jobRunner.notifyCancelRequested(job.id)).toBe(true);
    await done;
    expect(repo.get(job.id)?.state).toBe('cancelled');
  });

  it('fails a job whose stored payload is invalid without running or retrying it', async () => {
    const now = new Date();
    const [row] = db
      .insert(jobs)
      .values({
        kind: 'summarize',
        itemId: 1,
        payload: { item_id: 'one' },
        idempotencyKey: 'summarize:1',
        maxAttempts: 5,
        availableAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .returning()
      .all();
    const handler = vi.fn(noop);
    await runner(handler).runUntilEmpty();
    expect(handler).not.toHaveBeenCalled();
    expect(repo.get(row?.id ?? 0)).toMatchObject({
      state: 'failed',
      attempts: 1,
      errorCode: 'jobs.payload_invalid',
    });
  });

  it('gives up a job whose workers kept dying once it is out of attempts', async () => {
    const job = enqueue(1, 1);
    repo.claimNext({ now: new Date(), leaseMs: 1, claimId: 'dead-worker' });
    await delay(5);
    const onFinalFailure = vi.fn();
    const handler = vi.fn(noop);
    await runner(handler, { onFinalFailure }).runUntilEmpty();
    expect(handler).not.toHaveBeenCalled();
    expect(repo.get(job.id)).toMatchObject({
      state: 'failed',
      attempts: 2,
      errorCode: 'jobs.attempts_exhausted',
    });
    expect(onFinalFailure).toHaveBeenCalledOnce();
  });

  it('puts a running job back in the queue on stop, and a new runner completes it', async () => {
    const job = enqueue(1);
    const started = gate();
    const first = runner(async ({ signal }) => {
      started.open();
      await waitForSignal(signal);
    });
    first.start();
    await started.opened;
    await first.stop({ graceMs: 20 });
    expect(repo.get(job.id)).toMatchObject({ state: 'queued', attempts: 0, leaseExpiresAt: null });
    expect(finished.map((event) => event.outcome)).toEqual(['released']);

    await runner(noop).runUntilEmpty();
    expect(repo.get(job.id)).toMatchObject({ state: 'succeeded', attempts: 1 });
  });

  it('lets a job that finishes within the grace period succeed on stop', async () => {
    const job = enqueue(1);
    const started = gate();
    const jobRunner = runner(async () => {
      started.open();
      await delay(30);
    });
    jobRunner.start();
    await started.opened;
    await jobRunner.stop({ graceMs: 2_000 });
    expect(repo.get(job.id)?.state).toBe('succeeded');
  });

  it('picks up a new job at once on wake() instead of waiting for the poll interval', async () => {
    const jobRunner = runner(noop, { pollIntervalMs: 60_000 });
    jobRunner.start();
    await delay(10);
    const job = enqueue(1);
    jobRunner.wake();
    await waitFor(() => repo.get(job.id)?.state === 'succeeded', 1_000);
    await jobRunner.stop({ graceMs: 100 });
  });

  it('records progress reported by the handler', async () => {
    const job = enqueue(1);
    await runner(async ({ reportProgress }) => {
      reportProgress({ current: 3, total: 4, message: 'summarising chunk 3' });
    }).runUntilEmpty();
    expect(repo.get(job.id)).toMatchObject({ progressCurrent: 3, progressTotal: 4 });
  });
});
