import { describe, expect, it } from 'vitest';
import { seedItems } from '../jobs/jobs.test-utils.ts';
import { createTestDb } from './db.test-utils.ts';
import { createArtifactsRepository } from './repositories/artifacts.repository.ts';
import { createMediaSourcesRepository } from './repositories/media-sources.repository.ts';
import { rowReader } from './row-reader.ts';
import { artifacts, items, jobs, mediaSources } from './schema.ts';

function seeded() {
  const db = createTestDb();
  seedItems(db, { count: 3 });
  const at = new Date(Date.UTC(2026, 11, 2, 5, 6, 7, 89));
  createArtifactsRepository({ db }).put(
    db,
    {
      itemId: 2,
      kind: 'summary',
      path: 'summaries/2.md',
      contentHash: 'h',
      sourceHash: null,
      model: 'm',
      promptTokens: 10,
      completionTokens: null,
      details: {
        summarizer: 'openai',
        promptVersion: 'v3',
        parts: 2,
        calls: 3,
        wallMs: 5,
        leftOut: [{ part: 1, startMs: null, reason: 'empty_reply' }],
        timesDropped: 0,
      },
      bytes: 42,
    },
    at,
  );
  createMediaSourcesRepository({ db }).replaceDiscovered(
    db,
    1,
    [
      {
        provider: 'youtube',
        ref: 'a',
        url: null,
        title: 'Ünïcode "title"',
        foundIn: 'page_body',
        details: { t: '30' },
      },
    ],
    at,
  );
  db.insert(jobs)
    .values({
      kind: 'fetch_transcript',
      itemId: 1,
      payload: { force: true },
      idempotencyKey: 'fetch_transcript:1',
      maxAttempts: 3,
      availableAt: at,
      cancelRequested: true,
      createdAt: at,
      updatedAt: at,
    })
    .run();
  return db;
}

describe('rowReader', () => {
  it.each([
    ['items', items],
    ['artifacts', artifacts],
    ['media_sources', mediaSources],
    ['jobs', jobs],
  ] as const)('reads %s exactly as Drizzle does: keys, nulls, dates and JSON', (name, table) => {
    const db = seeded();
    const rows = rowReader(db, table);
    const ours = rows.prepare(`select ${rows.columns} from ${name} order by rowid`).all();
    const drizzle = db.select().from(table).all();
    expect(ours.length).toBeGreaterThan(0);
    expect(ours).toEqual(drizzle);
    expect(ours.map((row) => Object.keys(row))).toEqual(drizzle.map((row) => Object.keys(row)));
  });

  it('binds named parameters and answers undefined for no row', () => {
    const db = seeded();
    const rows = rowReader(db, items);
    const byId = rows.prepare(`select ${rows.columns} from items where id = @id`);
    expect(byId.get({ id: 2 })?.updatedAt).toBeInstanceOf(Date);
    expect(byId.get({ id: 99 })).toBeUndefined();
  });
});
