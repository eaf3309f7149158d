/**
 * One HTTP server on 127.0.0.1 (port 0) playing every Zoom host a provider talks to; the host
 * asked for arrives in `X-Forwarded-Host` (see `test/helpers/rewrite-fetch.ts`):
 * - `zoom.us`: the Server-to-Server OAuth token endpoint, checking Basic auth and issuing tokens
 *   that expire after `tokenExpiresIn` seconds of the fake's own clock.
 * - `api.zoom.us`: `GET /v2/users/me/recordings` with `from`/`to` (at most a month apart),
 *   `page_size` and `next_page_token`; meetings shaped like reference §F5; 401 code 124 for an
 *   expired, revoked or unknown token.
 * - `<sub>.zoom.us`: `download_url`s needing the Bearer token (answering the VTT, or a 302 to
 *   `ssrweb.zoom.us` storage, or to a foreign host), 3301 for a recording that is gone; and the
 *   web player (`fake-zoom-player.ts`).
 *
 * Sources of the shapes: reference §C, §F5 and §I (the REST API from Zoom's API docs); the web
 * player from yt-dlp `yt_dlp/extractor/zoom.py` (commit 81ecd58b, 2026-08: `play/share-info`,
 * `play/info`, `transcriptUrl`/`ccUrl`/`chapterUrl`, `continueMode`), yt-dlp PR #17637 (the player
 * is a single-page app that answers `need-password`), JDownloader's `ZoomUs.java` (envelope,
 * errorCode 3301/3302, `play-forbidden`, `needRecaptcha`, the gate's fields) and a 2026 zoom-dl
 * (`csrf_js` with `FETCH-CSRF-TOKEN: 1` answering `NAME:VALUE`, `validate-context` →
 * `encryptMeetId`, `validate-meeting-passwd`). UNCONFIRMED and illustrative: the token endpoint's
 * error bodies, the one-month range error, the CSRF header's name, the sign-in redirect of
 * login-only recordings, the cookie names beyond `_zm_ssid`.
 */

import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { decodePageToken, downloadKeys, meetingJson } from './fake-zoom.meetings.ts';
import {
  type Exchange,
  type FakeZoomRecording,
  type FakeZoomRequest,
  type FakeZoomState,
  hostOf,
  later,
  STORAGE_HOST,
  sendJson,
  sendText,
} from './fake-zoom.model.ts';
import { servePlayer } from './fake-zoom-player.ts';
import { listenOnLoopback } from './listen.ts';

export type { FakeZoomRecording } from './fake-zoom.model.ts';

export interface FakeZoomOptions {
  accountId?: string;
  clientId?: string;
  clientSecret?: string;
  /** Seconds; default 3600 as Zoom's. */
  tokenExpiresIn?: number;
  /** The fake's clock for token expiry; default `Date.now`. */
  now?: () => number;
  /** Caps `page_size`, to make short listings page. */
  maxPageSize?: number;
}

export interface FakeZoom {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  readonly credentials: { accountId: string; clientId: string; clientSecret: string };
  recordings: FakeZoomRecording[];
  /** Every request, in order. */
  log: FakeZoomRequest[];
  /** Answer the token endpoint with this status (429, 503) instead; null answers normally. */
  tokenStatus: number | null;
  /** Tokens issued so far. */
  readonly tokensIssued: string[];
  /** Revokes every issued token, as deactivating the app does. */
  revokeTokens(): void;
  close(): Promise<void>;
}

const MAX_RANGE_DAYS = 31;

