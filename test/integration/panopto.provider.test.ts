import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseCaptions } from '../../src/transcripts/captions.parser.ts';
import {
  createPanoptoProvider,
  type PanoptoProviderOptions,
} from '../../src/transcripts/providers/panopto.provider.ts';
import { runProviderContract } from '../../src/transcripts/providers.contract.ts';
import type { FetchedTranscript, MediaRef } from '../../src/transcripts/transcript-provider.ts';
import { type FakeCaptionLine, type FakePanopto, startFakePanopto } from '../fakes/fake-panopto-server.ts';
import { rewriteFetch } from '../helpers/rewrite-fetch.ts';

const SRT = [
  '1\n00:00:01,000 --> 00:00:03,000\n[MUSIC]',
  '2\n00:00:03,000 --> 00:00:06,000\n>> Today we look at',
  '3\n00:00:06,000 --> 00:00:09,000\nthe lipid bilayer.',
  '4\n00:01:05,000 --> 00:01:08,000\n>> Is it the same on both sides?',
].join('\r\n\r\n');
const LINES: FakeCaptionLine[] = [
  { Caption: 'Good morning.', Time: 0.5, Duration: 2 },
  { Caption: 'Today: ion channels &amp; pumps.', Time: 3 },
  { Caption: 'First, the membrane.', Time: 6.25 },
];
const GERMAN: FakeCaptionLine[] = [{ Caption: 'Guten Morgen.', Time: 1, Duration: 2 }];
const FRENCH: FakeCaptionLine[] = [{ Caption: 'Bonjour.', Time: 1, Duration: 2 }];
const DEFAULT_TRACK = 99; // A code outside core.js's map, which yt-dlp names "default".
const COOKIE = '8C1F0E6B2D4A39F7C0B5E1D2A3F4B5C6D7E8F9A0B1C2D3E4F5A6B7C8D9E0F1A2B3C4D5E6F7';

const ids = {
  srt: '11111111-1111-4111-8111-111111111111',
  empty: '22222222-2222-4222-8222-222222222222',
  loginPage: '33333333-3333-4333-8333-333333333333',
  loginRedirect: '44444444-4444-4444-8444-444444444444',
  serverError: '55555555-5555-4555-8555-555555555555',
  slow: '66666666-6666-4666-8666-666666666666',
  forbidden: '88888888-8888-4888-8888-888888888888',
  unknown: '99999999-9999-4999-8999-999999999999',
  tracks: 'aaaaaaaa-0000-4000-8000-000000000001',
  defaultBesideEmpty: 'aaaaaaaa-0000-4000-8000-000000000002',
  chapters: 'aaaaaaaa-0000-4000-8000-000000000003',
  restricted: 'aaaaaaaa-0000-4000-8000-000000000004',
  srtOnly: 'aaaaaaaa-0000-4000-8000-000000000005',
  srtOnlyGarbage: 'aaaaaaaa-0000-4000-8000-000000000006',
  allEmpty: 'aaaaaaaa-0000-4000-8000-000000000007',
  errorCode: 'aaaaaaaa-0000-4000-8000-000000000008',
  errorCodeUnsafe: 'aaaaaaaa-0000-4000-8000-000000000009',
  offHost: 'aaaaaaaa-0000-4000-8000-00000000000a',
  throttled: 'aaaaaaaa-0000-4000-8000-00000000000b',
  loginHtml: 'aaaaaaaa-0000-4000-8000-00000000000c',
};

const PANOPTO = 'https://school.hosted.panopto.com';
const ELSEWHERE = 'https://collector.example.net';
const PROXY = 'https://panopto-proxy.example.org';

let server: FakePanopto;
let elsewhere: FakePanopto;
/** Every request the provider made, as it saw the URL, with the Cookie header it sent. */
let sent: { url: string; cookie: string | null }[];

function recordingFetch(inner: typeof fetch): typeof fetch {
  return (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    sent.push({ url, cookie: new Headers(init?.headers).get('cookie') });
    return inner(input, init);
  };
}

