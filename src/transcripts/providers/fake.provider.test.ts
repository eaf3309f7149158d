import { describe, expect, it, vi } from 'vitest';
import { DEMO_LECTURES, DEMO_TRANSCRIPTS } from '../../demo/demo-transcripts.ts';
import { findMediaLinks, panoptoSessionId } from '../media-links.ts';
import { runProviderContract } from '../providers.contract.ts';
import { createTranscriptProviders } from '../providers.registry.ts';
import type { MediaRef } from '../transcript-provider.ts';
import { transcriptErrors } from '../transcript-provider.ts';
import { createFakeProvider } from './fake.provider.ts';

const firstLecture = DEMO_LECTURES[0];
if (!firstLecture) throw new Error('The demo account needs at least one lecture.');
const demoRef = (url: string): MediaRef => ({ provider: 'panopto', url });

runProviderContract('fake', () => ({
  // The delay gives the contract's mid-request abort something to interrupt.
  provider: createFakeProvider(DEMO_TRANSCRIPTS, { delayMs: 200 }),
  goodRef: { provider: 'fake', url: firstLecture.url },
  permanentFailureRef: {
    provider: 'fake',
    url: 'https://demo.hosted.panopto.com/Panopto/Pages/Viewer.aspx?id=missing',
  },
  slowRef: { provider: 'fake', url: firstLecture.url },
}));

describe('fake provider', () => {
  it('serves WebVTT from a lookup function through the real parser and normaliser', async () => {
    const vtt = 'WEBVTT\n\n00:00:02.000 --> 00:00:04.000\n<v Ada>Hello &amp; welcome.</v>\n';
    const provider = createFakeProvider((url) => (url === 'https://x.test/a' ? vtt : undefined));
    await expect(
      provider.fetchTranscript({ provider: 'fake', url: 'https://x.test/a' }, {}),
    ).resolves.toEqual({
      cues: [{ startMs: 2000, endMs: 4000, text: 'Hello & welcome.', speaker: 'Ada' }],
      text: '[00:00:02] Ada: Hello & welcome.',
    });
  });

  it('throws transcript.not_found for an unknown URL, including inherited property names', async () => {
    const provider = createFakeProvider({});
    for (const url of ['https://x.test/missing', 'constructor']) {
      await expect(provider.fetchTranscript({ provider: 'fake', url }, {})).rejects.toMatchObject({
        code: 'transcript.not_found',
      });
    }
  });

  it('throws the configured failure, for every call or only for chosen refs', async () => {
    const always = createFakeProvider(DEMO_TRANSCRIPTS, { failWith: transcriptErrors.providerUnavailable() });
    await expect(always.fetchTranscript(demoRef(firstLecture.url), {})).rejects.toMatchObject({
      transient: true,
    });

    const chosen = createFakeProvider(DEMO_TRANSCRIPTS, {
      failWith: (ref) => (ref.url === firstLecture.url ? transcriptErrors.loginRequired() : undefined),
    });
    await expect(chosen.fetchTranscript(demoRef(firstLecture.url), {})).rejects.toMatchObject({
      code: 'transcript.login_required',
    });
    const second = DEMO_LECTURES[1]?.url ?? '';
    await expect(chosen.fetchTranscript(demoRef(second), {})).resolves.toMatchObject({
      text: expect.any(String),
    });
  });

  it('throws transcript.unparseable for text that is not captions', async () => {
    const provider = createFakeProvider({ 'https://x.test/a': 'just some words' });
    await expect(
      provider.fetchTranscript({ provider: 'fake', url: 'https://x.test/a' }, {}),
    ).rejects.toMatchObject({
      code: 'transcript.unparseable',
    });
  });
});

describe('demo lectures', () => {
  it.each(DEMO_LECTURES)(
    '$title is a Panopto Viewer link whose captions read as clean paragraphs',
    async (lecture) => {
      // Discovery must hand back exactly the demo key, or the registry would send it to the network.
      expect(findMediaLinks({ type: 'ExternalUrl', external_url: lecture.url })).toEqual([
        { provider: 'panopto', url: lecture.url },
      ]);
      expect(panoptoSessionId(lecture.url)).toBe(lecture.guid);
      const { text, cues } = await createFakeProvider(DEMO_TRANSCRIPTS).fetchTranscript(
        demoRef(lecture.url),
        {},
      );
      const words = text.split(/\s+/).length;
      expect(words).toBeGreaterThan(250);
      expect(words).toBeLessThan(420);
      expect(text).not.toMatch(/\[MUSIC\]|>>|-->/);
      for (const paragraph of text.split('\n\n'))
        expect(paragraph).toMatch(/^\[\d{2}:\d{2}:\d{2}\] .*[.?!]$/);
      expect(cues.length).toBeGreaterThan(20);
    },
  );

  it('has distinct ids and titles', () => {
    expect(new Set(DEMO_LECTURES.map((l) => l.guid)).size).toBe(DEMO_LECTURES.length);
    expect(new Set(DEMO_LECTURES.map((l) => l.title)).size).toBe(DEMO_LECTURES.length);
    expect(Object.keys(DEMO_TRANSCRIPTS).sort()).toEqual(DEMO_LECTURES.map((l) => l.url).sort());
  });
});

describe('provider registry with demo transcripts', () => {
  it('answers demo URLs from memory and sends every other Panopto URL to the network', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () => new Response('', { status: 404 }));
    const providers = createTranscriptProviders({ fetch, demoTranscripts: DEMO_TRANSCRIPTS });
    const panopto = providers('panopto');
    expect(panopto.name).toBe('panopto');

    await expect(panopto.fetchTranscript(demoRef(firstLecture.url), {})).resolves.toMatchObject({
      text: expect.any(String),
    });
    expect(fetch).not.toHaveBeenCalled();

    const real =
      'https://school.hosted.panopto.com/Panopto/Pages/Viewer.aspx?id=4f0a9d2e-1c3b-4e5f-8a7b-9c0d1e2f3a4b';
    await expect(panopto.fetchTranscript(demoRef(real), {})).rejects.toMatchObject({
      code: 'transcript.not_found',
    });
    expect(fetch).toHaveBeenCalledOnce();
  });

  it('serves no demo data when none is configured', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () => new Response('', { status: 404 }));
    const providers = createTranscriptProviders({ fetch });
    await expect(providers('panopto').fetchTranscript(demoRef(firstLecture.url), {})).rejects.toMatchObject({
      code: 'transcript.not_found',
    });
    expect(fetch).toHaveBeenCalledOnce();
    expect(providers('zoom').name).toBe('zoom');
    expect(providers('fake').name).toBe('fake');
  });
});
