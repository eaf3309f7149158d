import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { closeDb, type Db, migrate, openDb } from '../db/client.ts';
import { createTestDb } from '../db/db.test-utils.ts';
import { createItemsRepository } from '../db/repositories/items.repository.ts';
import { createJobsRepository } from '../jobs/jobs.repository.ts';
import { seedItems } from '../jobs/jobs.test-utils.ts';
import { type ChangeFeedRepository, createChangeFeedRepository } from './change-feed.repository.ts';
import { createEventsService, type EventsService, type FeedEvent } from './events.service.ts';

const T0 = new Date('2025-01-01T00:00:00Z');

let db: Db;
let events: EventsService;
/** Items whose details the service loaded. */
let loaded: number[];
const items = () => createItemsRepository({ db });
const jobs = () => createJobsRepository({ db });

const eventsOver = (feed: ChangeFeedRepository) =>
  createEventsService({
    feed,
    // Files and sources are the items service's to load; these items have none.
    items: {
      withArtifacts: (rows) => {
        loaded.push(...rows.map((item) => item.id));
        return rows.map((item) => ({ item, artifacts: [], sources: [] }));
      },
    },
    jobs: jobs(),
  });

beforeEach(() => {
  db = createTestDb();
  seedItems(db, { count: 3, courseId: 7 });
  loaded = [];
  events = eventsOver(createChangeFeedRepository({ db }));
});

/** `read`, which must not have lost anything. */
const readLive = (seq: number, limit: number) => {
  const batch = events.read(seq, limit);
  if (batch.lost) throw new Error(`changes after ${seq} lost`);
  return batch;
};

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
    const batch = readLive(from, 100);
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
    expect(readLive(from, 100).events.map(summary)).toEqual([
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
    const limits = { maxEvents: 10 };
    expect(events.between(from, to, limits)?.map(summary)).toEqual([
      'item 1 FAILED job=-',
      'item 2 FAILED job=-',
    ]);
    expect(events.between(to, to, limits)).toEqual([]);
    expect(events.between(from, to, { maxEvents: 1 })).toBeNull();
    expect(events.between(events.latestSeq() + 1, to, limits)).toBeNull();
    db.$client.prepare('delete from changes where seq <= ?').run(from + 1);
    expect(events.between(from, to, limits)).toBeNull();
    expect(events.between(from + 1, to, limits)?.map(summary)).toEqual(['item 2 FAILED job=-']);
  });

  it('reports the changes after a seq lost when the first one kept comes later, and where to go on', () => {
    const from = events.latestSeq();
    for (const id of [1, 2, 3]) items().setStatus(db, id, { status: 'FAILED' }, T0);
    // As the prune trigger leaves the feed after one transaction of more changes than it keeps.
    db.$client.prepare('delete from changes where seq <= ?').run(from + 1);
    expect(events.read(from, 100)).toEqual({ lost: true, lastSeq: from + 3 });
    expect(readLive(from + 1, 100).events.map(summary)).toEqual([
      'item 2 FAILED job=-',
      'item 3 FAILED job=-',
    ]);
  });

  it("sends an item with its job's change, first and without an id, unless it changed later", () => {
    const from = events.latestSeq();
    const enqueue = (itemId: number) =>
      jobs().enqueue(db, {
        kind: 'summarize',
        itemId,
        payload: { item_id: itemId },
        maxAttempts: 3,
        now: T0,
      });
    enqueue(1);
    items().setStatus(db, 2, { status: 'FAILED' }, T0);
    enqueue(2);
    enqueue(3);
    items().setStatus(db, 3, { status: 'FAILED' }, T0);
    const batch = readLive(from, 100).events;
    expect(batch.map(summary)).toEqual([
      'item 1 DISCOVERED job=1',
      'job 1 queued course=7',
      'item 2 FAILED job=2',
      'job 2 queued course=7',
      'job 3 queued course=7',
      'item 3 FAILED job=3',
    ]);
    expect(batch.map((event) => event.type === 'item' && event.forJob === true)).toEqual([
      true,
      false,
      true,
      false,
      false,
      false,
    ]);
  });

  it("caps a filtered replay by its own course's entities, counted before any is loaded", () => {
    seedItems(db, { count: 4, courseId: 8, firstItemId: 10 });
    const from = events.latestSeq();
    for (const id of [10, 11, 12, 13, 1]) items().setStatus(db, id, { status: 'FAILED' }, T0);
    jobs().enqueue(db, { kind: 'summarize', itemId: 2, payload: { item_id: 2 }, maxAttempts: 3, now: T0 });
    const to = events.latestSeq();
    expect(events.between(from, to, { courseId: 7, maxEvents: 2 })?.map(summary)).toEqual([
      'item 1 FAILED job=-',
      // The item's detail shows its job, so the job's change sends the item too, first.
      'item 2 DISCOVERED job=1',
      'job 1 queued course=7',
    ]);
    // Course 8's items were neither counted nor loaded.
    expect(loaded.sort()).toEqual([1, 2]);
    expect(events.between(from, to, { courseId: 8, maxEvents: 4 })).toHaveLength(4);
    loaded = [];
    expect(events.between(from, to, { courseId: 8, maxEvents: 3 })).toBeNull();
    expect(events.between(from, to, { maxEvents: 5 })).toBeNull();
    expect(loaded).toEqual([]);
  });
});

describe('a replay while another process prunes the feed', () => {
  it('reads one snapshot: what it checked is still there when it reads the changes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'events-snapshot-'));
    const path = join(dir, 'feed.db');
    const worker = openDb(path);
    try {
      migrate(worker);
      db = openDb(path);
      seedItems(db, { count: 3, courseId: 7 });
      const feed = createChangeFeedRepository({ db });
      const from = feed.latestSeq();
      for (const id of [1, 2]) items().setStatus(db, id, { status: 'FAILED' }, T0);
      const to = feed.latestSeq();
      // The worker's prune commits after the replay checked the range is kept, before it reads it.
      const racing = eventsOver({
        ...feed,
        between: (...args) => {
          worker.$client.prepare('delete from changes where seq <= ?').run(from + 1);
          return feed.between(...args);
        },
      });
      expect(racing.between(from, to, { maxEvents: 10 })?.map(summary)).toEqual([
        'item 1 FAILED job=-',
        'item 2 FAILED job=-',
      ]);
      // The prune did commit: a replay begun after it refuses the range.
      expect(racing.between(from, to, { maxEvents: 10 })).toBeNull();
    } finally {
      closeDb(db);
      closeDb(worker);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
