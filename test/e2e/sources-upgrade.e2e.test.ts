import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { artifacts, items, mediaSources } from '../../src/db/schema.ts';
import { DEMO_RECORDINGS } from '../../src/demo/demo-transcripts.ts';
import { sha256 } from '../../src/shared/hash.ts';
import { adoptLegacySources } from '../../src/sync/legacy-sources.ts';
import { createFakeFetch } from '../../src/transcripts/providers/fake.provider.ts';
import { syncDemo } from '../helpers/demo-account.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * A data folder from before media sources: items held one recording URL (`media_url`) and a
 * transcript recorded the hash of that URL. The first sync after the upgrade must find the same
 * recording again without making the transcript and notes stale.
 */

const ITEM = 10001;
let t: TestApp;
let fetches = 0;

beforeEach(async () => {
  fetches = 0;
  const demo = createFakeFetch(DEMO_RECORDINGS);
  t = await createTestApp({
    overrides: {
      providerFetches: {
        panopto: {
          fetch: (ref, context) => {
            fetches += 1;
            return demo.fetch(ref, context);
          },
        },
      },
    },
  });
  await syncDemo(t.app, [101]);
});
afterEach(() => t.close());

/** Rewrites the item's records the way the previous version stored them. */
function makeLegacy(itemId: number) {
  const { db } = t.deps;
  const item = db.select().from(items).where(eq(items.id, itemId)).get();
  if (!item?.mediaUrl) throw new Error('the demo item has no recording URL');
  db.delete(mediaSources).where(eq(mediaSources.itemId, itemId)).run();
  db.delete(artifacts).where(eq(artifacts.kind, 'cues')).run();
  db.update(artifacts)
    .set({ sourceHash: sha256(item.mediaUrl) })
    .where(eq(artifacts.kind, 'transcript'))
    .run();
}

describe('a data folder from before media sources', () => {
  it('keeps a ready item ready and its transcript current across the first sync', async () => {
    expect((await t.app.inject({ method: 'POST', url: `/items/${ITEM}/fetch-transcript` })).statusCode).toBe(
      202,
    );
    await t.deps.runner.runUntilEmpty();
    expect(fetches).toBe(1);
    makeLegacy(ITEM);

    await syncDemo(t.app, [101]);
    const item = (await t.app.inject({ method: 'GET', url: `/items/${ITEM}` })).json();
    expect(item).toMatchObject({ status: 'TRANSCRIPT_READY', provider: 'panopto' });
    expect(item.media_sources).toHaveLength(1);

    // Notes are made from the stored transcript: the recording is not fetched again.
    expect((await t.app.inject({ method: 'POST', url: `/items/${ITEM}/summarize` })).statusCode).toBe(202);
    await t.deps.runner.runUntilEmpty();
    expect((await t.app.inject({ method: 'GET', url: `/items/${ITEM}` })).json().status).toBe(
      'SUMMARY_READY',
    );
    expect(fetches).toBe(1);
  });

  it('adopts the old recording as the item’s source at start-up, before any sync', async () => {
    expect((await t.app.inject({ method: 'POST', url: `/items/${ITEM}/fetch-transcript` })).statusCode).toBe(
      202,
    );
    await t.deps.runner.runUntilEmpty();
    makeLegacy(ITEM);
    expect((await t.app.inject({ method: 'GET', url: `/items/${ITEM}` })).json().media_sources).toEqual([]);

    const { db, repositories, providers } = t.deps;
    expect(adoptLegacySources({ db, mediaSources: repositories.mediaSources, providers })).toBe(1);
    expect(adoptLegacySources({ db, mediaSources: repositories.mediaSources, providers })).toBe(0);
    const item = (await t.app.inject({ method: 'GET', url: `/items/${ITEM}` })).json();
    expect(item.media_sources).toMatchObject([{ provider: 'panopto', url: item.media_url }]);
    expect((await t.app.inject({ method: 'POST', url: `/items/${ITEM}/summarize` })).statusCode).toBe(202);
    await t.deps.runner.runUntilEmpty();
    expect((await t.app.inject({ method: 'GET', url: `/items/${ITEM}` })).json().status).toBe(
      'SUMMARY_READY',
    );
    expect(fetches).toBe(1);
  });

  it('still marks an item DISCOVERED when the recording found is another one', async () => {
    expect((await t.app.inject({ method: 'POST', url: `/items/${ITEM}/fetch-transcript` })).statusCode).toBe(
      202,
    );
    await t.deps.runner.runUntilEmpty();
    makeLegacy(ITEM);
    t.deps.db
      .update(items)
      .set({ mediaUrl: 'https://demo.hosted.panopto.com/Panopto/Pages/Viewer.aspx?id=other' })
      .where(eq(items.id, ITEM))
      .run();

    await syncDemo(t.app, [101]);
    expect((await t.app.inject({ method: 'GET', url: `/items/${ITEM}` })).json().status).toBe('DISCOVERED');
  });
});