/** A provider that believes it talks to the real Panopto host (and one other host). */
const provider = (options: PanoptoProviderOptions = {}) =>
  createPanoptoProvider({
    fetch: recordingFetch(
      rewriteFetch({ [PANOPTO]: server.origin, [PROXY]: server.origin, [ELSEWHERE]: elsewhere.origin }),
    ),
    ...options,
  });

const ref = (id: string, origin = PANOPTO): MediaRef => ({
  provider: 'panopto',
  ref: id,
  url: `${origin}/Panopto/Pages/Viewer.aspx?id=${id}`,
  foundIn: 'item_url',
  details: { origin },
});
const failure = (promise: Promise<FetchedTranscript>) =>
  promise.then(
    () => {
      throw new Error('expected the provider to fail');
    },
    (error: unknown) => error,
  );
const paths = () => server.log.map((request) => new URL(request.path, server.origin).pathname);

beforeAll(async () => {
  server = await startFakePanopto();
  elsewhere = await startFakePanopto();
  const s = server.sessions;
  s.set(ids.srt, { kind: 'srt', body: SRT });
  s.set(ids.empty, { kind: 'empty' });
  s.set(ids.loginPage, { kind: 'login' });
  s.set(ids.loginRedirect, { kind: 'login', via: 'redirect' });
  s.set(ids.serverError, { kind: 'error', status: 503 });
  s.set(ids.throttled, { kind: 'error', status: 429 });
  s.set(ids.forbidden, { kind: 'error', status: 403 });
  s.set(ids.slow, { kind: 'slow', ms: 10_000, body: SRT });
  s.set(ids.tracks, {
    kind: 'delivery',
    tracks: [
      { language: 0, lines: [] },
      { language: 4, lines: GERMAN },
      { language: 5, lines: FRENCH },
    ],
  });
  s.set(ids.defaultBesideEmpty, {
    kind: 'delivery',
    tracks: [
      { language: 0, lines: [] },
      { language: DEFAULT_TRACK, lines: LINES },
    ],
  });
  s.set(ids.chapters, {
    kind: 'delivery',
    duration: 700,
    tracks: [{ language: 0, lines: LINES }],
    timestamps: [
      { Caption: 'Questions', Time: 600, Duration: 100, ShowInTableOfContents: true, ObjectIdentifier: null },
      { Caption: 'Slide 2', Time: 60, ShowInTableOfContents: false, EventTargetType: 'PowerPoint' },
      { Caption: 'Introduction', Time: 0, ShowInTableOfContents: true },
      { Caption: 'Without a time', ShowInTableOfContents: true },
    ],
  });
  s.set(ids.restricted, { kind: 'delivery', cookie: COOKIE, tracks: [{ language: 0, lines: LINES }] });
  s.set(ids.srtOnly, {
    kind: 'delivery',
    deliveryInfoFails: { status: 404, body: '<!DOCTYPE html><html><body>Not found</body></html>' },
    tracks: [],
    srt: { 0: SRT },
  });
  s.set(ids.srtOnlyGarbage, {
    kind: 'delivery',
    deliveryInfoFails: { status: 200, body: 'Service moved', contentType: 'text/plain' },
    tracks: [],
    srt: { 0: 'this is not a caption file' },
  });
  s.set(ids.allEmpty, {
    kind: 'delivery',
    tracks: [
      { language: 0, lines: [] },
      { language: 1, lines: [{ Caption: '  ', Time: 1 }] },
    ],
  });
  s.set(ids.errorCode, { kind: 'error_code', code: 7, message: 'This session is not yet available.' });
  s.set(ids.errorCodeUnsafe, { kind: 'error_code', code: 7, message: `<b>Error</b> ${COOKIE}` });
  s.set(ids.loginHtml, {
    kind: 'delivery',
    deliveryInfoFails: { status: 200, body: '\uFEFF<!DOCTYPE html><html><title>Sign in</title></html>' },
    tracks: [],
  });
  s.set(ids.offHost, { kind: 'redirect', location: `${ELSEWHERE}/steal?id=${ids.offHost}` });
});
afterAll(async () => {
  await server.close();
  await elsewhere.close();
});
beforeEach(() => {
  server.requests.length = 0;
  server.log.length = 0;
  elsewhere.log.length = 0;
  sent = [];
});

