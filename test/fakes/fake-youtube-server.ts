/**
 * A real HTTP server on 127.0.0.1 (port 0) that plays www.youtube.com for the three requests
 * youtube-transcript-plus 2.0.1 makes (its `dist/youtube-transcript-plus.mjs`), with the answers
 * YouTube gives. Point `https://www.youtube.com` at it with `rewriteFetch`.
 *
 * 1. `GET /watch?v=<id>`: HTML whose `ytcfg.set({…"INNERTUBE_API_KEY":"AIza…"…})` the library
 *    reads the key from. Throttled callers get the reCAPTCHA page (`class="g-recaptcha"`), a 429,
 *    or a 302 to `www.google.com/sorry/index`; European ones the consent form
 *    (`action="https://consent.youtube.com/s"`).
 * 2. `POST /youtubei/v1/player?key=<key>`, JSON `{ context: { client: { clientName: 'ANDROID',
 *    clientVersion: '20.10.38' } }, videoId }`: the player response, `playabilityStatus` plus
 *    `captions.playerCaptionsTracklistRenderer.captionTracks[]` (`baseUrl`, `name.runs`, `vssId`,
 *    `languageCode`, `kind: 'asr'` on automatic tracks). Unknown videos answer 200 with
 *    `ERROR` "This video is unavailable"; a wrong key or body a Google API 400.
 * 3. `GET <baseUrl without &fmt=srv3>` (`/api/timedtext?…&signature=…`): srv1 XML,
 *    `<transcript><text start="s" dur="s">…</text></transcript>`, whose text is HTML-escaped
 *    caption text escaped again for XML (`&amp;#39;`); srv3 if `fmt=srv3` is kept. Tracks that
 *    need a proof-of-origin token carry `&exp=xpe` and answer 200 with an empty body.
 *
 * Shapes from jdepoix/youtube-transcript-api (`youtube_transcript_api/_settings.py`,
 * `_transcripts.py`, `test/assets/*.innertube.json.static`, `youtube.html.static`,
 * `youtube_too_many_requests.html.static`, `youtube_consent_page.html.static`,
 * `transcript.xml.static`), ericmmartin/youtube-transcript-plus `src/__tests__/fixtures/`, and
 * reference §D/§I (empty bodies without a PO token, jdepoix/youtube-transcript-api #592).
 */

import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { listenOnLoopback } from './listen.ts';

export const FAKE_INNERTUBE_API_KEY = 'AIzaSyAO_FJ2SlqU8Q4STEHLGCilw_Y9_11qcW8';

export interface FakeYouTubeTrack {
  languageCode: string;
  /** "English", "English (auto-generated)". */
  name: string;
  kind?: 'asr';
  /** `[startSeconds, durationSeconds, text]`; text as YouTube stores it: markup, HTML entities. */
  cues: readonly (readonly [number, number, string])[];
  /** Adds `&exp=xpe` to the URL and answers it with an empty body (no proof-of-origin token). */
  needsPoToken?: boolean;
  /** Answers the timedtext request with this status instead. */
  status?: number;
  /** Where `baseUrl` points; default `https://www.youtube.com`. */
  origin?: string;
}

export type FakeWatchAnswer =
  | 'page'
  | 'recaptcha'
  | 'consent'
  | { status: number; retryAfter?: number }
  | { redirect: string };

export interface FakeYouTubeVideo {
  title?: string;
  /** The key the watch page hands out; the player refuses any but the current one. */
  apiKey?: string;
  watch?: FakeWatchAnswer;
  /** Default `{ status: 'OK' }`. */
  playability?: { status: string; reason?: string };
  /** `undefined`: the response has no `captions` at all; `[]`: a renderer without tracks. */
  tracks?: readonly FakeYouTubeTrack[];
  /** Holds each of the three answers back this long. */
  delayMs?: number;
}

export interface FakeYouTubeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface FakeYouTube {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  videos: Map<string, FakeYouTubeVideo>;
  requests: FakeYouTubeRequest[];
  close(): Promise<void>;
}

const UNAVAILABLE = { status: 'ERROR', reason: 'This video is unavailable' };

export async function startFakeYouTube(videos: Record<string, FakeYouTubeVideo> = {}): Promise<FakeYouTube> {
  const known = new Map(Object.entries(videos));
  const requests: FakeYouTubeRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake-youtube');
    const body = await readBody(req);
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
    });
    const { video, reply } = route(req, url, body, known);
    const timer = setTimeout(() => {
      timers.delete(timer);
      send(res, reply);
    }, video?.delayMs ?? 0);
    timers.add(timer);
  });
  const { origin, close } = await listenOnLoopback(server, timers);
  return { origin, videos: known, requests, close };
}

