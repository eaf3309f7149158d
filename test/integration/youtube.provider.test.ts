import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isAppError } from '../../src/shared/errors.ts';
import { parsePageDocument } from '../../src/transcripts/page-html.ts';
import {
  createYouTubeProvider,
  type YouTubeProviderOptions,
} from '../../src/transcripts/providers/youtube.provider.ts';
import { runProviderContract } from '../../src/transcripts/providers.contract.ts';
import type { MediaRef } from '../../src/transcripts/transcript-provider.ts';
import {
  type FakeYouTube,
  type FakeYouTubeTrack,
  type FakeYouTubeVideo,
  startFakeYouTube,
} from '../fakes/fake-youtube-server.ts';
import { rewriteFetch } from '../helpers/rewrite-fetch.ts';

const ENGLISH_MANUAL = [
  [0.5, 2.1, 'Welcome to this week&#39;s lecture.'],
  [2.6, 3, '<font color="#E5E5E5">Today</font> we cover\nA &amp; B and &quot;C&quot;.'],
  [5.6, 0.5, ''],
  [6.2, 2.4, '&gt;&gt; Any questions so far?'],
] as const;

const SPANISH: FakeYouTubeTrack = { languageCode: 'es', name: 'Spanish', cues: [[0.5, 2, 'Bienvenidos.']] };
const ENGLISH_ASR: FakeYouTubeTrack = {
  languageCode: 'en',
  name: 'English (auto-generated)',
  kind: 'asr',
  cues: [[0, 2, 'welcome to this']],
};

const VIDEOS: Record<string, FakeYouTubeVideo> = {
  // Manual Spanish first, as YouTube orders them: only the language preference makes English win.
  Lecture_001: {
    title: 'Week 3',
    tracks: [SPANISH, ENGLISH_ASR, { languageCode: 'en', name: 'English', cues: ENGLISH_MANUAL }],
  },
  Translated1: {
    tracks: [SPANISH, ENGLISH_ASR],
  },
  // Rolling automatic captions: each cue repeats the previous one's tail.
  AsrOnly_001: {
    tracks: [
      {
        languageCode: 'de',
        name: 'German (auto-generated)',
        kind: 'asr',
        cues: [
          [0, 2.2, 'heute sprechen wir über'],
          [2, 2.5, 'heute sprechen wir über Zellmembranen'],
          [4.4, 2, 'und Ionenkanäle'],
        ],
      },
    ],
  },
  NoCaptions1: {},
  EmptyTrack1: { tracks: [] },
  AgeLimit001: {
    playability: { status: 'LOGIN_REQUIRED', reason: 'This video may be inappropriate for some users.' },
  },
  BotCheck001: { playability: { status: 'LOGIN_REQUIRED', reason: 'Sign in to confirm you’re not a bot' } },
  PoToken_001: {
    tracks: [{ languageCode: 'en', name: 'English', needsPoToken: true, cues: [[0, 1, 'never served']] }],
  },
  SoundOnly01: {
    tracks: [
      {
        languageCode: 'en',
        name: 'English',
        cues: [
          [0, 1, ''],
          [1, 1, '  '],
        ],
      },
    ],
  },
  Captcha_001: { watch: 'recaptcha' },
  Consent_001: { watch: 'consent' },
  Throttled01: { watch: { status: 429, retryAfter: 120 } },
  Outage__001: { watch: { status: 503 } },
  Sorry___001: {
    watch: {
      redirect: 'https://www.google.com/sorry/index?continue=https://www.youtube.com/watch%3Fv%3DSorry___001',
    },
  },
  StaleKey001: { apiKey: 'AIzaSyDqDkJbLbpvTcTnmBm3SCg8gwEqH2bYc3Q' },
  Redirect001: { watch: { redirect: 'https://collector.example.net/watch?v=Redirect001' } },
  TextLimit01: { tracks: [{ languageCode: 'en', name: 'English', status: 429, cues: [[0, 1, 'x']] }] },
  ForeignUrl1: {
    tracks: [
      { languageCode: 'en', name: 'English', origin: 'https://captions.example.net', cues: [[0, 1, 'x']] },
    ],
  },
  // Each answer alone is within the deadline; the three together are not.
  Drip____001: { delayMs: 250, tracks: [{ languageCode: 'en', name: 'English', cues: [[0, 1, 'drip']] }] },
  SlowVideo01: { delayMs: 2000, tracks: [{ languageCode: 'en', name: 'English', cues: [[0, 1, 'slow']] }] },
};