describe('panopto provider: captions through DeliveryInfo.aspx', () => {
  it('asks DeliveryInfo for the session and then for its caption track, and returns cleaned cues', async () => {
    const transcript = await provider().fetch(ref(ids.defaultBesideEmpty.toUpperCase()), { courseId: 1 });
    expect(transcript).toEqual({
      cues: [
        { startMs: 500, endMs: 2500, text: 'Good morning.' },
        { startMs: 3000, endMs: 6250, text: 'Today: ion channels & pumps.' },
        { startMs: 6250, endMs: 6250, text: 'First, the membrane.' },
      ],
      timed: true,
      language: null,
    });
    const [info, ...tracks] = server.log;
    expect(info).toMatchObject({
      method: 'GET',
      params: { deliveryId: ids.defaultBesideEmpty, responseType: 'json' },
      cookie: undefined,
    });
    expect(paths()[0]).toBe('/Panopto/Pages/Viewer/DeliveryInfo.aspx');
    // The empty en-US track is skipped for the "Default" one beside it.
    expect(tracks.map((request) => request.params)).toEqual([
      { deliveryId: ids.defaultBesideEmpty, getCaptions: 'true', language: '0', responseType: 'json' },
      {
        deliveryId: ids.defaultBesideEmpty,
        getCaptions: 'true',
        language: String(DEFAULT_TRACK),
        responseType: 'json',
      },
    ]);
    expect(paths()).not.toContain('/Panopto/Pages/Transcription/GenerateSRT.ashx');
  });

  it.each([
    [
      'Panopto’s order when no language is preferred, skipping the empty en-US track',
      undefined,
      'de-DE',
      'Guten Morgen.',
    ],
    ['a preferred language by its bare code', ['fr'], 'fr-FR', 'Bonjour.'],
    ['the first preference that has captions', ['en-US', 'de-DE', 'fr-FR'], 'de-DE', 'Guten Morgen.'],
    ['Panopto’s order when no preference matches', ['ja-JP'], 'de-DE', 'Guten Morgen.'],
  ])('picks %s', async (_case, languages, language, text) => {
    const transcript = await provider({ languages }).fetch(ref(ids.tracks), { courseId: 1 });
    expect(transcript).toMatchObject({ language, cues: [{ text }] });
  });

  it('returns the table-of-contents Timestamps as chapters in time order', async () => {
    const transcript = await provider().fetch(ref(ids.chapters), { courseId: 1 });
    expect(transcript.chapters).toEqual([
      { startMs: 0, title: 'Introduction' },
      { startMs: 600_000, title: 'Questions' },
    ]);
    expect(transcript.language).toBe('en-US');
    // Without Duration, the last line ends at the session's end.
    expect(transcript.cues.at(-1)).toMatchObject({ startMs: 6250, endMs: 700_000 });
  });

  it('serves the sessions other tests set up as plain SRT through DeliveryInfo too', async () => {
    const transcript = await provider().fetch(ref(ids.srt), { courseId: 1 });
    // The JSON route reads the same words as the SRT file would.
    expect(transcript.cues).toEqual(parseCaptions(SRT));
    expect(transcript.cues).toHaveLength(4);
    expect(transcript.chapters).toBeUndefined();
  });

  it('sends requests to PANOPTO_BASE_URL instead of the link’s own host when it is set', async () => {
    const transcript = await provider({ baseUrl: `${PROXY}/ignored/path`, cookie: COOKIE }).fetch(
      ref(ids.restricted, 'https://other-school.hosted.panopto.com'),
      { courseId: 1 },
    );
    expect(transcript.cues.length).toBeGreaterThan(0);
    expect(sent.length).toBe(2);
    for (const request of sent) {
      expect(request.url.startsWith(`${PROXY}/Panopto/`)).toBe(true);
      expect(request.cookie).toBe(`.ASPXAUTH=${COOKIE}`);
    }
  });
});

