import { describe, expect, it } from 'vitest';
import { seedItems } from '../../jobs/jobs.test-utils.ts';
import type { MediaRef } from '../../transcripts/transcript-provider.ts';
import { createTestDb } from '../db.test-utils.ts';
import { createMediaSourcesRepository } from './media-sources.repository.ts';

const at = (ms: number) => new Date(Date.UTC(2025, 0, 1) + ms);
const youtube = (id: string, details: Record<string, string> = {}): MediaRef => ({
  provider: 'youtube',
  ref: id,
  url: `https://youtu.be/${id}`,
  title: `Video ${id}`,
  foundIn: 'page_body',
  details,
});

describe('replaceDiscoveredFrom', () => {
  it('returns the sources the item holds after, exactly as listForItem reads them back', () => {
    const db = createTestDb();
    seedItems(db, { count: 1, courseId: 7 });
    const sources = createMediaSourcesRepository({ db });
    sources.putUpload(db, 1, { file: 'talk.vtt' }, at(0));
    sources.replaceDiscovered(db, 1, [youtube('a'), youtube('b'), youtube('c')], at(1));

    // Kept with new details and a new place, one gone, one new, a duplicate ignored.
    const wanted = [youtube('c'), youtube('d'), youtube('a', { t: '30' }), youtube('d')];
    const result = sources.replaceDiscoveredFrom(db, 1, wanted, at(2), sources.listForItem(1));

    expect(result.changed).toBe(true);
    expect(result.sources).toEqual(sources.listForItem(1));
    expect(result.sources.map((source) => `${source.provider}:${source.ref}`)).toEqual([
      'upload:upload',
      'youtube:c',
      'youtube:d',
      'youtube:a',
    ]);
  });

  it('reports no change when the same recordings are found again', () => {
    const db = createTestDb();
    seedItems(db, { count: 1, courseId: 7 });
    const sources = createMediaSourcesRepository({ db });
    sources.replaceDiscovered(db, 1, [youtube('a'), youtube('b')], at(1));

    const again = sources.replaceDiscoveredFrom(
      db,
      1,
      [youtube('a'), youtube('b')],
      at(2),
      sources.listForItem(1),
    );

    expect(again.changed).toBe(false);
    expect(again.sources).toEqual(sources.listForItem(1));
  });
});
