/**
 * A real HTTP server on 127.0.0.1 (port 0) that answers like Panopto's web viewer handlers:
 * `/Panopto/Pages/Viewer/DeliveryInfo.aspx` (GET or form POST) and
 * `/Panopto/Pages/Transcription/GenerateSRT.ashx`, including their unhappy paths.
 *
 * Shapes follow yt-dlp's Panopto extractor (github:yt-dlp/yt-dlp `yt_dlp/extractor/panopto.py`,
 * commit 81ecd58b): `deliveryId=…&responseType=json` answers `{ Delivery: { SessionName, Duration,
 * AvailableLanguages, Timestamps, Streams, … }, InvocationId }`; adding `getCaptions=true&language=N`
 * answers a bare array of `{ Caption, Time, Duration }`; a restricted session answers
 * `{ ErrorCode: 2, ErrorMessage }` (yt-dlp's "login required"), other codes carry a message.
 * GenerateSRT's empty body and login page follow reference §B2.1 (third-party callers). Not seen
 * in any source, so chosen here: the ErrorMessage texts, and a 404 page for an unknown id.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { listenOnLoopback } from './listen.ts';

/** One line of a DeliveryInfo caption track. */
export interface FakeCaptionLine {
  Caption: string;
  /** Seconds from the start. */
  Time: number;
  Duration?: number;
}

export type FakePanoptoSession =
  /** Public, captions in language 0: served by DeliveryInfo (as JSON) and by GenerateSRT (as is). */
  | { kind: 'srt'; body: string }
  /** Public, no caption languages; GenerateSRT answers an empty body. */
  | { kind: 'empty' }
  /**
   * Restricted. `via: 'page'` (default): DeliveryInfo answers ErrorCode 2, GenerateSRT the login
   * HTML; `'redirect'`: both answer 302 to the login page.
   */
  | { kind: 'login'; via?: 'page' | 'redirect' }
  | { kind: 'error'; status: number }
  /** Like `srt`, with the session's first answer (DeliveryInfo, or GenerateSRT) `ms` late. */
  | { kind: 'slow'; ms: number; body: string }
  | FakeDeliverySession
  /** DeliveryInfo answers `{ ErrorCode, ErrorMessage }`. */
  | { kind: 'error_code'; code: number; message: string }
  /** Every handler answers 302 to `location` (another host, say). */
  | { kind: 'redirect'; location: string };

export interface FakeDeliverySession {
  kind: 'delivery';
  name?: string;
  /** Seconds; default the end of the last caption line. */
  duration?: number;
  /** In Panopto's order (`AvailableLanguages`); `lines: []` is an empty track. */
  tracks: { language: number; lines: FakeCaptionLine[] }[];
  /** `Delivery.Timestamps` as sent; table-of-contents entries carry `ShowInTableOfContents: true`. */
  timestamps?: Record<string, unknown>[];
  /** Restricted: ErrorCode 2 (GenerateSRT: login page) unless `Cookie: .ASPXAUTH=<cookie>` is sent. */
  cookie?: string;
  /** DeliveryInfo answers this instead (an old or broken handler): only GenerateSRT serves captions. */
  deliveryInfoFails?: { status: number; body: string; contentType?: string };
  /** GenerateSRT's body per language; default the track's lines as SRT. */
  srt?: Readonly<Record<number, string>>;
}

export interface FakePanoptoRequest {
  method: string;
  /** Path and query. */
  path: string;
  /** Query and form-body parameters, merged. */
  params: Record<string, string>;
  /** The Cookie header as received, to prove where the cookie went. */
  cookie: string | undefined;
}

export interface FakePanopto {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Sessions by id (GUIDs are matched case-insensitively). */
  sessions: Map<string, FakePanoptoSession>;
  /** Every request's path and query, in order. */
  requests: string[];
  /** Every request in detail, in order. */
  log: FakePanoptoRequest[];
  close(): Promise<void>;
}

const LOGIN_PATH = '/Panopto/Pages/Auth/Login.aspx';
const LOGIN_PAGE =
  '<!DOCTYPE html><html><head><title>Sign in</title></head><body><form action="/Panopto/Pages/Auth/Login.aspx">' +
  '<h1>Sign in</h1><input name="username"><input name="password" type="password"></form></body></html>';
const NOT_FOUND_PAGE = '<!DOCTYPE html><html><body>Not found</body></html>';
const LOGIN_ERROR = { ErrorCode: 2, ErrorMessage: 'You are not authorized to view this session.' };
const HTML = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';
const SRT_TYPE = 'application/x-subrip; charset=utf-8';

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  timers: Set<NodeJS.Timeout>;
}

