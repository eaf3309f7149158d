/**
 * The fake Zoom's web-player endpoints on a recording's own host (`<sub>.zoom.us`): share-info,
 * play/info, the passcode gate (csrf_js, validate-context, validate-meeting-passwd) and the VTT
 * route. Sessions are cookies: `_zm_ssid` from the first answer, and `_zm_page_auth` once the
 * passcode was right. Shapes: see `fake-zoom-server.ts`.
 */

import { randomBytes } from 'node:crypto';
import {
  cookiesOf,
  type Exchange,
  encryptMeetIdOf,
  type FakeZoomRecording,
  type FakeZoomState,
  hostOf,
  later,
  type PlayerSession,
  playerAnswer,
  playerFailure,
  playerMeetingIdOf,
  playTokenOf,
  sendText,
} from './fake-zoom.model.ts';

const API = '/nws/recording/1.0';
const CSRF_HEADER = 'ZOOM-CSRFTOKEN';

/** Answers a player route, or returns false for a path that is not one. */
export function servePlayer(exchange: Exchange, state: FakeZoomState): boolean {
  const { req, res, url, params } = exchange;
  const cookies = cookiesOf(req);
  let ssid = cookies.get('_zm_ssid');
  const headers: Record<string, string> = {};
  if (!ssid || !state.sessions.has(ssid)) {
    ssid = randomBytes(12).toString('hex');
    state.sessions.set(ssid, { csrf: null, unlocked: new Set() });
    headers['set-cookie'] = `_zm_ssid=${ssid}; Path=/; Secure; HttpOnly`;
  }
  const session = state.sessions.get(ssid) as PlayerSession;
  const onHost = (r: FakeZoomRecording) => hostOf(r) === exchange.host;
  const unlocked = (r: FakeZoomRecording) =>
    !r.passcode || (session.unlocked.has(r.shareToken) && cookies.has('_zm_page_auth'));
  const csrfOk = () => session.csrf !== null && req.headers[CSRF_HEADER.toLowerCase()] === session.csrf;
  const path = url.pathname;

  if (path === '/csrf_js' && req.method === 'POST') {
    if (req.headers['fetch-csrf-token'] !== '1') return sendText(res, 403, 'text/plain', 'Forbidden');
    session.csrf = randomBytes(16).toString('hex');
    res.writeHead(200, { 'content-type': 'text/plain', ...headers });
    res.end(`${CSRF_HEADER}:${session.csrf}`);
    return true;
  }
  const share = path.match(/^\/nws\/recording\/1\.0\/play\/share-info\/([\w.-]+)$/);
  if (share) {
    const recording = state.recordings.find((r) => r.shareToken === share[1] && onHost(r));
    if (!recording) return playerFailure(res, 3301, 'This recording does not exist.');
    if (!gate(exchange, recording, unlocked(recording), headers)) {
      const next = `/rec/play/${playTokenOf(recording)}?canPlayFromShare=true&from=share_recording_detail&componentName=rec-play&originRequestUrl=${encodeURIComponent(`https://${exchange.host}/rec/share/${recording.shareToken}`)}`;
      playerAnswer(res, { canPlayFromShare: true, redirectUrl: next }, headers);
    }
    return true;
  }
  const info = path.match(/^\/nws\/recording\/1\.0\/play\/info\/([\w.-]+)$/);
  if (info) {
    const recording = state.recordings.find((r) => playTokenOf(r) === info[1] && onHost(r));
    if (!recording) return playerFailure(res, 3301, 'This recording does not exist.');
    // Reached from a share link without continueMode, the player gets the camera stream alone (yt-dlp).
    const full = params.from !== 'share_recording_detail' || params.continueMode === 'true';
    if (!gate(exchange, recording, unlocked(recording), headers))
      playerAnswer(res, playInfo(recording, full), headers);
    return true;
  }
  if (path === `${API}/validate-context` && req.method === 'POST') {
    if (!csrfOk()) return sendText(res, 403, 'text/plain', 'CSRF token missing or wrong');
    const recording = state.recordings.find((r) => playerMeetingIdOf(r) === params.meetingId && onHost(r));
    if (!recording) return playerFailure(res, 3301, 'This recording does not exist.');
    playerAnswer(res, {
      encryptMeetId: encryptMeetIdOf(recording),
      topic: recording.topic ?? 'Lecture',
      useWhichPasswd: 'meeting',
      sharelevel: 'meeting',
    });
    return true;
  }
  if (path === `${API}/validate-meeting-passwd` && req.method === 'POST') {
    if (!csrfOk()) return sendText(res, 403, 'text/plain', 'CSRF token missing or wrong');
    const recording = state.recordings.find((r) => encryptMeetIdOf(r) === params.id && onHost(r));
    if (!recording) return playerFailure(res, 3301, 'This recording does not exist.');
    if (params.passwd !== recording.passcode) return playerFailure(res, 3302, 'Wrong passcode');
    session.unlocked.add(recording.shareToken);
    playerAnswer(res, 'viewdetailpage', {
      'set-cookie': `_zm_page_auth=aw1_c_${randomBytes(8).toString('hex')}; Path=/; Secure; HttpOnly`,
    });
    return true;
  }
  if (path === '/rec/play/vtt') {
    const recording = state.recordings.find((r) => playTokenOf(r) === params.fid && onHost(r));
    const body = params.type === 'cc' ? recording?.cc : recording?.transcript;
    if (!recording || !body) return sendText(res, 404, 'text/html', '<html><body>Not found</body></html>');
    // The VTT belongs to a player session, and a gated recording's to an unlocked one.
    if (headers['set-cookie'] || !unlocked(recording))
      return sendText(res, 401, 'text/plain', 'Unauthorized');
    later(state, recording.slowMs, () => sendText(res, 200, 'text/vtt;charset=UTF-8', body));
    return true;
  }
  return false;
}

