import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { closeDb, type Db, migrate, openDb } from '../db/client.ts';
import { createTestDb } from '../db/db.test-utils.ts';
import { jobs } from '../db/schema.ts';
import { AppError } from '../shared/errors.ts';
import { createJobsRepository, type JobsRepository } from './jobs.repository.ts';
import { createJobStatements } from './jobs.statements.ts';
import { seedItems } from './jobs.test-utils.ts';

const T0 = new Date('2025-01-01T00:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

let db: Db;
let repo: JobsRepository;

beforeEach(() => {
  db = createTestDb();
  seedItems(db, { count: 5 });
  repo = createJobsRepository({ db });
});

function enqueue(itemId: number, options: { kind?: 'fetch_transcript' | 'summarize'; now?: Date } = {}) {
  const kind = options.kind ?? 'fetch_transcript';
  return repo.enqueue(db, {
    kind,
    itemId,
    payload: { item_id: itemId },
    maxAttempts: 3,
    now: options.now ?? T0,
  });
}

const claim = (now = T0, claimId = 'c1') => repo.claimNext({ now, leaseMs: 1_000, claimId });

describe('enqueue', () => {
  it('makes one job when the same kind and item are enqueued twice', () => {
    const first = enqueue(1);
    const second = enqueue(1);
    expect(first.created).toBe(true);
    expect(second).toEqual({ job: first.job, created: false });
    expect(enqueue(1, { kind: 'summarize' }).created).toBe(true);
    expect(repo.countByState().queued).toBe(2);
  });

  it('makes a new job once the previous one for the item has finished', () => {
    const first = enqueue(1).job;
    const claimed = claim();
    repo.complete(first.id, claimed?.claimId ?? '', at(10));
    const second = enqueue(1, { now: at(20) });
    expect(second.created).toBe(true);
    expect(second.job.id).not.toBe(first.id);
  });

  it('rejects an invalid payload with jobs.payload_invalid and writes nothing', () => {
    const attempt =
      (payload: unknown, itemId = 1) =>
      () =>
        repo.enqueue(db, {
          kind: 'summarize',
          itemId,
          payload: payload as { item_id: number },
          maxAttempts: 3,
          now: T0,
        });
    for (const bad of [attempt({ item_id: 0 }, 0), attempt({ item_id: '1' }), attempt({ item_id: 2 })]) {
      expect(bad).toThrowError(AppError);
      try {
        bad();
      } catch (error) {
        expect(error).toMatchObject({ code: 'jobs.payload_invalid', statusCode: 422 });
      }
    }
    expect(repo.list({ limit: 10, offset: 0 }).total).toBe(0);
  });

  it('rolls back with the transaction of the item change that caused it', () => {
    expect(() =>
      db.transaction((tx) => {
        repo.enqueue(tx, { kind: 'summarize', itemId: 1, payload: { item_id: 1 }, maxAttempts: 3, now: T0 });
        throw new Error('item update failed');
      }),
    ).toThrow('item update failed');
    expect(repo.activeForItem(1)).toEqual([]);
  });
});

describe('claims', () => {
  it('claims the oldest available job and leaves jobs scheduled for later', () => {
    const older = enqueue(1, { now: at(0) }).job;
    enqueue(2, { now: at(5) });
    db.update(jobs)
      .set({ availableAt: at(10_000) })
      .where(eq(jobs.id, older.id))
      .run();
    const claimed = claim(at(100));
    expect(claimed).toMatchObject({ itemId: 2, state: 'running', attempts: 1, claimId: 'c1' });
    expect(claimed?.leaseExpiresAt).toEqual(at(1_100));
    expect(claim(at(200))).toBeNull();
    repo.complete(claimed?.id ?? 0, 'c1', at(300));
    expect(claim(at(10_000))?.id).toBe(older.id);
  });

  it('reclaims a running job whose lease expired, counts the attempt and drops the old owner', () => {
    const job = enqueue(1).job;
    claim(at(0), 'first');
    expect(claim(at(999), 'second')).toBeNull();
    const reclaimed = claim(at(1_001), 'second');
    expect(reclaimed).toMatchObject({ id: job.id, attempts: 2, claimId: 'second' });
    expect(repo.heartbeat(job.id, 'first', at(5_000))).toEqual({ stillOwned: false, cancelRequested: false });
    expect(repo.complete(job.id, 'first', at(1_002))).toBe(false);
    expect(repo.fail(job.id, 'first', { code: 'x', message: 'x', now: at(1_002) })).toBe(false);
    expect(repo.complete(job.id, 'second', at(1_003))).toBe(true);
    expect(repo.get(job.id)?.state).toBe('succeeded');
  });

  it('extends the lease on heartbeat so the job is not reclaimed', () => {
    const job = enqueue(1).job;
    claim(at(0), 'owner');
    expect(repo.heartbeat(job.id, 'owner', at(2_000))).toEqual({ stillOwned: true, cancelRequested: false });
    expect(claim(at(1_500), 'thief')).toBeNull();
  });

  it('refuses a claim based on a stale read (compare-and-swap on claim_id)', () => {
    const job = enqueue(1).job;
    const statements = createJobStatements(db);
    const stale = {
      id: job.id,
      expectedState: 'queued',
      expectedClaimId: null,
      leaseExpiresAtMs: 5_000,
      nowMs: 1,
    };
    expect(claim(at(0), 'winner')?.id).toBe(job.id);
    expect(statements.claim.get({ ...stale, claimId: 'loser' })).toBeUndefined();
    expect(repo.get(job.id)).toMatchObject({ claimId: 'winner', attempts: 1 });
  });

  // Alternating claims on one thread never contend for the lock; jobs.claims.int.test.ts races
  // two processes.
  it('sees claims made through another connection to the same file when claiming in turn', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jobs-cas-'));
    const first = openDb(join(dir, 'db.sqlite'));
    const second = openDb(join(dir, 'db.sqlite'));
    try {
      migrate(first);
      seedItems(first, { count: 60 });
      const repoA = createJobsRepository({ db: first });
      const repoB = createJobsRepository({ db: second });
      for (let itemId = 1; itemId <= 60; itemId += 1) {
        repoA.enqueue(first, {
          kind: 'summarize',
          itemId,
          payload: { item_id: itemId },
          maxAttempts: 1,
          now: T0,
        });
      }
      const claimedBy = new Map<number, string>();
      const record = (worker: string, rows: { id: number }[]) => {
        for (const row of rows) {
          expect(claimedBy.get(row.id), `job ${row.id} claimed twice`).toBeUndefined();
          claimedBy.set(row.id, worker);
        }
        return rows.length;
      };
      const options = (claimId: string, limit: number) => ({ now: at(1), leaseMs: 60_000, claimId, limit });
      for (let round = 0; round < 100; round += 1) {
        const a = record('a', repoA.claimBatch(options(`a${round}`, 1 + (round % 3))));
        const b = record('b', repoB.claimBatch(options(`b${round}`, 2)));
        if (a + b === 0) break;
      }
      expect(claimedBy.size).toBe(60);
      expect(new Set(claimedBy.values())).toEqual(new Set(['a', 'b']));
    } finally {
      closeDb(first);
      closeDb(second);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('outcomes', () => {
  it('re-queues a failure with retryAt and fails one without', () => {
    const job = enqueue(1).job;
    claim(at(0));
    expect(
      repo.fail(job.id, 'c1', { code: 'canvas.timeout', message: 'slow', retryAt: at(500), now: at(1) }),
    ).toBe(true);
    expect(repo.get(job.id)).toMatchObject({
      state: 'queued',
      availableAt: at(500),
      errorCode: 'canvas.timeout',
    });
    expect(claim(at(499))).toBeNull();
    expect(claim(at(500), 'c2')?.attempts).toBe(2);
    repo.fail(job.id, 'c2', { code: 'canvas.not_found', message: 'gone', now: at(600) });
    expect(repo.get(job.id)).toMatchObject({
      state: 'failed',
      finishedAt: at(600),
      errorCode: 'canvas.not_found',
    });
  });

  it('releases a job back to the queue without charging the attempt', () => {
    const job = enqueue(1).job;
    claim(at(0));
    expect(repo.release(job.id, 'c1', at(5))).toBe(true);
    expect(repo.get(job.id)).toMatchObject({ state: 'queued', attempts: 0, leaseExpiresAt: null });
  });

  it('records progress only for the current owner', () => {
    const job = enqueue(1).job;
    claim(at(0));
    repo.setProgress(job.id, 'someone-else', { current: 9 });
    repo.setProgress(job.id, 'c1', { current: 2, total: 4, message: 'chunk 2' });
    expect(repo.get(job.id)).toMatchObject({
      progressCurrent: 2,
      progressTotal: 4,
      progressMessage: 'chunk 2',
    });
  });
});

describe('cancel', () => {
  it('cancels a queued job at once so that it is never claimed', () => {
    const job = enqueue(1).job;
    expect(repo.requestCancel(job.id, at(1))).toMatchObject({ state: 'cancelled', finishedAt: at(1) });
    expect(claim(at(2))).toBeNull();
  });

  it('flags a running job and reports it on the next heartbeat', () => {
    const job = enqueue(1).job;
    claim(at(0));
    expect(repo.requestCancel(job.id, at(1))).toMatchObject({ state: 'running', cancelRequested: true });
    expect(repo.heartbeat(job.id, 'c1', at(2_000))).toEqual({ stillOwned: true, cancelRequested: true });
    expect(repo.markCancelled(job.id, 'c1', at(3))).toBe(true);
    expect(repo.get(job.id)?.state).toBe('cancelled');
  });

  it('leaves a finished job unchanged and returns null for an unknown one', () => {
    const job = enqueue(1).job;
    claim(at(0));
    repo.complete(job.id, 'c1', at(1));
    expect(repo.requestCancel(job.id, at(2))).toMatchObject({ state: 'succeeded', cancelRequested: false });
    expect(repo.requestCancel(9_999, at(2))).toBeNull();
  });
});

describe('retry', () => {
  function failedJob(itemId: number) {
    const job = enqueue(itemId).job;
    const claimed = repo.claimNext({ now: at(0), leaseMs: 1_000, claimId: `c${itemId}` });
    expect(claimed?.id).toBe(job.id);
    repo.fail(job.id, `c${itemId}`, { code: 'summarize.failed', message: 'no', now: at(1) });
    return job;
  }

  it('re-queues a failed job with a fresh attempt budget and no error', () => {
    const job = failedJob(1);
    const result = repo.retry(job.id, at(10));
    expect(result).toMatchObject({
      outcome: 'requeued',
      job: {
        id: job.id,
        state: 'queued',
        attempts: 0,
        errorCode: null,
        finishedAt: null,
        availableAt: at(10),
      },
    });
  });

  it('returns the active job instead when one already covers the same item', () => {
    const job = failedJob(1);
    const newer = enqueue(1, { now: at(5) }).job;
    expect(repo.retry(job.id, at(10))).toEqual({ outcome: 'already_active', job: newer });
    expect(repo.get(job.id)?.state).toBe('failed');
  });

  it('refuses to retry a job that has not failed', () => {
    const job = enqueue(1).job;
    expect(repo.retry(job.id, at(10))).toMatchObject({ outcome: 'not_retryable', job: { state: 'queued' } });
    expect(repo.retry(9_999, at(10))).toBeNull();
  });
});

describe('queries', () => {
  it('lists newest first with filters, pagination and a total', () => {
    seedItems(db, { count: 2, courseId: 2, firstItemId: 100 });
    const ids = [1, 2, 3, 100, 101].map((itemId, index) => enqueue(itemId, { now: at(index) }).job.id);
    enqueue(1, { kind: 'summarize', now: at(10) });
    const page = repo.list({ kind: 'fetch_transcript', limit: 2, offset: 1 });
    expect(page.total).toBe(5);
    expect(page.jobs.map((job) => job.id)).toEqual([ids[3], ids[2]]);
    expect(repo.list({ courseId: 2, limit: 10, offset: 0 }).jobs.map((job) => job.itemId)).toEqual([
      101, 100,
    ]);
    expect(repo.list({ itemId: 1, limit: 10, offset: 0 }).jobs.map((job) => job.kind)).toEqual([
      'summarize',
      'fetch_transcript',
    ]);
    expect(repo.list({ itemIds: [2, 3], limit: 10, offset: 0 }).total).toBe(2);
    expect(repo.list({ itemIds: [], limit: 10, offset: 0 }).total).toBe(0);
    repo.requestCancel(ids[0] ?? 0, at(20));
    expect(repo.list({ state: 'cancelled', limit: 10, offset: 0 }).jobs.map((job) => job.id)).toEqual([
      ids[0],
    ]);
  });

  it('groups active jobs by item and counts jobs per state', () => {
    const a = enqueue(1).job;
    const b = enqueue(1, { kind: 'summarize' }).job;
    const c = enqueue(2).job;
    repo.requestCancel(c.id, at(1));
    const byItem = repo.activeForItems([1, 2, 3]);
    expect(byItem.get(1)?.map((job) => job.id)).toEqual([a.id, b.id]);
    expect(byItem.has(2)).toBe(false);
    expect(repo.countByState()).toEqual({ queued: 2, running: 0, succeeded: 0, failed: 0, cancelled: 1 });
  });
});
