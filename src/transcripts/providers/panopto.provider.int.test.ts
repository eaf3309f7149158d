import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FakePanopto } from '../../../test/fakes/fake-panopto-server.ts';
import { startFakePanopto } from '../../../test/fakes/fake-panopto-server.ts';
import { runProviderContract } from '../providers.contract.ts';
import type { MediaRef, Transcript } from '../transcript-provider.ts';
import { createPanoptoProvider } from './panopto.provider.ts';

const SRT = [
  '1\n00:00:01,000 --> 00:00:03,000\n[MUSIC]',
  '2\n00:00:03,000 --> 00:00:06,000\n>> Today we look at',
  '3\n00:00:06,000 --> 00:00:09,000\nthe lipid bilayer.',
  '4\n00:01:05,000 --> 00:01:08,000\n>> Is it the same on both sides?',
].join('\r\n\r\n');

const ids = {
  good: '11111111-1111-4111-8111-111111111111',
  empty: '22222222-2222-4222-8222-222222222222',
  loginPage: '33333333-3333-4333-8333-333333333333',
  loginRedirect: '44444444-4444-4444-8444-444444444444',
  serverError: '55555555-5555-4555-8555-555555555555',
  slow: '66666666-6666-4666-8666-666666666666',
  garbage: '77777777-7777-4777-8777-777777777777',
  forbidden: '88888888-8888-4888-8888-888888888888',
  unknown: '99999999-9999-4999-8999-999999999999',
};

let server: FakePanopto;
const viewer = (id: string, origin = server.origin): MediaRef => ({
  provider: 'panopto',
  url: `${origin}/Panopto/Pages/Viewer.aspx?id=${id}`,
});
const failure = (promise: Promise<Transcript>) =>
  promise.then(
    () => {
      throw new Error('expected the provider to fail');
    },
    (error: unknown) => error,
  );

beforeAll(async () => {
  server = await startFakePanopto();
  server.sessions.set(ids.good, { kind: 'srt', body: SRT });
  server.sessions.set(ids.empty, { kind: 'empty' });
  server.sessions.set(ids.loginPage, { kind: 'login' });
  server.sessions.set(ids.loginRedirect, { kind: 'login', via: 'redirect' });
  server.sessions.set(ids.serverError, { kind: 'error', status: 503 });
  server.sessions.set(ids.forbidden, { kind: 'error', status: 403 });
  server.sessions.set(ids.slow, { kind: 'slow', ms: 10_000, body: SRT });
  server.sessions.set(ids.garbage, { kind: 'srt', body: 'this is not a caption file' });
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
});