describe('panopto provider: GenerateSRT.ashx as the fallback', () => {
  it('uses GenerateSRT when DeliveryInfo gives no usable answer', async () => {
    const transcript = await provider().fetch(ref(ids.srtOnly), { courseId: 1 });
    expect(paths()).toEqual([
      '/Panopto/Pages/Viewer/DeliveryInfo.aspx',
      '/Panopto/Pages/Transcription/GenerateSRT.ashx',
    ]);
    expect(server.log[1]?.params).toEqual({ id: ids.srtOnly, language: '0' });
    expect(transcript.cues.map((cue) => cue.text)).toContain('the lipid bilayer.');
    // The language was not listed anywhere, so the provider does not claim one.
    expect(transcript.language).toBeNull();
  });

  it('fails as unparseable when the fallback sends text that is not SRT', async () => {
    const error = await failure(provider().fetch(ref(ids.srtOnlyGarbage), { courseId: 1 }));
    expect(error).toMatchObject({ code: 'transcript.unparseable', transient: false });
  });

  it('does not fall back when DeliveryInfo says a login is needed', async () => {
    const error = await failure(provider().fetch(ref(ids.restricted), { courseId: 1 }));
    expect(error).toMatchObject({ code: 'panopto.login_required' });
    expect(paths()).toEqual(['/Panopto/Pages/Viewer/DeliveryInfo.aspx']);
  });
});

describe('panopto provider: restricted sessions and PANOPTO_COOKIE', () => {
  it('fails without a cookie with a message that says how to set PANOPTO_COOKIE', async () => {
    const error = await failure(provider().fetch(ref(ids.restricted), { courseId: 1 }));
    expect(error).toMatchObject({
      code: 'panopto.login_required',
      transient: false,
      message: expect.stringMatching(/not public.*\.ASPXAUTH.*PANOPTO_COOKIE/),
    });
  });

  it.each([
    ['the bare value', COOKIE],
    ['".ASPXAUTH=value"', ` .ASPXAUTH=${COOKIE}; `],
  ])('fetches a restricted session with the cookie given as %s', async (_case, cookie) => {
    const transcript = await provider({ cookie }).fetch(ref(ids.restricted), { courseId: 1 });
    expect(transcript.cues.length).toBe(3);
    expect(server.log.map((request) => request.cookie)).toEqual([
      `.ASPXAUTH=${COOKIE}`,
      `.ASPXAUTH=${COOKIE}`,
    ]);
  });

  it('says the cookie was rejected or expired when Panopto refuses it, without repeating it', async () => {
    const wrong = 'DEADBEEF0123456789';
    const error = await failure(provider({ cookie: wrong }).fetch(ref(ids.restricted), { courseId: 1 }));
    expect(error).toMatchObject({
      code: 'panopto.login_required',
      message: expect.stringMatching(/rejected.*expired/),
    });
    expect(JSON.stringify(error)).not.toContain(wrong);
    expect((error as Error).message).not.toContain(wrong);
    expect(server.log[0]?.cookie).toBe(`.ASPXAUTH=${wrong}`);
  });

  it('never sends the cookie to another host, even when Panopto redirects there', async () => {
    const error = await failure(provider({ cookie: COOKIE }).fetch(ref(ids.offHost), { courseId: 1 }));
    expect(error).toMatchObject({
      code: 'transcript.host_refused',
      transient: false,
      message: expect.stringContaining('collector.example.net'),
    });
    expect((error as Error).message).not.toContain(COOKIE);
    expect(elsewhere.log).toEqual([]);
    expect(sent.map((request) => new URL(request.url).origin)).toEqual([PANOPTO]);
    expect(sent[0]?.cookie).toBe(`.ASPXAUTH=${COOKIE}`);
  });

  it('keeps the cookie from a host that a page names with Panopto paths but that is not Panopto', async () => {
    // Anyone who can edit a course page could name such a host to collect the cookie.
    const error = await failure(
      provider({ cookie: COOKIE }).fetch(ref(ids.restricted, ELSEWHERE), { courseId: 1 }),
    );
    expect(sent.length).toBeGreaterThan(0);
    for (const request of sent)
      expect(request).toMatchObject({ url: expect.stringMatching(`^${ELSEWHERE}/`), cookie: null });
    expect(error).toMatchObject({ code: expect.stringMatching(/^(?:panopto|transcript)\./) });
  });

  it('sends the cookie to the link’s host only, upgrading a plain-http link to https', async () => {
    await provider({ cookie: COOKIE }).fetch(ref(ids.restricted, 'http://school.hosted.panopto.com'), {
      courseId: 1,
    });
    expect(sent.map((request) => new URL(request.url).origin)).toEqual([PANOPTO, PANOPTO]);
  });

  it('never puts the cookie into an error message, even when Panopto echoes it', async () => {
    const error = await failure(
      provider({ cookie: COOKIE }).fetch(ref(ids.errorCodeUnsafe), { courseId: 1 }),
    );
    expect(error).toMatchObject({
      code: 'transcript.request_rejected',
      message: 'Panopto refused this session (error code 7).',
    });
  });

  it('refuses a cookie setting that is not a cookie value, without repeating it', () => {
    expect(() => createPanoptoProvider({ cookie: 'abc\r\nX-Evil: 1' })).toThrow(/PANOPTO_COOKIE/);
    expect(() => createPanoptoProvider({ cookie: 'abc\r\nX-Evil: 1' })).not.toThrow(/Evil/);
  });
});

