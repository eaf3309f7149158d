import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ownershipGuard } from '../../src/jobs/handlers/ownership.ts';
import { syncDemo } from '../helpers/demo-account.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

describe('a job attempt that no longer owns its job', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
    await syncDemo(t.app, [101]);
  });
  afterEach(async () => {
    await t.close();
  });

  const claim = (claimId: string, now: Date) =>
    t.deps.repositories.jobs.claimNext({ now, leaseMs: 1_000, claimId });

  it('records nothing once another worker has taken the job over', async () => {
    const { jobs } = t.deps.repositories;
    await t.app.inject({ method: 'POST', url: '/items/10001/fetch-transcript' });
    const stale = claim('first-worker', new Date());
    if (!stale) throw new Error('no job to claim');
    // The first worker's lease runs out and a second worker claims the job.
    const takenOver = claim('second-worker', new Date(Date.now() + 5_000));
    expect(takenOver?.id).toBe(stale.id);

    const item = t.deps.repositories.items.get(10001);
    if (!item) throw new Error('demo item missing');
    const guard = ownershipGuard(jobs, stale, new AbortController().signal);
    await expect(t.deps.services.transcripts.ensure(item, { assertCurrent: guard })).rejects.toMatchObject({
      code: 'jobs.lease_lost',
    });
    expect(t.deps.repositories.artifacts.find(10001, 'transcript')).toBeUndefined();
    expect(existsSync(join(t.dataDir, 'transcripts', '10001.txt'))).toBe(false);
    expect(t.deps.repositories.items.get(10001)?.status).toBe('DISCOVERED');

    // The current owner records its result as usual.
    const current = ownershipGuard(jobs, takenOver ?? stale, new AbortController().signal);
    await t.deps.services.transcripts.ensure(item, { assertCurrent: current });
    expect(t.deps.repositories.items.get(10001)?.status).toBe('TRANSCRIPT_READY');
  });

  it('records nothing once its signal is aborted', async () => {
    await t.app.inject({ method: 'POST', url: '/items/10001/summarize' });
    const job = claim('only-worker', new Date());
    if (!job) throw new Error('no job to claim');
    const controller = new AbortController();
    controller.abort(new Error('timed out'));
    const item = t.deps.repositories.items.get(10001);
    if (!item) throw new Error('demo item missing');
    const guard = ownershipGuard(t.deps.repositories.jobs, job, controller.signal);
    await expect(t.deps.services.summaries.summarize(item, { assertCurrent: guard })).rejects.toThrow(
      'timed out',
    );
    expect(t.deps.repositories.artifacts.listForItem(10001)).toEqual([]);
  });
});
