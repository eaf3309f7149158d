import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parsePageDocument } from '../../src/transcripts/page-html.ts';
import {
  CC_VTT,
  expectNoSecrets,
  failure,
  HOST,
  lecture,
  NO_CREDENTIALS,
  refOf,
  share,
  startZoomSetup,
  type ZoomSetup,
} from './zoom.fixture.ts';

const PASSCODE = '8#xY2!';

describe('zoom provider reading share links through the web player (ZOOM_SHARE_LINKS=true)', () => {
  let setup: ZoomSetup;
  beforeEach(async () => {
    await setup?.fake.close();
    setup = await startZoomSetup();
  });
  afterAll(() => setup?.fake.close());

  const player = () => setup.provider({ ...NO_CREDENTIALS, shareLinks: true });
  const paths = () => setup.fake.log.map((request) => `${request.method} ${request.path.split('?')[0]}`);

  it('reads an open recording: share-info, play/info, then the transcript VTT with the session cookie', async () => {
    setup.fake.recordings.push(lecture('open.1'));
    const provider = player();
    const transcript = await provider.fetch(refOf(provider, `${share('open.1')}?startTime=5`), {
      courseId: 1,
    });
    expect(transcript.cues.map((cue) => cue.text)).toEqual([
      'Good morning, today we cover enzymes.',
      'Enzymes lower the activation energy.',
    ]);
    expect(paths()).toEqual([
      'GET /nws/recording/1.0/play/share-info/open.1',
      'GET /nws/recording/1.0/play/info/open.1-mp4',
      'GET /rec/play/vtt',
    ]);
    const [, info, vtt] = setup.fake.log;
    expect(info?.params.continueMode).toBe('true');
    expect(vtt?.cookie).toMatch(/^_zm_ssid=\w+$/);
  });

  it('reads a play link through play/info directly, and the CC track when there is no transcript', async () => {
    setup.fake.recordings.push(lecture('cc.1', { transcript: undefined, cc: CC_VTT }));
    const provider = player();
    const transcript = await provider.fetch(refOf(provider, `${HOST}/rec/play/cc.1-mp4`), { courseId: 1 });
    expect(transcript.cues.map((cue) => cue.text)).toEqual(['Welcome back to the course.']);
    expect(paths()[0]).toBe('GET /nws/recording/1.0/play/info/cc.1-mp4');
    expect(setup.fake.log.at(-1)?.params.type).toBe('cc');
  });

  it('unlocks a passcode-protected recording with the passcode written beside its link on the page', async () => {
    setup.fake.recordings.push(lecture('locked.1', { passcode: PASSCODE }));
    const provider = player();
    const page = parsePageDocument(
      `<p><a href="${share('locked.1')}">Lecture 4</a></p><p>Passcode: ${PASSCODE}</p>`,
    );
    const [ref] = provider.detect({ kind: 'page', page });
    if (!ref) throw new Error('no ref');
    await expect(provider.fetch(ref, { courseId: 1 })).resolves.toMatchObject({ timed: true });
    expect(paths()).toEqual([
      'GET /nws/recording/1.0/play/share-info/locked.1',
      'POST /csrf_js',
      'POST /nws/recording/1.0/validate-context',
      'POST /nws/recording/1.0/validate-meeting-passwd',
      'GET /nws/recording/1.0/play/share-info/locked.1',
      'GET /nws/recording/1.0/play/info/locked.1-mp4',
      'GET /rec/play/vtt',
    ]);
    expect(
      setup.fake.log.find((request) => request.path.includes('validate-meeting-passwd'))?.params,
    ).toMatchObject({
      id: 'enc.locked.1',
      passwd: PASSCODE,
      action: 'viewdetailpage',
    });
    expect(setup.fake.log.at(-1)?.cookie).toMatch(/_zm_page_auth=/);
  });

  it('unlocks a recording with the passcode in its ?pwd=', async () => {
    setup.fake.recordings.push(lecture('locked.2', { passcode: 'Q7^a' }));
    const provider = player();
    await expect(
      provider.fetch(refOf(provider, `${share('locked.2')}?pwd=Q7%5Ea`), { courseId: 1 }),
    ).resolves.toBeTruthy();
  });

  it('sends the session cookies to the recording host only', async () => {
    setup.fake.recordings.push(
      lecture('locked.3', { passcode: PASSCODE, host: 'us06web.zoom.us', startTime: '2025-01-01T10:00:00Z' }),
      lecture('api.1'),
    );
    const provider = setup.provider({ shareLinks: true });
    await provider.fetch(
      refOf(provider, `https://us06web.zoom.us/rec/share/locked.3?pwd=${encodeURIComponent(PASSCODE)}`),
      {
        courseId: 1,
      },
    );
    await provider.fetch(refOf(provider, share('api.1')), { courseId: 1 });
    const withCookies = setup.fake.log.filter((request) => request.cookie);
    expect(withCookies.length).toBeGreaterThan(0);
    expect(new Set(withCookies.map((request) => request.host))).toEqual(new Set(['us06web.zoom.us']));
  });

  it('tries the web player for a link the account does not hold, when both routes are set up', async () => {
    setup.fake.recordings.push(lecture('elsewhere', { startTime: '2025-01-01T10:00:00Z' }));
    const provider = setup.provider({ shareLinks: true });
    await expect(provider.fetch(refOf(provider, share('elsewhere')), { courseId: 1 })).resolves.toBeTruthy();
    expect(paths()).toContain('GET /nws/recording/1.0/play/share-info/elsewhere');
  });

  it('fails zoom.passcode_required without a passcode, saying where to write it', async () => {
    setup.fake.recordings.push(lecture('locked.4', { passcode: PASSCODE }));
    const provider = player();
    const error = await failure(provider.fetch(refOf(provider, share('locked.4')), { courseId: 1 }));
    expect(error).toMatchObject({ code: 'zoom.passcode_required', transient: false });
    expect(error.message).toMatch(/beside the link.*\?pwd=/);
  });

  it('fails zoom.passcode_rejected for a wrong passcode, without showing it', async () => {
    setup.fake.recordings.push(lecture('locked.5', { passcode: PASSCODE }));
    const provider = player();
    const wrong = 'n0t-1t!';
    const error = await failure(
      provider.fetch(refOf(provider, `${share('locked.5')}?pwd=${wrong}`), { courseId: 1 }),
    );
    expect(error).toMatchObject({ code: 'zoom.passcode_rejected', transient: false });
    expectNoSecrets(error, setup.fake, [wrong, PASSCODE]);
  });

  it('fails zoom.login_required for recordings behind a sign-in or a captcha', async () => {
    setup.fake.recordings.push(
      lecture('sso.1', { access: 'login' }),
      lecture('captcha.1', { access: 'captcha', passcode: PASSCODE }),
    );
    const provider = player();
    for (const url of [share('sso.1'), `${share('captcha.1')}?pwd=x`]) {
      const error = await failure(provider.fetch(refOf(provider, url), { courseId: 1 }));
      expect(error).toMatchObject({ code: 'zoom.login_required', transient: false });
      expectNoSecrets(error, setup.fake, ['x']);
    }
    expect(paths().filter((path) => path.includes('validate'))).toEqual([]);
  });

  it('fails zoom.no_transcript when the player offers neither transcript nor captions', async () => {
    setup.fake.recordings.push(lecture('mute.1', { transcript: undefined }));
    const provider = player();
    const error = await failure(provider.fetch(refOf(provider, share('mute.1')), { courseId: 1 }));
    expect(error).toMatchObject({ code: 'zoom.no_transcript', transient: false });
  });

  it('fails transcript.not_found for a recording that does not exist or has expired', async () => {
    setup.fake.recordings.push(lecture('old.1', { access: 'expired' }));
    const provider = player();
    for (const [url, message] of [
      [share('never-was'), /does not exist/],
      [share('old.1'), /expired/],
    ] as const) {
      const error = await failure(provider.fetch(refOf(provider, url), { courseId: 1 }));
      expect(error).toMatchObject({ code: 'transcript.not_found', transient: false });
      expect(error.message).toMatch(message);
    }
  });
});