export async function startFakePanopto(): Promise<FakePanopto> {
  const sessions = new Map<string, FakePanoptoSession>();
  const requests: string[] = [];
  const log: FakePanoptoRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer(async (req, res) => {
    requests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://fake-panopto');
    const params = { ...Object.fromEntries(url.searchParams), ...(await formBody(req)) };
    log.push({ method: req.method ?? 'GET', path: req.url ?? '', params, cookie: req.headers.cookie });
    const exchange: Exchange = { req, res, params, timers };
    const path = url.pathname.toLowerCase();
    if (path === '/panopto/pages/viewer/deliveryinfo.aspx') {
      respond(exchange, deliveryInfoAnswer(findSession(sessions, param(params, 'deliveryId')), exchange));
    } else if (path === '/panopto/pages/transcription/generatesrt.ashx') {
      respond(exchange, srtAnswer(findSession(sessions, param(params, 'id')), exchange));
    } else if (path === LOGIN_PATH.toLowerCase()) {
      respond(exchange, html(200, LOGIN_PAGE));
    } else if (path === '/panopto/pages/viewer.aspx' && findSession(sessions, param(params, 'id'))) {
      respond(
        exchange,
        html(200, '<!DOCTYPE html><html><body><div id="viewer">Panopto viewer</div></body></html>'),
      );
    } else {
      respond(exchange, html(404, NOT_FOUND_PAGE));
    }
  });
  const { origin, close } = await listenOnLoopback(server, timers);
  return { origin, sessions, requests, log, close };
}

/** What one handler answers; `delayMs` holds it back, as a slow Panopto does. */
interface Answer {
  status: number;
  contentType?: string;
  body?: string;
  location?: string;
  delayMs?: number;
}

const json = (value: unknown): Answer => ({
  status: 200,
  contentType: JSON_TYPE,
  body: JSON.stringify(value),
});
const html = (status: number, body: string): Answer => ({ status, contentType: HTML, body });
const srtBody = (body: string): Answer => ({ status: 200, contentType: SRT_TYPE, body });
const statusOnly = (status: number): Answer => ({
  status,
  contentType: 'text/plain',
  body: `error ${status}`,
});

function deliveryInfoAnswer(session: FakePanoptoSession | undefined, exchange: Exchange): Answer {
  const { params } = exchange;
  if (!session) return html(404, NOT_FOUND_PAGE);
  const captions = param(params, 'getCaptions')?.toLowerCase() === 'true';
  const language = Number(param(params, 'language') ?? 0);
  const answer = () => json(captions ? linesFor(session, language) : deliveryFor(session, exchange));
  switch (session.kind) {
    case 'srt':
    case 'empty':
      return answer();
    case 'slow':
      return captions ? answer() : { ...answer(), delayMs: session.ms };
    case 'login':
      return session.via === 'redirect' ? loginRedirect(exchange) : json(LOGIN_ERROR);
    case 'error':
      return statusOnly(session.status);
    case 'error_code':
      return json({ ErrorCode: session.code, ErrorMessage: session.message });
    case 'redirect':
      return { status: 302, location: session.location };
    case 'delivery': {
      const failure = session.deliveryInfoFails;
      if (failure)
        return { status: failure.status, contentType: failure.contentType ?? HTML, body: failure.body };
      return authorised(session, exchange) ? answer() : json(LOGIN_ERROR);
    }
  }
}

function srtAnswer(session: FakePanoptoSession | undefined, exchange: Exchange): Answer {
  // Panopto's handler answers an unknown id with its generic not-found page.
  if (!session) return html(404, NOT_FOUND_PAGE);
  const language = Number(param(exchange.params, 'language') ?? 0);
  switch (session.kind) {
    case 'srt':
      return srtBody(session.body);
    case 'slow':
      return { ...srtBody(session.body), delayMs: session.ms };
    case 'empty':
    case 'error_code':
      return { status: 200, contentType: 'text/plain', body: '' };
    case 'login':
      return session.via === 'redirect' ? loginRedirect(exchange) : html(200, LOGIN_PAGE);
    case 'error':
      return statusOnly(session.status);
    case 'redirect':
      return { status: 302, location: session.location };
    case 'delivery': {
      if (!authorised(session, exchange)) return html(200, LOGIN_PAGE);
      const track = session.tracks.find((candidate) => candidate.language === language);
      return srtBody(session.srt?.[language] ?? (track ? linesToSrt(track.lines) : ''));
    }
  }
}