let fake: FakeYouTube;

beforeAll(async () => {
  fake = await startFakeYouTube(VIDEOS);
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

function provider(options: Omit<YouTubeProviderOptions, 'fetch'> = {}) {
  return createYouTubeProvider({
    fetch: rewriteFetch({ 'https://www.youtube.com': fake.origin }),
    languages: ['en'],
    ...options,
  });
}

function ref(id: string): MediaRef {
  return {
    provider: 'youtube',
    ref: id,
    url: `https://www.youtube.com/watch?v=${id}`,
    foundIn: 'item_url',
    details: {},
  };
}

async function failure(id: string, options?: Omit<YouTubeProviderOptions, 'fetch'>) {
  const error = await provider(options)
    .fetch(ref(id), { courseId: 1 })
    .then(
      () => new Error('expected the fetch to fail'),
      (thrown: unknown) => thrown,
    );
  if (!isAppError(error)) throw error;
  return error;
}

runProviderContract('youtube', async () => {
  const youtube = await startFakeYouTube(VIDEOS);
  const subject = createYouTubeProvider({
    fetch: rewriteFetch({ 'https://www.youtube.com': youtube.origin }),
  });
  return {
    provider: subject,
    detectInput: {
      kind: 'page',
      page: parsePageDocument(
        '<p><iframe title="Week 3" src="https://www.youtube-nocookie.com/embed/Lecture_001?start=30"></iframe></p>',
      ),
    },
    goodRef: ref('Lecture_001'),
    permanentFailureRef: ref('NoCaptions1'),
    slowRef: ref('SlowVideo01'),
    close: () => youtube.close(),
  };
});

describe('youtube provider against the fake', () => {
  it('makes the library’s three requests to www.youtube.com, as the Android client, with the consent cookie', async () => {
    await provider().fetch(ref('Lecture_001'), { courseId: 1 });
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /watch',
      'POST /youtubei/v1/player',
      'GET /api/timedtext',
    ]);
    const [watch, player, timedtext] = fake.requests;
    expect(watch?.query.get('v')).toBe('Lecture_001');
    expect(JSON.parse(player?.body ?? '')).toMatchObject({
      context: { client: { clientName: 'ANDROID' } },
      videoId: 'Lecture_001',
    });
    // The track URL as the player gave it, minus `&fmt=srv3`: the srv1 XML the library parses.
    expect(timedtext?.query.get('fmt')).toBeNull();
    for (const request of fake.requests) {
      expect(request.headers['x-forwarded-host']).toBe('www.youtube.com');
      expect(request.headers.cookie).toBe('SOCS=CAI');
    }
  });

  it('takes the manual track in the preferred language and cleans its text', async () => {
    const transcript = await provider().fetch(ref('Lecture_001'), { courseId: 1 });
    expect(fake.requests.at(-1)?.query.get('lang')).toBe('en');
    expect(fake.requests.at(-1)?.query.get('kind')).toBeNull();
    expect(transcript).toEqual({
      timed: true,
      language: 'en',
      cues: [
        { startMs: 500, endMs: 2600, text: "Welcome to this week's lecture." },
        { startMs: 2600, endMs: 5600, text: 'Today we cover A & B and "C".' },
        { startMs: 6200, endMs: 8600, text: '>> Any questions so far?' },
      ],
    });
  });

  it('takes the automatic track in the preferred language over a manual one in another', async () => {
    const transcript = await provider().fetch(ref('Translated1'), { courseId: 1 });
    expect(transcript.cues.map((cue) => cue.text)).toEqual(['welcome to this']);
    expect(fake.requests.at(-1)?.query.get('kind')).toBe('asr');
  });

  it('without a language preference, takes the first manual track', async () => {
    const transcript = await provider({ languages: [] }).fetch(ref('Lecture_001'), { courseId: 1 });
    expect(transcript.language).toBe('es');
    expect(transcript.cues.map((cue) => cue.text)).toEqual(['Bienvenidos.']);
  });

  it('falls back to whatever track there is, and merges rolling automatic captions', async () => {
    const transcript = await provider().fetch(ref('AsrOnly_001'), { courseId: 1 });
    expect(transcript.language).toBe('de');
    expect(transcript.cues.map((cue) => cue.text).join(' ')).toBe(
      'heute sprechen wir über Zellmembranen und Ionenkanäle',
    );
  });

  it.each([
    ['captions turned off (no captions in the player response)', 'NoCaptions1'],
    ['a caption renderer without tracks', 'EmptyTrack1'],
    ['a removed or unknown video (ERROR "This video is unavailable")', 'Removed_001'],
    ['an age-restricted video (LOGIN_REQUIRED)', 'AgeLimit001'],
    ['a track served empty for want of a proof-of-origin token', 'PoToken_001'],
    ['a track whose cues are all empty', 'SoundOnly01'],
  ])('fails %s with a permanent youtube.no_captions that says to upload', async (_, id) => {
    const error = await failure(id);
    expect(error).toMatchObject({ code: 'youtube.no_captions', transient: false });
    expect(error.message).toContain('PUT /items/{id}/transcript');
  });

  it.each([
    ['a bot check (LOGIN_REQUIRED "confirm you’re not a bot")', 'BotCheck001'],
    ['the reCAPTCHA page', 'Captcha_001'],
    ['a redirect to google.com/sorry', 'Sorry___001'],
    ['a 503 watch page', 'Outage__001'],
    ['a 429 caption download', 'TextLimit01'],
  ])('fails %s as transient transcript.provider_unavailable', async (_, id) => {
    expect(await failure(id)).toMatchObject({ code: 'transcript.provider_unavailable', transient: true });
  });

  it('passes on the Retry-After of a 429', async () => {
    expect(await failure('Throttled01')).toMatchObject({
      code: 'transcript.provider_unavailable',
      transient: true,
      retryAfterSeconds: 120,
    });
  });

  it('refuses a redirect to a host that is not YouTube, without following it', async () => {
    expect(await failure('Redirect001')).toMatchObject({ code: 'transcript.host_refused', transient: false });
    expect(fake.requests.map((r) => r.path)).toEqual(['/watch']);
  });

  it('refuses a caption track on a host that is not YouTube', async () => {
    expect(await failure('ForeignUrl1')).toMatchObject({ code: 'transcript.host_refused' });
    expect(fake.requests.map((r) => r.path)).not.toContain('/api/timedtext');
  });

  it('fails a player call YouTube refuses (400 "API key not valid") as rejected, not as missing captions', async () => {
    expect(await failure('StaleKey001')).toMatchObject({
      code: 'transcript.request_rejected',
      transient: false,
    });
  });

  it('says so when YouTube answers with its consent page', async () => {
    expect(await failure('Consent_001')).toMatchObject({
      code: 'transcript.request_rejected',
      transient: false,
    });
  });

  it.each([
    ['one the library rejects', 'watch?v=abc'],
    ['one the library would read an id out of', 'x/Lecture_001'],
  ])('refuses a ref that is not a video id (%s) without asking YouTube', async (_, id) => {
    expect(await failure(id)).toMatchObject({ code: 'transcript.not_found', transient: false });
    expect(fake.requests).toEqual([]);
  });

  it('gives up after one deadline for all three requests', async () => {
    const error = await failure('Drip____001', { timeoutMs: 600 });
    expect(error).toMatchObject({ code: 'transcript.provider_unavailable', transient: true });
    expect(error.message).toContain('600 ms');
    expect(await provider({ timeoutMs: 1500 }).fetch(ref('Drip____001'), { courseId: 1 })).toMatchObject({
      cues: [{ text: 'drip' }],
    });
  });

  it('bounds the bodies it reads', async () => {
    expect(await failure('Lecture_001', { maxBytes: 200 })).toMatchObject({ code: 'transcript.too_large' });
  });
});