describe('panopto provider: failures', () => {
  it.each([
    ['a login page', ids.loginHtml, 'panopto.login_required'],
    ['ErrorCode 2', ids.loginPage, 'panopto.login_required'],
    ['a redirect to the login page', ids.loginRedirect, 'panopto.login_required'],
    ['HTTP 403', ids.forbidden, 'panopto.login_required'],
    ['HTTP 404', ids.unknown, 'transcript.not_found'],
    ['a session without caption languages', ids.empty, 'panopto.no_captions'],
    ['a session whose every track is empty', ids.allEmpty, 'panopto.no_captions'],
  ])('fails permanently on %s', async (_case, id, code) => {
    const error = await failure(provider().fetch(ref(id), { courseId: 1 }));
    expect(error).toMatchObject({ code, transient: false });
  });

  it('recognises the login page that GenerateSRT sends', async () => {
    server.sessions.set('bbbbbbbb-0000-4000-8000-000000000001', {
      kind: 'delivery',
      cookie: COOKIE,
      deliveryInfoFails: { status: 404, body: 'gone' },
      tracks: [{ language: 0, lines: LINES }],
    });
    const error = await failure(
      provider().fetch(ref('bbbbbbbb-0000-4000-8000-000000000001'), { courseId: 1 }),
    );
    expect(error).toMatchObject({ code: 'panopto.login_required' });
    expect(paths().at(-1)).toBe('/Panopto/Pages/Transcription/GenerateSRT.ashx');
  });

  it('recognises a redirect to the login page without following it', async () => {
    await failure(provider().fetch(ref(ids.loginRedirect), { courseId: 1 }));
    expect(server.log).toHaveLength(1);
  });

  it('says that automatic captions often come later when there are none yet', async () => {
    const error = await failure(provider().fetch(ref(ids.allEmpty), { courseId: 1 }));
    expect((error as Error).message).toMatch(/automatic captions.*hours.*later sync or bulk/);
    // Both tracks were tried; an empty track is no reason to try GenerateSRT.
    expect(server.log.map((request) => request.params.language)).toEqual([undefined, '0', '1']);
  });

  it('passes on Panopto’s own short message for another ErrorCode', async () => {
    const error = await failure(provider().fetch(ref(ids.errorCode), { courseId: 1 }));
    expect(error).toMatchObject({
      code: 'transcript.request_rejected',
      transient: false,
      message: 'Panopto refused this session: This session is not yet available.',
    });
  });

  it('fails transiently on a 5xx answer', async () => {
    const error = await failure(provider().fetch(ref(ids.serverError), { courseId: 1 }));
    expect(error).toMatchObject({ code: 'transcript.provider_unavailable', transient: true });
  });

  it('fails transiently on a 429 answer', async () => {
    const error = await failure(provider().fetch(ref(ids.throttled), { courseId: 1 }));
    expect(error).toMatchObject({ code: 'transcript.provider_unavailable', transient: true });
  });

  it('fails transiently when Panopto is slower than the timeout', async () => {
    const started = Date.now();
    const error = await failure(provider({ timeoutMs: 200 }).fetch(ref(ids.slow), { courseId: 1 }));
    expect(error).toMatchObject({
      code: 'transcript.provider_unavailable',
      transient: true,
      message: expect.stringMatching(/200 ms/),
    });
    // Far below the session's 10 s answer: the 200 ms timeout ended the request.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('fails transiently when nothing listens at the Panopto host', async () => {
    const gone = await startFakePanopto();
    await gone.close();
    const error = await failure(createPanoptoProvider().fetch(ref(ids.srt, gone.origin), { courseId: 1 }));
    expect(error).toMatchObject({ code: 'transcript.provider_unavailable', transient: true });
  });

  it('refuses an answer larger than maxBytes', async () => {
    const error = await failure(provider({ maxBytes: 64 }).fetch(ref(ids.srt), { courseId: 1 }));
    expect(error).toMatchObject({ code: 'transcript.too_large', transient: false });
  });

  it('fails a stored ref that is not a delivery id without calling Panopto', async () => {
    const error = await failure(provider().fetch({ ...ref(ids.srt), ref: 'LTI.aspx' }, { courseId: 1 }));
    expect(error).toMatchObject({ code: 'panopto.no_session_id', transient: false });
    expect(sent).toEqual([]);
  });

  it('sends no request when the caller has already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await failure(provider().fetch(ref(ids.srt), { courseId: 1, signal: controller.signal }));
    expect(sent).toEqual([]);
  });
});