function route(
  req: IncomingMessage,
  url: URL,
  body: string,
  videos: Map<string, FakeYouTubeVideo>,
): { video: FakeYouTubeVideo | undefined; reply: Reply } {
  const path = `${req.method} ${url.pathname}`;
  if (path === 'GET /watch') {
    const id = url.searchParams.get('v') ?? '';
    return { video: videos.get(id), reply: watchReply(id, videos.get(id) ?? {}) };
  }
  if (path === 'POST /youtubei/v1/player') {
    const id = (parseJson(body) as { videoId?: unknown } | null)?.videoId;
    return {
      video: typeof id === 'string' ? videos.get(id) : undefined,
      reply: playerReply(url, req, body, videos),
    };
  }
  if (path === 'GET /api/timedtext') {
    return { video: videos.get(url.searchParams.get('v') ?? ''), reply: timedtextReply(url, videos) };
  }
  return {
    video: undefined,
    reply: { status: 404, type: HTML, body: '<!DOCTYPE html><html><body>404</body></html>' },
  };
}

interface Reply {
  status: number;
  type: string;
  body: string;
  headers?: Record<string, string>;
}

const HTML = 'text/html; charset=utf-8';
const XML = 'text/xml; charset=UTF-8';
const JSON_TYPE = 'application/json; charset=UTF-8';

function watchReply(id: string, video: FakeYouTubeVideo): Reply {
  const answer = video.watch ?? 'page';
  if (answer === 'recaptcha') return { status: 200, type: HTML, body: RECAPTCHA_PAGE };
  if (answer === 'consent') return { status: 200, type: HTML, body: consentPage(id) };
  if (answer === 'page') return { status: 200, type: HTML, body: watchPage(id, video) };
  if ('redirect' in answer)
    return { status: 302, type: HTML, body: '', headers: { location: answer.redirect } };
  const headers: Record<string, string> = answer.retryAfter
    ? { 'retry-after': String(answer.retryAfter) }
    : {};
  return { status: answer.status, type: HTML, body: '<html><body>Error</body></html>', headers };
}

function playerReply(
  url: URL,
  req: IncomingMessage,
  body: string,
  videos: Map<string, FakeYouTubeVideo>,
): Reply {
  const request = parseJson(body) as {
    context?: { client?: { clientName?: unknown } };
    videoId?: unknown;
  } | null;
  if (url.searchParams.get('key') !== FAKE_INNERTUBE_API_KEY) {
    return googleError(400, 'API key not valid. Please pass a valid API key.');
  }
  const json = /^application\/json\b/i.test(req.headers['content-type'] ?? '');
  if (!json || request?.context?.client?.clientName !== 'ANDROID' || typeof request.videoId !== 'string') {
    return googleError(400, 'Request contains an invalid argument.');
  }
  const id = request.videoId;
  const video = videos.get(id);
  const playability = video ? (video.playability ?? { status: 'OK' }) : UNAVAILABLE;
  const player: Record<string, unknown> = {
    responseContext: { visitorData: 'CgtmS09UUW54WUQ5VSjGu6bCBg%3D%3D' },
    playabilityStatus: { ...playability, playableInEmbed: true },
  };
  if (video && playability.status === 'OK') {
    player.videoDetails = {
      videoId: id,
      title: video.title ?? 'Lecture',
      lengthSeconds: '3600',
      author: 'Prof',
    };
    if (video.tracks) player.captions = captions(id, video.tracks);
  }
  return { status: 200, type: JSON_TYPE, body: JSON.stringify(player) };
}

function captions(id: string, tracks: readonly FakeYouTubeTrack[]) {
  return {
    playerCaptionsTracklistRenderer: {
      captionTracks: tracks.map((track) => ({
        baseUrl: timedtextUrl(id, track),
        name: { runs: [{ text: track.name }] },
        vssId: `${track.kind === 'asr' ? 'a' : ''}.${track.languageCode}`,
        languageCode: track.languageCode,
        ...(track.kind ? { kind: track.kind } : {}),
        isTranslatable: true,
        trackName: '',
      })),
      audioTracks: [{ captionTrackIndices: tracks.map((_, i) => i), hasDefaultTrack: true }],
      translationLanguages: [{ languageCode: 'ar', languageName: { runs: [{ text: 'Arabic' }] } }],
      defaultAudioTrackIndex: 0,
    },
  };
}

function timedtextReply(url: URL, videos: Map<string, FakeYouTubeVideo>): Reply {
  const query = url.searchParams;
  const id = query.get('v') ?? '';
  const track = videos
    .get(id)
    ?.tracks?.find((t) => t.languageCode === query.get('lang') && (t.kind ?? null) === query.get('kind'));
  // An unsigned or altered URL gets what YouTube gives it: nothing.
  if (!track || query.get('signature') !== signature(id, track)) return { status: 200, type: XML, body: '' };
  if (track.status) return { status: track.status, type: HTML, body: '<html><body>Error</body></html>' };
  if (track.needsPoToken) return { status: 200, type: XML, body: '' };
  return { status: 200, type: XML, body: query.get('fmt') === 'srv3' ? srv3(track) : srv1(track) };
}

