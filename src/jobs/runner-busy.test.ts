import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db/client.ts';
import { createTestDb } from '../db/db.test-utils.ts';
import { items } from '../db/schema.ts';
import { AppError } from '../shared/errors.ts';
import { createJobsRepository, type JobsRepository } from './jobs.repository.ts';
import { seedItems, testRunnerOptions } from './jobs.test-utils.ts';
import { createJobRunner, type JobHandler, type JobOutcome, type JobRunnerOptions } from './runner.ts';

/** What better-sqlite3 throws when another process holds the write lock past the busy timeout. */
const locked = () => new Database.SqliteError('database is locked', 'SQLITE_BUSY');

let db: Db;
let repo: JobsRepository;
let outcomes: JobOutcome[];
let itemId: number;

beforeEach(() => {
  db = createTestDb();
  [itemId = 0] = seedItems(db, { count: 1 });
  repo = createJobsRepository({ db });
  outcomes = [];
});

const enqueue = (maxAttempts = 2) =>
  repo.enqueue(db, { kind: 'summarize', itemId, payload: { item_id: itemId }, maxAttempts, now: new Date() })
    .job;

function runner(handler: JobHandler, overrides: Partial<JobRunnerOptions> = {}) {
  return createJobRunner({
    ...testRunnerOptions(repo, handler),
    onJobFinished: (event) => outcomes.push(event.outcome),
    ...overrides,
  });
}

const itemRow = () => db.select().from(items).where(eq(items.id, itemId)).get();

describe('the job runner and a database locked past the busy timeout', () => {
  it('runs a job step that met the lock again without charging an attempt', async () => {
    const job = enqueue(1);
    let calls = 0;
    await runner(async () => {
      calls += 1;
      if (calls <= 3) throw locked();
    }).runUntilEmpty();
    // Three lock errors against one allowed attempt: none of them was counted.
    expect(outcomes).toEqual(['retrying', 'retrying', 'retrying', 'succeeded']);
    expect(repo.get(job.id)).toMatchObject({ state: 'succeeded', attempts: 1, errorCode: null });
  });

  it('retries writing the outcome when the lock outlasts the busy timeout there', async () => {
    const job = enqueue();
    const complete = repo.complete;
    const flaky = vi.fn<JobsRepository['complete']>().mockImplementationOnce(() => {
      throw locked();
    });
    flaky.mockImplementation(complete);
    await runner(async () => {}, { repository: { ...repo, complete: flaky } }).runUntilEmpty();
    expect(flaky).toHaveBeenCalledTimes(2);
    expect(repo.get(job.id)).toMatchObject({ state: 'succeeded', attempts: 1 });
  });

  it("marks the item in the transaction that fails the job, seeing the job's failed row", async () => {
    const job = enqueue();
    const seen: string[] = [];
    await runner(
      async () => {
        throw new AppError({ code: 'transcript.login_required', message: 'Private.', statusCode: 422 });
      },
      {
        onFinalFailure: (tx, failed) => {
          seen.push(repo.get(failed.id, tx)?.state ?? 'none');
          tx.update(items).set({ status: 'FAILED', errorCode: 'transcript.login_required' }).run();
        },
      },
    ).runUntilEmpty();
    expect(seen).toEqual(['failed']);
    expect(repo.get(job.id)?.state).toBe('failed');
    expect(itemRow()?.status).toBe('FAILED');
  });

  it('writes both or neither: a lock in the item update rolls back the job row and tries again', async () => {
    const job = enqueue();
    const states: string[] = [];
    let calls = 0;
    await runner(
      async () => {
        throw new AppError({ code: 'transcript.no_captions', message: 'None.', statusCode: 422 });
      },
      {
        onFinalFailure: (tx, failed) => {
          calls += 1;
          tx.update(items).set({ status: 'FAILED' }).run();
          if (calls === 1) throw locked();
          states.push(repo.get(failed.id, tx)?.state ?? 'none');
        },
      },
    ).runUntilEmpty();
    expect(calls).toBe(2);
    expect(states).toEqual(['failed']);
    expect(repo.get(job.id)).toMatchObject({ state: 'failed', errorCode: 'transcript.no_captions' });
    expect(itemRow()?.status).toBe('FAILED');
  });

  it('records the failure alone when the item hook has a bug, so the job cannot run for ever', async () => {
    const job = enqueue();
    await runner(
      async () => {
        throw new AppError({ code: 'transcript.no_captions', message: 'None.', statusCode: 422 });
      },
      {
        onFinalFailure: (tx) => {
          tx.update(items).set({ status: 'FAILED' }).run();
          throw new TypeError('a bug');
        },
      },
    ).runUntilEmpty();
    expect(repo.get(job.id)).toMatchObject({ state: 'failed', errorCode: 'transcript.no_captions' });
    // The hook's half-done write was rolled back with its transaction.
    expect(itemRow()?.status).toBe('DISCOVERED');
  });
});