export async function startFakeZoom(options: FakeZoomOptions = {}): Promise<FakeZoom> {
  const credentials = {
    accountId: options.accountId ?? 'Cx3wERazSgup7ZWRHQM8-w',
    clientId: options.clientId ?? 'fakeClientId0123',
    clientSecret: options.clientSecret ?? 'fake-client-secret-s3cr3t',
  };
  const now = options.now ?? Date.now;
  const state: FakeZoomState = { recordings: [], sessions: new Map(), timers: new Set() };
  const tokens = new Map<string, number>();
  const log: FakeZoomRequest[] = [];
  const fake: FakeZoom = {
    origin: '',
    credentials,
    recordings: state.recordings,
    log,
    tokenStatus: null,
    tokensIssued: [],
    revokeTokens: () => tokens.clear(),
    close: () => listening.close(),
  };

  const bearerProblem = (req: IncomingMessage): string | null => {
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const expiresAt = token ? tokens.get(token) : undefined;
    if (expiresAt === undefined) return 'Invalid access token.';
    return now() >= expiresAt ? 'Access token is expired.' : null;
  };

  const serveToken = ({ req, res, params }: Exchange) => {
    if (fake.tokenStatus !== null) {
      return sendJson(
        res,
        fake.tokenStatus,
        { reason: 'Try again later', error: 'server_error' },
        { 'retry-after': '7' },
      );
    }
    const basic = /^Basic (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const [id, secret] = Buffer.from(basic ?? '', 'base64')
      .toString()
      .split(':');
    if (id !== credentials.clientId || secret !== credentials.clientSecret) {
      return sendJson(res, 401, { reason: 'Invalid client_id or client_secret', error: 'invalid_client' });
    }
    if (params.grant_type !== 'account_credentials') {
      return sendJson(res, 400, { reason: 'Unsupported grant type', error: 'unsupported_grant_type' });
    }
    if (params.account_id !== credentials.accountId) {
      return sendJson(res, 400, { reason: 'Invalid account_id', error: 'invalid_request' });
    }
    const token = `eyJ.fake.${randomBytes(12).toString('hex')}`;
    const expiresIn = options.tokenExpiresIn ?? 3600;
    tokens.set(token, now() + expiresIn * 1000);
    fake.tokensIssued.push(token);
    sendJson(res, 200, {
      access_token: token,
      token_type: 'bearer',
      expires_in: expiresIn,
      scope:
        'cloud_recording:read:list_user_recordings:admin cloud_recording:read:list_recording_files:admin',
      api_url: 'https://api.zoom.us',
    });
  };

  const serveListing = ({ req, res, params }: Exchange) => {
    const problem = bearerProblem(req);
    if (problem) return sendJson(res, 401, { code: 124, message: problem });
    const { from = '', to = '' } = params;
    const days = (Date.parse(to) - Date.parse(from)) / 86_400_000;
    if (!(days >= 0 && days <= MAX_RANGE_DAYS)) {
      return sendJson(res, 400, { code: 300, message: 'The date range must be within one month.' });
    }
    const matching = state.recordings
      .filter((r) => r.startTime.slice(0, 10) >= from && r.startTime.slice(0, 10) <= to)
      .sort((a, b) => b.startTime.localeCompare(a.startTime));
    const pageSize = Math.min(Number(params.page_size) || 30, 300, options.maxPageSize ?? 300);
    const offset = params.next_page_token ? decodePageToken(params.next_page_token, from, to) : 0;
    if (offset === null) return sendJson(res, 400, { code: 300, message: 'Invalid next_page_token.' });
    const page = matching.slice(offset, offset + pageSize);
    const more = offset + pageSize < matching.length;
    sendJson(res, 200, {
      from,
      to,
      page_count: Math.ceil(matching.length / pageSize),
      page_size: pageSize,
      total_records: matching.length,
      next_page_token: more ? Buffer.from(`${from}|${to}|${offset + pageSize}`).toString('base64url') : '',
      meetings: page.map(meetingJson),
    });
  };

  const serveDownload = ({ req, res, host, url }: Exchange) => {
    const key = url.pathname.slice('/rec/download/'.length);
    const problem = bearerProblem(req);
    if (problem) return sendJson(res, 401, { code: 124, message: problem });
    const recording = state.recordings.find((r) => hostOf(r) === host && downloadKeys(r).includes(key));
    if (!recording)
      return sendJson(res, 404, {
        status: false,
        errorCode: 3301,
        errorMessage: 'This recording does not exist.',
      });
    const target = {
      storage: `https://${STORAGE_HOST}/cmr/storage/${key}?sig=ok`,
      foreign: `https://files.example.net/${key}`,
    };
    const mode = recording.download ?? 'direct';
    if (mode !== 'direct') {
      res.writeHead(302, { location: target[mode] });
      return res.end();
    }
    serveFile(res, recording, key);
  };

  const serveFile = (res: Exchange['res'], recording: FakeZoomRecording, key: string) => {
    const body = key.startsWith('cc-')
      ? recording.cc
      : key.startsWith('tr-')
        ? recording.transcript
        : 'MP4-BYTES';
    later(state, recording.slowMs, () => sendText(res, 200, 'text/vtt;charset=UTF-8', body ?? ''));
  };

  const server = createServer(async (req, res) => {
    const host = String(req.headers['x-forwarded-host'] ?? req.headers.host ?? '').toLowerCase();
    const url = new URL(req.url ?? '/', `https://${host}`);
    const params = { ...Object.fromEntries(url.searchParams), ...(await formBody(req)) };
    const { authorization, cookie } = req.headers;
    log.push({ host, method: req.method ?? 'GET', path: req.url ?? '/', authorization, cookie, params });
    const exchange: Exchange = { req, res, host, url, params };
    if (host === 'zoom.us' && url.pathname === '/oauth/token' && req.method === 'POST')
      return serveToken(exchange);
    if (host === 'api.zoom.us' && url.pathname === '/v2/users/me/recordings') return serveListing(exchange);
    if (host === STORAGE_HOST && url.pathname.startsWith('/cmr/storage/') && params.sig === 'ok') {
      const key = url.pathname.slice('/cmr/storage/'.length);
      const recording = state.recordings.find((r) => downloadKeys(r).includes(key));
      if (recording) return serveFile(res, recording, key);
    }
    if (url.pathname.startsWith('/rec/download/')) return serveDownload(exchange);
    if (servePlayer(exchange, state)) return;
    sendText(res, 404, 'text/html', '<html><body>404 Not Found</body></html>');
  });
  const listening = await listenOnLoopback(server, state.timers);
  fake.origin = listening.origin;
  return fake;
}

async function formBody(req: IncomingMessage): Promise<Record<string, string>> {
  if (req.method !== 'POST') return {};
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
}