describe('panopto provider against a fake Panopto server', () => {
  it('fetches GenerateSRT for the session in a Viewer link and normalises it', async () => {
    const transcript = await createPanoptoProvider().fetchTranscript(viewer(ids.good), {});
    expect(server.requests).toEqual([
      `/Panopto/Pages/Transcription/GenerateSRT.ashx?id=${ids.good}&language=0`,
    ]);
    expect(transcript.text).toBe(
      '[00:00:03] Today we look at the lipid bilayer.\n\n[00:01:05] Is it the same on both sides?',
    );
    expect(transcript.cues.map((cue) => cue.startMs)).toEqual([3000, 6000, 65_000]);
  });

  it('reads the session from an Embed link and from a Canvas LTI embed of one', async () => {
    const lti = `${server.origin}/Panopto/LTI/LTI.aspx?custom_context_delivery=${ids.good}`;
    const refs = [
      `${server.origin}/Panopto/Pages/Embed.aspx?id=${ids.good.toUpperCase()}&autoplay=false`,
      `https://canvas.example.edu/courses/1/external_tools/retrieve?display=borderless&url=${encodeURIComponent(lti)}`,
    ];
    for (const url of refs) await createPanoptoProvider().fetchTranscript({ provider: 'panopto', url }, {});
    expect(server.requests).toHaveLength(2);
    expect(new Set(server.requests).size).toBe(1);
  });

  it('sends requests to PANOPTO_BASE_URL instead of the link’s own host when it is set', async () => {
    const provider = createPanoptoProvider({ baseUrl: `${server.origin}/ignored/path` });
    const transcript = await provider.fetchTranscript(
      viewer(ids.good, 'https://school.hosted.panopto.com'),
      {},
    );
    expect(transcript.cues.length).toBeGreaterThan(0);
    expect(server.requests).toEqual([
      `/Panopto/Pages/Transcription/GenerateSRT.ashx?id=${ids.good}&language=0`,
    ]);
  });

  it.each([
    ['an empty body', ids.empty, 'transcript.no_captions', /no captions|not public/],
    ['a login page', ids.loginPage, 'transcript.login_required', /not public/],
    ['a redirect to the login page', ids.loginRedirect, 'transcript.login_required', /not public/],
    ['HTTP 403', ids.forbidden, 'transcript.login_required', /not public/],
    ['HTTP 404', ids.unknown, 'transcript.not_found', /no session/],
    ['text that is not SRT', ids.garbage, 'transcript.unparseable', /not SRT/],
  ])('fails permanently on %s', async (_case, id, code, message) => {
    const error = await failure(createPanoptoProvider().fetchTranscript(viewer(id), {}));
    expect(error).toMatchObject({ code, transient: false, message: expect.stringMatching(message) });
  });

  it('recognises a redirect to the login page without following it', async () => {
    const error = await failure(createPanoptoProvider().fetchTranscript(viewer(ids.loginRedirect), {}));
    expect(error).toMatchObject({ code: 'transcript.login_required' });
    expect(server.requests).toHaveLength(1);
  });

  it('fails transiently on a 5xx answer', async () => {
    const error = await failure(createPanoptoProvider().fetchTranscript(viewer(ids.serverError), {}));
    expect(error).toMatchObject({ code: 'transcript.provider_unavailable', transient: true });
  });

  it('fails transiently when Panopto is slower than the timeout', async () => {
    const started = Date.now();
    const error = await failure(
      createPanoptoProvider({ timeoutMs: 200 }).fetchTranscript(viewer(ids.slow), {}),
    );
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
    const error = await failure(createPanoptoProvider().fetchTranscript(viewer(ids.good, gone.origin), {}));
    expect(error).toMatchObject({ code: 'transcript.provider_unavailable', transient: true });
  });

  it('refuses a caption file larger than maxBytes', async () => {
    const error = await failure(
      createPanoptoProvider({ maxBytes: 64 }).fetchTranscript(viewer(ids.good), {}),
    );
    expect(error).toMatchObject({ code: 'transcript.too_large', transient: false });
  });

  it('explains that the course-wide LTI link identifies no recording, without calling Panopto', async () => {
    const ref: MediaRef = {
      provider: 'panopto',
      url: 'https://example.hosted.panopto.com/Panopto/LTI/LTI.aspx',
    };
    const error = await failure(createPanoptoProvider().fetchTranscript(ref, {}));
    expect(error).toMatchObject({ code: 'transcript.no_session_id', statusCode: 422, transient: false });
    expect((error as Error).message).toMatch(/LTI.*does not identify/);
    expect(server.requests).toEqual([]);
  });

  it('fails with no_session_id for a Viewer link without an id', async () => {
    const ref: MediaRef = {
      provider: 'panopto',
      url: `${server.origin}/Panopto/Pages/Viewer.aspx?pid=${ids.good}`,
    };
    const error = await failure(createPanoptoProvider().fetchTranscript(ref, {}));
    expect(error).toMatchObject({ code: 'transcript.no_session_id', transient: false });
  });

  it('sends no request when the caller has already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await failure(createPanoptoProvider().fetchTranscript(viewer(ids.good), { signal: controller.signal }));
    expect(server.requests).toEqual([]);
  });
});

runProviderContract('panopto', async () => {
  const contractServer = await startFakePanopto();
  contractServer.sessions.set(ids.good, { kind: 'srt', body: SRT });
  contractServer.sessions.set(ids.loginPage, { kind: 'login' });
  contractServer.sessions.set(ids.slow, { kind: 'slow', ms: 2000, body: SRT });
  return {
    provider: createPanoptoProvider({ timeoutMs: 5000 }),
    goodRef: viewer(ids.good, contractServer.origin),
    permanentFailureRef: viewer(ids.loginPage, contractServer.origin),
    slowRef: viewer(ids.slow, contractServer.origin),
    close: () => contractServer.close(),
  };
});
