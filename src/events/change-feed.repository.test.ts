import { eq, sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../db/client.ts';
import { createTestDb } from '../db/db.test-utils.ts';
import { createArtifactsRepository } from '../db/repositories/artifacts.repository.ts';
import { createItemsRepository } from '../db/repositories/items.repository.ts';
import { createMediaSourcesRepository } from '../db/repositories/media-sources.repository.ts';
import { items } from '../db/schema.ts';
import { createJobsRepository } from '../jobs/jobs.repository.ts';
import { seedItems } from '../jobs/jobs.test-utils.ts';
import type { MediaRef } from '../transcripts/transcript-provider.ts';
import { type ChangeFeedRepository, createChangeFeedRepository } from './change-feed.repository.ts';

const T0 = new Date('2025-01-01T00:00:00Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

let db: Db;
let feed: ChangeFeedRepository;

beforeEach(() => {
  db = createTestDb();
  seedItems(db, { count: 3, courseId: 7 });
  feed = createChangeFeedRepository({ db });
});

/** The changes recorded by `write`, as `entity:id` (course and module where the row has them). */
function changesOf(write: () => void): string[] {
  const before = feed.latestSeq();
  write();
  return feed
    .after(before, 1_000)
    .map((row) =>
      [row.entity, row.entityId, row.courseId, row.moduleId].filter((part) => part !== null).join(':'),
    );
}

describe('the change feed triggers', () => {
  it('records an item once per shown change, and nothing for a rewrite or a hidden field', () => {
    const repo = createItemsRepository({ db });
    expect(
      changesOf(() => repo.setStatus(db, 1, { status: 'FAILED', errorCode: 'x.y', error: 'no' }, at(1))),
    ).toEqual(['item:1']);
    // The same values again (a retry writing the same failure), and fields the API does not show.
    expect(
      changesOf(() => repo.setStatus(db, 1, { status: 'FAILED', errorCode: 'x.y', error: 'no' }, at(2))),
    ).toEqual([]);
    expect(changesOf(() => repo.setContentVersion(db, 1, 'v2', at(3)))).toEqual([]);
    expect(
      changesOf(() => db.update(items).set({ canvasHash: 'other' }).where(eq(items.id, 1)).run()),
    ).toEqual([]);
    expect(changesOf(() => db.update(items).set({ title: 'Renamed' }).where(eq(items.id, 2)).run())).toEqual([
      'item:2',
    ]);
  });

  it("records an item's removal with its course and module, which the row no longer has", () => {
    expect(changesOf(() => createItemsRepository({ db }).removeMany(db, [3]))).toEqual([
      'item_removed:3:7:7',
    ]);
  });

  it("records a change of an item's sources and files as a change of the item", () => {
    const sources = createMediaSourcesRepository({ db });
    const ref: MediaRef = {
      provider: 'youtube',
      ref: 'abc',
      url: 'https://youtu.be/abc',
      foundIn: 'item_url',
      details: {},
    };
    expect(changesOf(() => sources.replaceDiscovered(db, 1, [ref], at(1)))).toEqual(['item:1']);
    // A re-sync finding the same recording rewrites its row with the same values.
    expect(changesOf(() => sources.replaceDiscovered(db, 1, [ref], at(2)))).toEqual([]);
    const artifact = {
      itemId: 1,
      kind: 'transcript' as const,
      path: 'transcripts/1.txt',
      contentHash: 'h1',
      sourceHash: null,
      model: null,
      promptTokens: null,
      completionTokens: null,
      bytes: 10,
    };
    const artifacts = createArtifactsRepository({ db });
    expect(changesOf(() => artifacts.put(db, artifact, at(1)))).toEqual(['item:1']);
    expect(changesOf(() => artifacts.put(db, { ...artifact, contentHash: 'h2' }, at(2)))).toEqual(['item:1']);
  });

  it('records a job when it is queued, claimed, makes progress and ends, and never for a heartbeat', () => {
    const jobs = createJobsRepository({ db });
    const queued = changesOf(() =>
      jobs.enqueue(db, { kind: 'summarize', itemId: 1, payload: { item_id: 1 }, maxAttempts: 3, now: T0 }),
    );
    expect(queued).toEqual(['job:1']);
    expect(changesOf(() => jobs.claimNext({ now: T0, leaseMs: 1_000, claimId: 'c1' }))).toEqual(['job:1']);
    expect(
      changesOf(() => {
        for (let beat = 1; beat <= 5; beat += 1) jobs.heartbeat(1, 'c1', at(1_000 * beat));
      }),
    ).toEqual([]);
    expect(changesOf(() => jobs.setProgress(1, 'c1', { current: 1, total: 2, message: 'Part 1' }))).toEqual([
      'job:1',
    ]);
    expect(changesOf(() => jobs.setProgress(1, 'c1', { current: 1, total: 2, message: 'Part 1' }))).toEqual(
      [],
    );
    expect(changesOf(() => jobs.complete(1, 'c1', at(5)))).toEqual(['job:1']);
  });
});

describe('the kept window', () => {
  it('keeps at least the last 10,000 changes and fewer than 11,000', () => {
    // Raw statements: twelve thousand drizzle-built updates would take most of this test's time.
    const flip = db.$client.prepare(
      "update items set status = case status when 'FAILED' then 'DISCOVERED' else 'FAILED' end where id = ?",
    );
    db.$client.transaction(() => {
      for (let change = 0; change < 12_345; change += 1) flip.run(1 + (change % 3));
    })();
    const latest = feed.latestSeq();
    const kept = db.get<{ n: number }>(sql`select count(*) as n from changes`).n;
    expect(latest).toBeGreaterThanOrEqual(12_345);
    expect(kept).toBeGreaterThanOrEqual(10_000);
    expect(kept).toBeLessThan(11_000);
    // Contiguous: nothing inside the window is missing.
    expect(feed.oldestSeq()).toBe(latest - kept + 1);
  });
});

describe('a range of the feed for one course', () => {
  it('places items and jobs where the item is now, a removed item where it was, and a job of a gone item nowhere', () => {
    seedItems(db, { count: 2, courseId: 8, firstItemId: 10 });
    const jobs = createJobsRepository({ db });
    const itemsRepo = createItemsRepository({ db });
    jobs.enqueue(db, { kind: 'summarize', itemId: 11, payload: { item_id: 11 }, maxAttempts: 3, now: T0 });
    const from = feed.latestSeq();
    itemsRepo.setStatus(db, 1, { status: 'FAILED' }, at(1));
    itemsRepo.setStatus(db, 10, { status: 'FAILED' }, at(1));
    itemsRepo.setStatus(db, 10, { status: 'DISCOVERED' }, at(2));
    jobs.enqueue(db, { kind: 'summarize', itemId: 10, payload: { item_id: 10 }, maxAttempts: 3, now: T0 });
    jobs.requestCancel(1, T0);
    itemsRepo.removeMany(db, [11]);
    const to = feed.latestSeq();
    itemsRepo.setStatus(db, 10, { status: 'FAILED' }, at(3));
    const described = (rows: ReturnType<ChangeFeedRepository['between']>) =>
      rows.map((row) => `${row.entity}:${row.entityId}`);

    expect(described(feed.between(from, to, 8))).toEqual(['item:10', 'item:10', 'job:2', 'item_removed:11']);
    // Item 10 twice is one entity; job 1 is item 11's, which is gone.
    expect(feed.countChanged(from, to, 8)).toBe(3);
    expect(described(feed.between(from, to, 7))).toEqual(['item:1']);
    expect(feed.countChanged(from, to, 7)).toBe(1);
    expect(feed.countChanged(from, to)).toBe(5);
    expect(feed.between(from, to)).toHaveLength(to - from);
    expect(feed.countChanged(to, to, 8)).toBe(0);
  });
});
