/**
 * Share links through Zoom's web player (opt-in, `ZOOM_SHARE_LINKS=true`). Undocumented: these
 * are the JSON endpoints the player page itself calls (reference §I), as yt-dlp's extractor
 * (`yt_dlp/extractor/zoom.py`: `play/share-info`, `play/info`, `transcriptUrl`/`ccUrl`,
 * `continueMode`) and later third-party tools read them. They may change without notice.
 *
 *   share link → play/share-info/<token> → redirectUrl /rec/play/<fileId>
 *   play link  → <fileId> is its token
 *   play/info/<fileId> → transcriptUrl (else ccUrl) → WebVTT
 *
 * Either JSON answer may be the passcode gate (`componentName: "need-password"`): then a CSRF
 * token from `POST /csrf_js` (`FETCH-CSRF-TOKEN: 1`), `validate-context` (→ `encryptMeetId`) and
 * `validate-meeting-passwd` set the session cookie that opens the gated answer and the VTT.
 */

import {
  type ProviderHttp,
  type ProviderResponse,
  rejectedStatusError,
  transientStatusError,
} from '../provider-http.ts';
import type { FetchedTranscript } from '../transcript-provider.ts';
import { transcriptErrors } from '../transcripts.errors.ts';
import { createCookieJar } from './zoom.cookie-jar.ts';
import { zoomErrors } from './zoom.errors.ts';
import { captionsToTranscript, isZoomHost, parseZoomJson, ZOOM_LABEL } from './zoom.http.ts';
import type { ZoomRecordingLink } from './zoom.links.ts';
import { playerEnvelopeSchema, playerResultSchema, type ZoomPlayerResult } from './zoom.schemas.ts';

const PLAYER_API = '/nws/recording/1.0';
const NO_RECORDING = 3301;
const WRONG_PASSCODE = 3302;
// Recordings limited to signed-in users bounce to Zoom's sign-in or the school's SSO.
const LOGIN_PATH = /\/(?:signin|saml|sso|login)(?:\/|$)/i;
const LOGIN_COMPONENT = /login|signin|sso|captcha/i;

interface CallOptions {
  method?: 'GET' | 'POST';
  form?: Record<string, string>;
  headers?: Record<string, string>;
}

export interface ZoomWebPlayer {
  fetch(
    link: ZoomRecordingLink,
    passcode: string | undefined,
    signal?: AbortSignal,
  ): Promise<FetchedTranscript>;
}

export function createZoomWebPlayer(options: { http: ProviderHttp }): ZoomWebPlayer {
  return { fetch: (link, passcode, signal) => readTranscript(options.http, link, passcode, signal) };
}