/** The `Delivery` object, trimmed to what yt-dlp reads plus the caption fields. */
function deliveryFor(session: FakePanoptoSession, exchange: Exchange) {
  const tracks = trackList(session);
  const lastEnd = Math.max(
    0,
    ...tracks.flatMap((track) => track.lines.map((line) => line.Time + (line.Duration ?? 0))),
  );
  const delivery = session.kind === 'delivery' ? session : undefined;
  return {
    Delivery: {
      PublicID: param(exchange.params, 'deliveryId'),
      SessionName: delivery?.name ?? 'Lecture',
      Duration: delivery?.duration ?? lastEnd,
      AvailableLanguages: tracks.map((track) => track.language),
      Timestamps: delivery?.timestamps ?? [],
      Streams: [],
      PodcastStreams: [],
      Contributors: [],
    },
    InvocationId: '0b8f1f5e-0000-4000-8000-000000000000',
  };
}

function linesFor(session: FakePanoptoSession, language: number): FakeCaptionLine[] {
  return trackList(session).find((track) => track.language === language)?.lines ?? [];
}

function trackList(session: FakePanoptoSession): { language: number; lines: FakeCaptionLine[] }[] {
  if (session.kind === 'delivery') return session.tracks;
  if (session.kind === 'srt' || session.kind === 'slow')
    return [{ language: 0, lines: srtToLines(session.body) }];
  return [];
}

function authorised(session: FakeDeliverySession, { req }: Exchange): boolean {
  if (session.cookie === undefined) return true;
  const pairs = (req.headers.cookie ?? '').split(';').map((pair) => pair.trim());
  return pairs.includes(`.ASPXAUTH=${session.cookie}`);
}

/** SRT → caption lines, enough for the well-formed tracks tests write. */
function srtToLines(body: string): FakeCaptionLine[] {
  const seconds = (stamp: string) => {
    const [h = 0, m = 0, s = 0] = stamp.replace(',', '.').split(':').map(Number);
    return h * 3600 + m * 60 + s;
  };
  const lines: FakeCaptionLine[] = [];
  for (const block of body.replace(/\r\n?/g, '\n').split(/\n{2,}/)) {
    const rows = block.trim().split('\n');
    const timing = rows.findIndex((row) => row.includes('-->'));
    if (timing < 0) continue;
    const [start = '', end = ''] = (rows[timing] ?? '').split('-->').map((part) => part.trim());
    const text = rows.slice(timing + 1).join('\n');
    if (text.trim())
      lines.push({ Caption: text, Time: seconds(start), Duration: seconds(end) - seconds(start) });
  }
  return lines;
}

function linesToSrt(lines: readonly FakeCaptionLine[]): string {
  const stamp = (s: number) => {
    const ms = Math.round(s * 1000);
    const two = (n: number) => String(n).padStart(2, '0');
    return `${two(Math.floor(ms / 3_600_000))}:${two(Math.floor(ms / 60_000) % 60)}:${two(Math.floor(ms / 1000) % 60)},${String(ms % 1000).padStart(3, '0')}`;
  };
  return lines
    .map(
      (line, i) =>
        `${i + 1}\n${stamp(line.Time)} --> ${stamp(line.Time + (line.Duration ?? 3))}\n${line.Caption}\n`,
    )
    .join('\n');
}

function respond({ res, timers }: Exchange, answer: Answer): void {
  const send = () => {
    if (res.writableEnded || res.destroyed) return;
    const body = answer.body ?? '';
    res.writeHead(answer.status, {
      ...(answer.contentType ? { 'content-type': answer.contentType } : {}),
      ...(answer.location ? { location: answer.location } : {}),
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  };
  if (!answer.delayMs) {
    send();
    return;
  }
  const timer = setTimeout(() => {
    timers.delete(timer);
    send();
  }, answer.delayMs);
  timers.add(timer);
  // `res` (not `req`) closes when the client goes away, e.g. after a timeout abort.
  res.once('close', () => {
    clearTimeout(timer);
    timers.delete(timer);
  });
}

function loginRedirect({ req }: Exchange): Answer {
  return { status: 302, location: `${LOGIN_PATH}?ReturnUrl=${encodeURIComponent(req.url ?? '/')}` };
}

async function formBody(req: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return {};
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
}

/** Panopto reads its parameters case-insensitively. */
function param(params: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return Object.entries(params).find(([key]) => key.toLowerCase() === wanted)?.[1];
}

function findSession(
  sessions: Map<string, FakePanoptoSession>,
  id: string | undefined,
): FakePanoptoSession | undefined {
  if (!id) return undefined;
  for (const [key, session] of sessions) if (key.toLowerCase() === id.toLowerCase()) return session;
  return undefined;
}
