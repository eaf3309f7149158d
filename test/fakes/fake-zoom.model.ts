/**
 * What the fake Zoom holds and how it answers, shared by its API and web-player halves
 * (`fake-zoom-server.ts`, `fake-zoom-player.ts`). See `fake-zoom-server.ts` for the sources of
 * the shapes.
 */

import type { IncomingMessage, ServerResponse } from 'node:http';

export interface FakeZoomRecording {
  /** The share link's token: `https://<host>/rec/share/<shareToken>`. */
  shareToken: string;
  /** The recording's web host; default `example-edu.zoom.us`. */
  host?: string;
  topic?: string;
  /** ISO time; the recordings listing filters its `from`/`to` dates on it. */
  startTime: string;
  /** The audio transcript (TRANSCRIPT, WebVTT), if Zoom made one. */
  transcript?: string;
  /** `processing`: listed, but not downloadable yet. Default `completed`. */
  transcriptStatus?: 'completed' | 'processing';
  /** Closed captions (CC, WebVTT). */
  cc?: string;
  /** How `download_url` answers a valid Bearer: the file, a 302 to Zoom storage, or to another host. */
  download?: 'direct' | 'storage' | 'foreign';
  /** Milliseconds before a transcript body is sent (both routes). */
  slowMs?: number;
  /** The web player asks for this passcode. */
  passcode?: string;
  /** How the web player treats strangers. Default `open` (with the passcode gate when one is set). */
  access?: 'open' | 'login' | 'captcha' | 'expired';
}

export interface FakeZoomRequest {
  /** The host the client asked for (the `X-Forwarded-Host` from `rewriteFetch`). */
  host: string;
  method: string;
  /** Path and query. */
  path: string;
  authorization: string | undefined;
  cookie: string | undefined;
  /** Query and form-body parameters, merged. */
  params: Record<string, string>;
}

export interface PlayerSession {
  csrf: string | null;
  /** Share tokens of the recordings this session gave the right passcode for. */
  unlocked: Set<string>;
}

export interface FakeZoomState {
  recordings: FakeZoomRecording[];
  sessions: Map<string, PlayerSession>;
  timers: Set<NodeJS.Timeout>;
}

export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  host: string;
  url: URL;
  params: Record<string, string>;
}

export const DEFAULT_HOST = 'example-edu.zoom.us';
export const STORAGE_HOST = 'ssrweb.zoom.us';

export const hostOf = (recording: FakeZoomRecording) => recording.host ?? DEFAULT_HOST;
export const shareUrlOf = (r: FakeZoomRecording) => `https://${hostOf(r)}/rec/share/${r.shareToken}`;
/** The MP4 file's play token, which the web player also uses as the file id. */
export const playTokenOf = (r: FakeZoomRecording) => `${r.shareToken}-mp4`;
export const playUrlOf = (r: FakeZoomRecording) => `https://${hostOf(r)}/rec/play/${playTokenOf(r)}`;
/** The web player's own meeting id (not the numeric one) and the one validate-context encrypts. */
export const playerMeetingIdOf = (r: FakeZoomRecording) => `mid.${r.shareToken}`;
export const encryptMeetIdOf = (r: FakeZoomRecording) => `enc.${r.shareToken}`;

/** Every sender returns true, "answered", for the routers. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): true {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
  res.end(JSON.stringify(body));
  return true;
}

export function sendText(res: ServerResponse, status: number, type: string, body: string): true {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
  return true;
}

/** The `{ status, errorCode, errorMessage, result }` envelope of the player's endpoints. */
export function playerAnswer(
  res: ServerResponse,
  result: unknown,
  headers: Record<string, string> = {},
): true {
  return sendJson(res, 200, { status: true, errorCode: 0, errorMessage: null, result }, headers);
}

export function playerFailure(res: ServerResponse, errorCode: number, errorMessage: string): true {
  return sendJson(res, 200, { status: false, errorCode, errorMessage, result: null });
}

/** Sends after `ms`, unless the server closes first or the client went away. */
export function later(state: FakeZoomState, ms: number | undefined, send: () => void) {
  if (!ms) return send();
  const timer = setTimeout(() => {
    state.timers.delete(timer);
    send();
  }, ms);
  state.timers.add(timer);
}

export function cookiesOf(req: IncomingMessage): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0) cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
  }
  return cookies;
}
