import { describe, expect, it } from 'vitest';
import type { CanvasApi } from '../../canvas/canvas.schemas.ts';
import { DEMO_LECTURES, DEMO_RECORDINGS } from '../../demo/demo-transcripts.ts';
import { createTranscriptProviders } from '../providers.registry.ts';
import { renderSection } from '../transcript.render.ts';
import type { MediaRef } from '../transcript-provider.ts';
import { transcriptErrors } from '../transcripts.errors.ts';
import { createFakeFetch } from './fake.provider.ts';

const ref = (id: string): MediaRef => ({
  provider: 'panopto',
  ref: id,
  url: null,
  foundIn: 'item_url',
  details: {},
});
const context = { courseId: 1 };
// Detection never calls Canvas; any call to this Canvas fails the test loudly.
const canvas = new Proxy({} as CanvasApi, {
  get: () => () => Promise.reject(new Error('Canvas must not be called')),
});

describe('fake fetch', () => {
  it('serves WebVTT from a lookup function through the real parser', async () => {
    const vtt = 'WEBVTT\n\n00:00:02.000 --> 00:00:04.000\n<v Ada>Hello &amp; welcome.</v>\n';
    const fake = createFakeFetch((r) => (r.ref === 'a' ? vtt : undefined));
    await expect(fake.fetch(ref('a'), context)).resolves.toEqual({
      cues: [{ startMs: 2000, endMs: 4000, text: 'Hello & welcome.', speaker: 'Ada' }],
      timed: true,
    });
  });

  it('throws transcript.not_found for an unknown ref, including inherited property names', async () => {
    const fake = createFakeFetch({});
    for (const id of ['missing', 'constructor']) {
      await expect(fake.fetch(ref(id), context)).rejects.toMatchObject({ code: 'transcript.not_found' });
    }
  });

  it('throws the configured failure, for every call or only for chosen refs', async () => {
    const [first, second] = DEMO_LECTURES;
    if (!first || !second) throw new Error('The demo needs two lectures.');
    const always = createFakeFetch(DEMO_RECORDINGS, { failWith: transcriptErrors.providerUnavailable() });
    await expect(always.fetch(ref(first.guid), context)).rejects.toMatchObject({ transient: true });

    const chosen = createFakeFetch(DEMO_RECORDINGS, {
      failWith: (r) => (r.ref === first.guid ? transcriptErrors.requestRejected() : undefined),
    });
    await expect(chosen.fetch(ref(first.guid), context)).rejects.toMatchObject({
      code: 'transcript.request_rejected',
    });
    await expect(chosen.fetch(ref(second.guid), context)).resolves.toMatchObject({ timed: true });
  });

  it('rejects with the abort reason when aborted while it waits', async () => {
    const controller = new AbortController();
    const fetching = createFakeFetch(DEMO_RECORDINGS, { delayMs: 5_000 }).fetch(ref('x'), {
      ...context,
      signal: controller.signal,
    });
    controller.abort(new Error('stop'));
    await expect(fetching).rejects.toThrow('stop');
  });

  it('throws transcript.unparseable for text that is not captions', async () => {
    await expect(createFakeFetch({ a: 'just some words' }).fetch(ref('a'), context)).rejects.toMatchObject({
      code: 'transcript.unparseable',
    });
  });
});

describe('demo lectures', () => {
  const providers = createTranscriptProviders({
    canvas,
    fetchOverrides: { panopto: createFakeFetch(DEMO_RECORDINGS) },
  });

  it.each(DEMO_LECTURES)(
    '$title is found by Panopto detection and reads as clean paragraphs',
    async (lecture) => {
      // Detection must hand back exactly the demo key, or the demo would reach for the network.
      const [found, ...rest] = providers.get('panopto').detect({ kind: 'url', url: lecture.url });
      expect(rest).toEqual([]);
      expect(found).toMatchObject({ provider: 'panopto', ref: lecture.guid });
      if (!found) return;
      const fetched = await providers.get('panopto').fetch(found, context);
      const section = renderSection({ source: { ...found, title: null }, fetched });
      const words = section.paragraphs
        .map((p) => p.text)
        .join(' ')
        .split(/\s+/).length;
      expect(words).toBeGreaterThan(150);
      expect(words).toBeLessThan(420);
      for (const paragraph of section.paragraphs) {
        expect(paragraph.startMs).not.toBeNull();
        expect(paragraph.text).toMatch(/^[^[>].*[.?!]$/);
      }
    },
  );

  it('has distinct ids and titles, and captions for each', () => {
    expect(new Set(DEMO_LECTURES.map((l) => l.guid)).size).toBe(DEMO_LECTURES.length);
    expect(new Set(DEMO_LECTURES.map((l) => l.title)).size).toBe(DEMO_LECTURES.length);
    expect(Object.keys(DEMO_RECORDINGS).sort()).toEqual(DEMO_LECTURES.map((l) => l.guid).sort());
  });
});