/** Answers the way a recording stops strangers, or returns false to let them through. */
function gate(
  exchange: Exchange,
  recording: FakeZoomRecording,
  open: boolean,
  headers: Record<string, string>,
) {
  const { res } = exchange;
  if (recording.access === 'login') {
    res.writeHead(302, { location: `https://${exchange.host}/signin#/login`, ...headers });
    res.end();
    return true;
  }
  if (recording.access === 'expired') {
    playerAnswer(res, {
      accessLevel: '',
      message: 'This recording has expired.',
      redirectUrl: '/rec/component-page',
      componentName: 'play-forbidden',
      meetingId: playerMeetingIdOf(recording),
      needRedirect: true,
    });
    return true;
  }
  if (open) return false;
  playerAnswer(
    res,
    {
      componentName: 'need-password',
      redirectUrl: '/rec/component-page',
      meetingId: playerMeetingIdOf(recording),
      fileId: '',
      useWhichPasswd: 'meeting',
      sharelevel: 'meeting',
      action: 'viewdetailpage',
      clusterId: 'aw1',
      canPlayFromShare: false,
      needRecaptcha: recording.access === 'captcha',
    },
    headers,
  );
  return true;
}

function playInfo(recording: FakeZoomRecording, full: boolean) {
  const vtt = (type: string) => `/rec/play/vtt?type=${type}&fid=${playTokenOf(recording)}&action=play`;
  const viewMp4Url = `https://ssrweb.zoom.us/replay/${playTokenOf(recording)}.mp4?Policy=x&Signature=y`;
  if (!full) return { fileId: playTokenOf(recording), viewMp4Url };
  return {
    fileId: playTokenOf(recording),
    meet: { topic: recording.topic ?? 'Lecture' },
    duration: 3145,
    recording: { fileSizeInMB: '297.9 MB' },
    viewMp4Url,
    transcriptUrl: recording.transcript ? vtt('transcript') : '',
    ccUrl: recording.cc ? vtt('cc') : '',
    chapterUrl: '',
  };
}
