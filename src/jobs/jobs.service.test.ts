import { describe, expect, it, vi } from 'vitest';
import type { Db } from '../db/client.ts';
import { createTestDb } from '../db/db.test-utils.ts';
import { createArtifactsRepository } from '../db/repositories/artifacts.repository.ts';
import { createCoursesRepository } from '../db/repositories/courses.repository.ts';
import { createItemsRepository } from '../db/repositories/items.repository.ts';
import { createMediaSourcesRepository } from '../db/repositories/media-sources.repository.ts';
import { createModulesRepository } from '../db/repositories/modules.repository.ts';
import { createJobsRepository, type JobsRepository } from './jobs.repository.ts';
import { createJobsService } from './jobs.service.ts';
import { seedItems } from './jobs.test-utils.ts';

/** Five recordings in course 1 / module 1, each with a Panopto link. */
function setUp(wrap: (jobs: JobsRepository) => JobsRepository = (jobs) => jobs) {
  const db: Db = createTestDb();
  const ids = seedItems(db, { count: 5 });
  const mediaSources = createMediaSourcesRepository({ db });
  db.transaction((tx) => {
    for (const id of ids) {
      mediaSources.replaceDiscovered(
        tx,
        id,
        [{ provider: 'panopto', ref: `session-${id}`, url: null, foundIn: 'item_url', details: {} }],
        new Date(),
      );
    }
  });
  const jobs = createJobsRepository({ db });
  const onEnqueued = vi.fn();
  const onCancelRequested = vi.fn();
  const service = createJobsService({
    db,
    jobs: wrap(jobs),
    courses: createCoursesRepository({ db }),
    modules: createModulesRepository({ db }),
    items: createItemsRepository({ db }),
    artifacts: createArtifactsRepository({ db }),
    mediaSources,
    maxAttempts: 3,
    onEnqueued,
    onCancelRequested,
  });
  return { db, ids, jobs, service, onEnqueued, onCancelRequested };
}

describe('jobs service', () => {
  it('queues nothing at all when one job of a bulk action cannot be queued', () => {
    let calls = 0;
    const { jobs, service, onEnqueued } = setUp((real) => ({
      ...real,
      enqueue: (tx, input) => {
        calls += 1;
        if (calls === 3) throw new Error('disk full');
        return real.enqueue(tx, input);
      },
    }));
    expect(() => service.bulkEnqueue({ courseId: 1 }, 'summarize')).toThrow('disk full');
    expect(jobs.countByState().queued).toBe(0);
    expect(onEnqueued).not.toHaveBeenCalled();
  });

  it('wakes the runner once per bulk action, and not when every job already existed', () => {
    const { service, onEnqueued } = setUp();
    expect(service.bulkEnqueue({ moduleId: 1 }, 'fetch_transcript').jobs).toHaveLength(5);
    expect(service.bulkEnqueue({ moduleId: 1 }, 'fetch_transcript').jobs).toHaveLength(5);
    expect(onEnqueued).toHaveBeenCalledTimes(1);
  });

  it('tells the in-process runner about a cancel only when the job is running', () => {
    const { ids, jobs, service, onCancelRequested } = setUp();
    service.bulkEnqueue({ courseId: 1 }, 'fetch_transcript');
    const running = jobs.claimNext({ now: new Date(), leaseMs: 60_000, claimId: 'w1' });
    const queued = jobs.list({ itemId: ids[1], limit: 1, offset: 0 }).jobs[0];

    expect(service.cancel(queued?.id ?? 0)).toMatchObject({ pending: false, job: { state: 'cancelled' } });
    expect(onCancelRequested).not.toHaveBeenCalled();
    expect(service.cancel(running?.id ?? 0)).toMatchObject({
      pending: true,
      job: { state: 'running', cancelRequested: true },
    });
    expect(onCancelRequested).toHaveBeenCalledWith(running?.id);
  });
});