async function readTranscript(
  http: ProviderHttp,
  link: ZoomRecordingLink,
  passcode: string | undefined,
  signal: AbortSignal | undefined,
): Promise<FetchedTranscript> {
  const origin = new URL(link.origin);
  const jar = createCookieJar(origin.host);
  const onRedirect = (to: URL) => {
    if (LOGIN_PATH.test(to.pathname)) throw zoomErrors.loginRequired();
  };

  const call = async (path: string, options: CallOptions = {}) => {
    const form = options.form ? new URLSearchParams(options.form) : undefined;
    const response = await http({
      url: new URL(path, origin),
      method: options.method ?? (form ? 'POST' : 'GET'),
      headers: {
        accept: 'application/json, text/plain, */*',
        referer: link.url,
        ...(form ? { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8' } : {}),
        ...options.headers,
      },
      body: form,
      allowHost: (url) => url.host === origin.host,
      credentials: jar.headerFor,
      signal,
      onRedirect,
    });
    jar.store(response.cookies);
    return response;
  };

  const json = async (path: string, options?: CallOptions): Promise<ZoomPlayerResult> => {
    const response = await call(path, options);
    if (response.status !== 200) throw statusError(response);
    const envelope = parseZoomJson(response, playerEnvelopeSchema);
    if (envelope.status === false) throw playerError(envelope.errorCode);
    const result = playerResultSchema.parse(envelope.result);
    if (result.needRecaptcha || LOGIN_COMPONENT.test(result.componentName ?? ''))
      throw zoomErrors.loginRequired();
    if (result.componentName === 'play-forbidden') {
      throw transcriptErrors.notFound({
        message: 'This Zoom recording has expired, or its host stopped sharing it.',
      });
    }
    return result;
  };

  let csrf: Promise<Record<string, string>> | null = null;
  // OWASP CSRFGuard answers "NAME:VALUE"; the player sends it back as a header on its POSTs.
  const csrfHeader = () =>
    (csrf ??= call('/csrf_js', { method: 'POST', headers: { 'fetch-csrf-token': '1' } }).then((response) => {
      const transient = transientStatusError(response, ZOOM_LABEL);
      if (transient) throw transient;
      const [name, ...value] = response.text.trim().split(':');
      return name && /^[\w-]+$/.test(name) && value.length > 0 ? { [name]: value.join(':') } : {};
    }));

  const unlock = async (gate: ZoomPlayerResult) => {
    if (!passcode) throw zoomErrors.passcodeRequired();
    const headers = await csrfHeader();
    const useWhichPasswd = gate.useWhichPasswd || 'meeting';
    const context = await json(`${PLAYER_API}/validate-context`, {
      headers,
      form: {
        meetingId: gate.meetingId ?? '',
        fileId: gate.fileId ?? '',
        useWhichPasswd,
        sharelevel: gate.sharelevel || 'meeting',
        iet: new URL(link.url).searchParams.get('iet') ?? '',
      },
    });
    const byMeeting = useWhichPasswd === 'meeting';
    const id = byMeeting ? context.encryptMeetId : context.fileId || gate.fileId;
    if (!id)
      throw transcriptErrors.requestRejected({
        message: "Zoom's web player did not name the recording to unlock.",
      });
    await json(`${PLAYER_API}/${byMeeting ? 'validate-meeting-passwd' : 'validate-passwd'}`, {
      headers,
      form: { id, passwd: passcode, action: gate.action || 'viewdetailpage', recaptcha: '' },
    });
  };

  const gated = async (path: string): Promise<ZoomPlayerResult> => {
    const first = await json(path);
    if (first.componentName !== 'need-password') return first;
    await unlock(first);
    const again = await json(path);
    if (again.componentName === 'need-password') throw zoomErrors.passcodeRejected();
    return again;
  };

  let fileId = link.token;
  let query = new URL(link.url).searchParams;
  if (link.kind === 'share') {
    const share = await gated(`${PLAYER_API}/play/share-info/${encodeURIComponent(link.token)}`);
    const target = share.redirectUrl ? new URL(share.redirectUrl, origin) : null;
    fileId = (target && /\/rec\/play\/([\w.-]+)/.exec(target.pathname)?.[1]) || share.fileId || '';
    if (!fileId)
      throw transcriptErrors.requestRejected({
        message: "Zoom's web player did not say where this recording plays.",
      });
    query = new URLSearchParams(target?.search);
    // Without it play/info answers for the camera stream alone (yt-dlp).
    query.set('continueMode', 'true');
  }
  const play = await gated(`${PLAYER_API}/play/info/${encodeURIComponent(fileId)}?${query}`);
  const captionsUrl = play.transcriptUrl || play.ccUrl;
  if (!captionsUrl) throw zoomErrors.noTranscript();

  const response = await http({
    url: new URL(captionsUrl, origin),
    headers: { accept: 'text/vtt, */*', referer: link.url },
    allowHost: isZoomHost,
    credentials: jar.headerFor,
    signal,
    onRedirect,
  });
  if (response.status === 404) throw zoomErrors.noTranscript();
  if (response.status !== 200) throw statusError(response);
  return captionsToTranscript(response.text);
}

function statusError(response: ProviderResponse) {
  if (response.status === 401 || response.status === 403) return zoomErrors.loginRequired();
  if (response.status === 404)
    return transcriptErrors.notFound({ message: 'Zoom has no recording at this link.' });
  return rejectedStatusError(response, ZOOM_LABEL);
}

function playerError(code: number | null | undefined) {
  if (code === NO_RECORDING) {
    return transcriptErrors.notFound({
      message:
        'This Zoom recording does not exist (any more): the link may be wrong, or its host deleted it.',
    });
  }
  if (code === WRONG_PASSCODE) return zoomErrors.passcodeRejected();
  return transcriptErrors.requestRejected({
    message: `Zoom's web player refused this recording (error ${code ?? 'without a code'}).`,
  });
}