describe('the fake Panopto server', () => {
  it('answers DeliveryInfo to a form POST as to a GET, as the web viewer may call it either way', async () => {
    const query = `deliveryId=${ids.chapters}&responseType=json`;
    const got = await fetch(`${server.origin}/Panopto/Pages/Viewer/DeliveryInfo.aspx?${query}`);
    const posted = await fetch(`${server.origin}/Panopto/Pages/Viewer/DeliveryInfo.aspx`, {
      method: 'POST',
      body: new URLSearchParams(query),
    });
    const [a, b] = [await got.json(), await posted.json()];
    expect(b).toEqual(a);
    expect(a).toMatchObject({ Delivery: { AvailableLanguages: [0], Duration: 700 } });
    expect(server.log.map((request) => request.method)).toEqual(['GET', 'POST']);
  });
});

runProviderContract('panopto', async () => {
  const contractServer = await startFakePanopto();
  contractServer.sessions.set(ids.chapters, { kind: 'delivery', tracks: [{ language: 0, lines: LINES }] });
  contractServer.sessions.set(ids.restricted, {
    kind: 'delivery',
    cookie: COOKIE,
    tracks: [{ language: 0, lines: LINES }],
  });
  contractServer.sessions.set(ids.slow, { kind: 'slow', ms: 2000, body: SRT });
  const contractRef = (id: string): MediaRef => ref(id, contractServer.origin);
  return {
    provider: createPanoptoProvider({ timeoutMs: 5000, cookie: 'not-the-right-one' }),
    detectInput: {
      kind: 'url',
      url: `${contractServer.origin}/Panopto/Pages/Embed.aspx?id=${ids.chapters}&autoplay=false`,
    },
    goodRef: contractRef(ids.chapters),
    permanentFailureRef: contractRef(ids.restricted),
    slowRef: contractRef(ids.slow),
    close: () => contractServer.close(),
  };
});
