import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { type JobsEnv, startJobsEnv } from '../helpers/jobs-env.ts';

describe('temporary files left by killed attempts', () => {
  let env: JobsEnv;
  afterEach(async () => {
    await env.close();
  });

  /** A just-written temporary file, as a process killed mid-write leaves it (age: none). */
  const plant = (itemId: number, hex: string, content = '', extension = 'txt') => {
    mkdirSync(join(env.t.dataDir, 'transcripts'), { recursive: true });
    const path = join(env.t.dataDir, 'transcripts', `${itemId}.${extension}.${hex}.tmp`);
    writeFileSync(path, content);
    return path;
  };

  /** Queues a transcript fetch for `itemId` and claims it as another worker would. */
  const claimElsewhere = (itemId: number, leaseMs: number) => {
    const { jobs } = env.t.deps.repositories;
    const now = new Date();
    jobs.enqueue(env.t.deps.db, {
      kind: 'fetch_transcript',
      itemId,
      payload: { item_id: itemId },
      maxAttempts: 3,
      now,
    });
    return jobs.claimNext({ now, leaseMs, claimId: `worker-${itemId}` });
  };

  it('at start-up removes every one whose item has no live job, however fresh', async () => {
    env = await startJobsEnv({ lectures: 3 });
    const [dead = 0, idle = 0, live = 0] = env.course.lectureIds;
    // The live claim first: a claim takes expired leases before queued jobs.
    claimElsewhere(live, 60_000);
    claimElsewhere(dead, 1);
    await delay(5);
    const paths = [
      plant(dead, 'aaaaaaaaaaaa'),
      plant(idle, 'bbbbbbbbbbbb', 'half'),
      plant(live, 'cccccccccccc'),
    ];

    expect(await env.t.deps.sweepOrphanFiles()).toBe(2);
    expect(paths.map(existsSync)).toEqual([false, false, true]);
  });

  it("when a dead worker's job is reclaimed, removes what it left before the new attempt runs", async () => {
    env = await startJobsEnv({ lectures: 1 });
    const [id = 0] = env.course.lectureIds;
    const claimed = claimElsewhere(id, 1);
    expect(claimed?.state).toBe('running');
    // A fetch writes the text and its cues, so a killed one may leave either half-written.
    const orphans = [plant(id, 'dddddddddddd', 'half a transc'), plant(id, 'eeeeeeeeeeee', '{"vers', 'json')];
    await delay(5);

    await env.t.deps.runner.runUntilEmpty();
    expect(orphans.map(existsSync)).toEqual([false, false]);
    expect(readdirSync(join(env.t.dataDir, 'transcripts')).sort()).toEqual([`${id}.json`, `${id}.txt`]);
    const job = (await env.get(`/jobs/${claimed?.id}`)).json();
    expect(job).toMatchObject({ state: 'succeeded', attempts: 2 });
  });
});
