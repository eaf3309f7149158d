import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parsePageDocument } from '../../src/transcripts/page-html.ts';
import { runProviderContract } from '../../src/transcripts/providers.contract.ts';
import {
  CC_VTT,
  expectNoSecrets,
  failure,
  lecture,
  NO_CREDENTIALS,
  refOf,
  share,
  startZoomSetup,
  type ZoomSetup,
} from './zoom.fixture.ts';

runProviderContract('zoom', async () => {
  const setup = await startZoomSetup();
  setup.fake.recordings.push(lecture('good.Tok3n'), lecture('slow.Tok3n', { slowMs: 1_500 }));
  const provider = setup.provider();
  const page = parsePageDocument(
    `<p><a href="${share('good.Tok3n')}?startTime=1">Lecture 1</a> Passcode: x!</p>`,
  );
  return {
    provider,
    detectInput: { kind: 'page', page },
    goodRef: provider.detect({ kind: 'page', page })[0],
    permanentFailureRef: refOf(provider, share('not-in-this-account')),
    slowRef: refOf(provider, share('slow.Tok3n')),
    close: () => setup.fake.close(),
  };
});

describe('zoom provider with Server-to-Server OAuth', () => {
  let setup: ZoomSetup;
  beforeEach(async () => {
    await setup?.fake.close();
    setup = await startZoomSetup();
  });
  afterAll(() => setup?.fake.close());

  const requests = (host: string, path: string) =>
    setup.fake.log.filter((request) => request.host === host && request.path.startsWith(path));
  const listings = () => requests('api.zoom.us', '/v2/users/me/recordings');

  it("downloads the TRANSCRIPT file of the meeting whose share_url matches the link, ignoring the link's query", async () => {
    setup.fake.recordings.push(lecture('other'), lecture('wk1.A'));
    const provider = setup.provider();
    const transcript = await provider.fetch(refOf(provider, `${share('wk1.A')}?pwd=abc&startTime=99`), {
      courseId: 1,
    });
    expect(transcript).toMatchObject({ timed: true });
    expect(transcript.cues).toEqual([
      { startMs: 1000, endMs: 4500, speaker: 'Dr. Lee', text: 'Good morning, today we cover enzymes.' },
      { startMs: 4600, endMs: 9000, speaker: 'Dr. Lee', text: 'Enzymes lower the activation energy.' },
    ]);
    const [download] = requests('example-edu.zoom.us', '/rec/download/');
    expect(download?.path).toBe('/rec/download/tr-wk1.A');
    expect(download?.authorization).toBe(`Bearer ${setup.fake.tokensIssued[0]}`);
    const [token] = requests('zoom.us', '/oauth/token');
    expect(token?.params).toMatchObject({
      grant_type: 'account_credentials',
      account_id: setup.fake.credentials.accountId,
    });
  });

  it('prefers the audio transcript to the closed captions', async () => {
    setup.fake.recordings.push(lecture('both', { cc: CC_VTT }));
    const provider = setup.provider();
    const transcript = await provider.fetch(refOf(provider, share('both')), { courseId: 1 });
    expect(transcript.cues[0]?.text).toBe('Good morning, today we cover enzymes.');
  });

  it('falls back to the CC file when Zoom made no audio transcript', async () => {
    setup.fake.recordings.push(lecture('cc.only', { transcript: undefined, cc: CC_VTT }));
    const provider = setup.provider();
    const transcript = await provider.fetch(refOf(provider, share('cc.only')), { courseId: 1 });
    expect(transcript.cues.map((cue) => cue.text)).toEqual(['Welcome back to the course.']);
  });

  it("finds a play link by a file's play_url, and a link posted from another Zoom host by its token", async () => {
    setup.fake.recordings.push(lecture('vanity', { host: 'us02web.zoom.us' }));
    const provider = setup.provider();
    await provider.fetch(refOf(provider, 'https://example-edu.zoom.us/rec/play/vanity-mp4'), { courseId: 1 });
    await provider.fetch(refOf(provider, 'https://school.zoom.us/rec/share/vanity'), { courseId: 1 });
    expect(requests('us02web.zoom.us', '/rec/download/tr-vanity')).toHaveLength(2);
  });

  it('searches one month at a time back to searchMonths, following next_page_token, and stops where it finds the link', async () => {
    await setup.fake.close();
    setup = await startZoomSetup({ maxPageSize: 1 });
    setup.fake.recordings.push(
      lecture('aug.1', { startTime: '2026-08-03T15:00:00Z' }),
      lecture('aug.2', { startTime: '2026-08-05T15:00:00Z' }),
      lecture('aug.3', { startTime: '2026-08-07T15:00:00Z' }),
    );
    const provider = setup.provider();
    await provider.fetch(refOf(provider, share('aug.1')), { courseId: 1 });
    const windows = listings().map((request) => [
      request.params.from,
      request.params.to,
      request.params.next_page_token,
    ]);
    expect(windows).toEqual([
      ['2026-10-21', '2026-11-20', ''],
      ['2026-09-21', '2026-10-20', ''],
      ['2026-08-21', '2026-09-20', ''],
      ['2026-07-21', '2026-08-20', ''],
      ['2026-07-21', '2026-08-20', expect.any(String)],
      ['2026-07-21', '2026-08-20', expect.any(String)],
    ]);
    expect(listings()[0]?.params.page_size).toBe('300');
  });

  it("lists the account once for a course's many links, and again once the cache is a few minutes old", async () => {
    setup.fake.recordings.push(lecture('l1'), lecture('l2'), lecture('l3'));
    const provider = setup.provider();
    for (const token of ['l1', 'l2', 'l3'])
      await provider.fetch(refOf(provider, share(token)), { courseId: 1 });
    expect(listings()).toHaveLength(1);
    setup.clock.now += 6 * 60_000;
    await provider.fetch(refOf(provider, share('l1')), { courseId: 1 });
    expect(listings()).toHaveLength(2);
  });

  it('fails zoom.recording_not_found for a link in none of the searched months, and finds it with a longer search', async () => {
    setup.fake.recordings.push(lecture('march', { startTime: '2026-03-02T15:00:00Z' }));
    const error = await failure(
      setup.provider().fetch(refOf(setup.provider(), share('march')), { courseId: 1 }),
    );
    expect(error).toMatchObject({ code: 'zoom.recording_not_found', transient: false });
    expect(error.message).toMatch(/app owner's own account/);
    expect(listings()).toHaveLength(6);
    const longer = setup.provider({ searchMonths: 12 });
    await expect(longer.fetch(refOf(longer, share('march')), { courseId: 1 })).resolves.toBeTruthy();
  });

  it('asks for one token for several fetches, and for a new one once it expires', async () => {
    setup.fake.recordings.push(lecture('t1'), lecture('t2'));
    const provider = setup.provider();
    await Promise.all(
      ['t1', 't2', 't1'].map((t) => provider.fetch(refOf(provider, share(t)), { courseId: 1 })),
    );
    await provider.fetch(refOf(provider, share('t2')), { courseId: 1 });
    expect(setup.fake.tokensIssued).toHaveLength(1);
    setup.clock.now += 3600 * 1000;
    const before = setup.fake.log.length;
    await provider.fetch(refOf(provider, share('t1')), { courseId: 1 });
    expect(setup.fake.tokensIssued).toHaveLength(2);
    // Renewed before use: Zoom never saw the expired token.
    const stale = `Bearer ${setup.fake.tokensIssued[0]}`;
    expect(setup.fake.log.slice(before).filter((request) => request.authorization === stale)).toEqual([]);
  });

  it('replaces a token Zoom refuses before it expires, once', async () => {
    setup.fake.recordings.push(lecture('r1'));
    const provider = setup.provider();
    await provider.fetch(refOf(provider, share('r1')), { courseId: 1 });
    setup.fake.revokeTokens();
    await provider.fetch(refOf(provider, share('r1')), { courseId: 1 });
    expect(setup.fake.tokensIssued).toHaveLength(2);
    const refused = setup.fake.log.filter(
      (request) => request.authorization === `Bearer ${setup.fake.tokensIssued[0]}`,
    );
    expect(refused.at(-1)?.path).toBe('/rec/download/tr-r1');
  });

  it('fails zoom.credentials_rejected when Zoom refuses the app, naming the variables but not their values', async () => {
    for (const wrong of [{ clientSecret: 'wrong-secret-value' }, { accountId: 'wrong-account' }]) {
      const provider = setup.provider(wrong);
      const error = await failure(provider.fetch(refOf(provider, share('x')), { courseId: 1 }));
      expect(error).toMatchObject({ code: 'zoom.credentials_rejected', transient: false });
      expect(error.message).toMatch(/ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET/);
      expect(error.message).not.toContain(Object.values(wrong)[0]);
      expectNoSecrets(error, setup.fake);
    }
  });

  it('treats a throttled or failing token endpoint as transient', async () => {
    setup.fake.tokenStatus = 429;
    const provider = setup.provider();
    const error = await failure(provider.fetch(refOf(provider, share('x')), { courseId: 1 }));
    expect(error).toMatchObject({
      code: 'transcript.provider_unavailable',
      transient: true,
      retryAfterSeconds: 7,
    });
    setup.fake.tokenStatus = 503;
    expect(await failure(provider.fetch(refOf(provider, share('x')), { courseId: 1 }))).toMatchObject({
      transient: true,
    });
  });

  it('fails zoom.no_transcript when the meeting has neither transcript nor captions, and waits while Zoom is processing one', async () => {
    setup.fake.recordings.push(
      lecture('silent', { transcript: undefined }),
      lecture('busy', { transcriptStatus: 'processing' }),
    );
    const provider = setup.provider();
    const none = await failure(provider.fetch(refOf(provider, share('silent')), { courseId: 1 }));
    expect(none).toMatchObject({ code: 'zoom.no_transcript', transient: false });
    expect(none.message).toMatch(/enable audio transcripts/);
    const busy = await failure(provider.fetch(refOf(provider, share('busy')), { courseId: 1 }));
    expect(busy).toMatchObject({ code: 'zoom.transcript_processing', transient: true });
  });

  it('follows a download redirect to Zoom storage, and refuses one to another host', async () => {
    setup.fake.recordings.push(
      lecture('stored', { download: 'storage' }),
      lecture('leaky', { download: 'foreign' }),
    );
    const provider = setup.provider();
    await expect(provider.fetch(refOf(provider, share('stored')), { courseId: 1 })).resolves.toBeTruthy();
    expect(requests('ssrweb.zoom.us', '/cmr/storage/tr-stored')).toHaveLength(1);
    const error = await failure(provider.fetch(refOf(provider, share('leaky')), { courseId: 1 }));
    expect(error).toMatchObject({ code: 'transcript.host_refused', transient: false });
    expect(setup.fake.log.some((request) => request.host.endsWith('example.net'))).toBe(false);
  });

  it('fails zoom.recording_not_found when a listed recording was deleted before its download', async () => {
    setup.fake.recordings.push(lecture('gone'));
    const provider = setup.provider();
    await provider.fetch(refOf(provider, share('gone')), { courseId: 1 });
    setup.fake.recordings.length = 0;
    const error = await failure(provider.fetch(refOf(provider, share('gone')), { courseId: 1 }));
    expect(error).toMatchObject({ code: 'zoom.recording_not_found' });
  });

  it('fails zoom.credentials_required without credentials or share links, saying what to set', async () => {
    const provider = setup.provider(NO_CREDENTIALS);
    const error = await failure(provider.fetch(refOf(provider, share('x')), { courseId: 1 }));
    expect(error).toMatchObject({ code: 'zoom.credentials_required', transient: false });
    expect(error.message).toMatch(
      /ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET.*ZOOM_SHARE_LINKS=true.*upload/,
    );
    expect(setup.fake.log).toEqual([]);
  });
});