function timedtextUrl(id: string, track: FakeYouTubeTrack): string {
  const kind = track.kind ? `&kind=${track.kind}` : '';
  const xpe = track.needsPoToken ? '&exp=xpe' : '';
  return (
    `${track.origin ?? 'https://www.youtube.com'}/api/timedtext?v=${id}&ei=xp1JaMfUBcyLzPsP9ren4QQ&caps=asr` +
    `&opi=112496729${xpe}&xoaf=5&hl=en&ip=0.0.0.0&ipbits=0&expire=1749680182` +
    `&sparams=ip,ipbits,expire,v,ei,caps,opi,xoaf&signature=${signature(id, track)}&key=yt8${kind}` +
    `&lang=${track.languageCode}&fmt=srv3`
  );
}

function signature(id: string, track: FakeYouTubeTrack): string {
  return createHash('sha1')
    .update(`${id}|${track.languageCode}|${track.kind ?? ''}`)
    .digest('hex')
    .toUpperCase();
}

/** YouTube's srv1: the stored caption text (already HTML) escaped once more for XML. */
function srv1(track: FakeYouTubeTrack): string {
  const texts = track.cues.map(
    ([start, dur, text]) => `<text start="${start}" dur="${dur}">${xml(text)}</text>`,
  );
  return `<?xml version="1.0" encoding="utf-8" ?><transcript>${texts.join('')}</transcript>`;
}

function srv3(track: FakeYouTubeTrack): string {
  const ps = track.cues.map(
    ([start, dur, text]) =>
      `<p t="${Math.round(start * 1000)}" d="${Math.round(dur * 1000)}">${xml(text)}</p>`,
  );
  return `<?xml version="1.0" encoding="utf-8" ?><timedtext format="3"><body>${ps.join('')}</body></timedtext>`;
}

function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

function watchPage(id: string, video: FakeYouTubeVideo): string {
  const title = video.title ?? 'Lecture';
  const config = {
    INNERTUBE_API_KEY: video.apiKey ?? FAKE_INNERTUBE_API_KEY,
    INNERTUBE_API_VERSION: 'v1',
    INNERTUBE_CLIENT_NAME: 'WEB',
    INNERTUBE_CLIENT_VERSION: '2.20250610.00.00',
  };
  return (
    `<!DOCTYPE html><html lang="en" dir="ltr"><head><title>${title} - YouTube</title>` +
    `<link rel="canonical" href="https://www.youtube.com/watch?v=${id}">` +
    `<script nonce="ZmFrZQ">ytcfg.set(${JSON.stringify(config)});</script></head>` +
    '<body><ytd-app></ytd-app></body></html>'
  );
}

const RECAPTCHA_PAGE =
  '<!DOCTYPE html><html><head><title>YouTube</title>' +
  '<script src="https://www.google.com/recaptcha/api.js?hl=en" async defer></script></head><body>' +
  '<p>Sorry for the interruption. We have been receiving a large volume of requests from your network.</p>' +
  '<form action="/das_captcha" method="POST"><div class="g-recaptcha" data-sitekey="6Lf39AMTAAAAALPbLZdcrWDa8Ygmgk_fmGmrlRog"></div>' +
  '<input type="hidden" name="action_recaptcha_verify2" value="1"></form></body></html>';

function consentPage(id: string): string {
  return (
    '<!DOCTYPE html><html><head><title>Before you continue to YouTube</title></head><body>' +
    '<form action="https://consent.youtube.com/s" method="POST" style="display:inline;">' +
    '<input type="hidden" name="gl" value="DE"><input type="hidden" name="m" value="0">' +
    `<input type="hidden" name="continue" value="https://www.youtube.com/watch?v=${id}">` +
    '<input type="hidden" name="v" value="cb.20210328-17-p0.de+FX+119">' +
    '<button>Accept all</button></form></body></html>'
  );
}

function googleError(status: number, message: string): Reply {
  const error = { code: status, message, errors: [{ message, domain: 'global', reason: 'badRequest' }] };
  return {
    status,
    type: JSON_TYPE,
    body: JSON.stringify({ error: { ...error, status: 'INVALID_ARGUMENT' } }),
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.destroyed) return;
  res.writeHead(reply.status, {
    'content-type': reply.type,
    'content-length': Buffer.byteLength(reply.body),
    ...reply.headers,
  });
  res.end(reply.body);
}
