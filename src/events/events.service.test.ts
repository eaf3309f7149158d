import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client.ts';
import { createTestDb } from '../db/db.test-utils.ts';
import { createItemsRepository } from '../db/repositories/items.repository.ts';
import { createJobsRepository } from '../jobs/jobs.repository.ts';
import { seedItems } from '../jobs/jobs.test-utils.ts';
import { createChangeFeedRepository } from './change-feed.repository.ts';
import { createEventsService, type EventsService, type FeedEvent } from './events.service.ts';

const T0 = new Date('2025-01-01T00:00:00Z');

let db: Db;
let events: EventsService;
const items = () => createItemsRepository({ db });
const jobs = () => createJobsRepository({ db });

beforeEach(() => {
  db = createTestDb();
  seedItems(db, { count: 3, courseId: 7 });
  events = createEventsService({
    feed: createChangeFeedRepository({ db }),
    // Files and sources are the items service's to load; these items have none.
    items: { withArtifacts: (rows) => rows.map((item) => ({ item, artifacts: [], sources: [] })) },
    jobs: jobs(),
  });
});

const summary = (event: FeedEvent) =>
  event.type === 'item'
    ? `item ${event.detail.item.id} ${event.detail.item.status} job=${event.detail.job?.id ?? '-'}`
    : event.type === 'job'
      ? `job ${event.job.id} ${event.job.state} course=${event.courseId}`
      : `removed ${event.id} course=${event.courseId} module=${event.moduleId}`;

describe('events from the change feed', () => {
  it('makes one event per entity, as it is now, at the seq of its last change', () => {
    const from = events.latestSeq();
    for (const status of ['FAILED', 'DISCOVERED', 'TRANSCRIPT_READY'] as const)
      items().setStatus(db, 1, { status }, T0);
    jobs().enqueue(db, { kind: 'summarize', itemId: 2, payload: { item_id: 2 }, maxAttempts: 3, now: T0 });
    items().setStatus(db, 2, { status: 'FAILED' }, T0);
    const batch = events.read(from, 100);
    expect(batch.events.map(summary)).toEqual([
      'item 1 TRANSCRIPT_READY job=-',
      'job 1 queued course=7',
      'item 2 FAILED job=1',
    ]);
    expect(batch.events.map((event) => event.seq)).toEqual([from + 3, from + 4, from + 5]);
    expect(batch).toMatchObject({ lastSeq: from + 5, more: false });
    expect(events.read(from, 2)).toMatchObject({ lastSeq: from + 2, more: true });
  });

  it('reports a removed item with where it was, and a job whose item is gone with no course', () => {
    jobs().enqueue(db, { kind: 'summarize', itemId: 3, payload: { item_id: 3 }, maxAttempts: 3, now: T0 });
    const from = events.latestSeq();
    items().setStatus(db, 3, { status: 'FAILED' }, T0);
    items().removeMany(db, [3]);
    jobs().requestCancel(1, T0);
    expect(events.read(from, 100).events.map(summary)).toEqual([
      'removed 3 course=7 module=7',
      'job 1 cancelled course=null',
    ]);
  });

  it('replays the changes between two points, and refuses what it no longer keeps or never had', () => {
    const from = events.latestSeq();
    items().setStatus(db, 1, { status: 'FAILED' }, T0);
    items().setStatus(db, 2, { status: 'FAILED' }, T0);
    const to = events.latestSeq();
    items().setStatus(db, 3, { status: 'FAILED' }, T0);
    const limits = { pageSize: 1, maxEvents: 10 };
    expect(events.between(from, to, limits)?.map(summary)).toEqual([
      'item 1 FAILED job=-',
      'item 2 FAILED job=-',
    ]);
    expect(events.between(to, to, limits)).toEqual([]);
    expect(events.between(from, to, { pageSize: 10, maxEvents: 1 })).toBeNull();
    expect(events.between(events.latestSeq() + 1, to, limits)).toBeNull();
    db.$client.prepare('delete from changes where seq <= ?').run(from + 1);
    expect(events.between(from, to, limits)).toBeNull();
    expect(events.between(from + 1, to, limits)?.map(summary)).toEqual(['item 2 FAILED job=-']);
  });
});
