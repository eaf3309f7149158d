import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ownershipGuard } from '../../src/jobs/handlers/ownership.ts';
import { sha256 } from '../../src/shared/hash.ts';
import type { FakeFetch } from '../../src/transcripts/providers/fake.provider.ts';
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

  it("leaves the current owner's file and record in place when a stale attempt finishes later", async () => {
    let version = 0;
    const panopto: FakeFetch = {
      async fetch() {
        version += 1;
        return {
          cues: [{ startMs: 0, endMs: 1000, text: `Version ${version} of the captions.` }],
          timed: true,
        };
      },
    };
    const other = await createTestApp({ overrides: { providerFetches: { panopto } } });
    try {
      await syncDemo(other.app, [101]);
      const { jobs, items, artifacts } = other.deps.repositories;
      await other.app.inject({ method: 'POST', url: '/items/10001/fetch-transcript' });
      const stale = jobs.claimNext({ now: new Date(), leaseMs: 1_000, claimId: 'first-worker' });
      const owner = jobs.claimNext({
        now: new Date(Date.now() + 5_000),
        leaseMs: 60_000,
        claimId: 'second-worker',
      });
      const item = items.get(10001);
      if (!stale || !owner || !item) throw new Error('setup failed');
      const guard = (job: typeof stale) => ownershipGuard(jobs, job, new AbortController().signal);

      await other.deps.services.transcripts.ensure(item, { force: true, assertCurrent: guard(owner) });
      await expect(
        other.deps.services.transcripts.ensure(item, { force: true, assertCurrent: guard(stale) }),
      ).rejects.toMatchObject({ code: 'jobs.lease_lost' });

      const path = join(other.dataDir, 'transcripts', '10001.txt');
      expect(readFileSync(path, 'utf8')).toBe('[00:00:00] Version 1 of the captions.');
      expect(artifacts.find(10001, 'transcript')?.contentHash).toBe(sha256(readFileSync(path, 'utf8')));
      // The cues beside it are the owner's too, and no temporary file of the stale attempt is left.
      const cuesPath = join(other.dataDir, 'transcripts', '10001.json');
      expect(readFileSync(cuesPath, 'utf8')).toContain('Version 1 of the captions.');
      expect(readFileSync(cuesPath, 'utf8')).not.toContain('Version 2');
      expect(artifacts.find(10001, 'cues')?.contentHash).toBe(sha256(readFileSync(cuesPath, 'utf8')));
      expect(readdirSync(join(other.dataDir, 'transcripts')).sort()).toEqual(['10001.json', '10001.txt']);
    } finally {
      await other.close();
    }
  });
});
