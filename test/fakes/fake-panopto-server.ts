/**
 * A real HTTP server on 127.0.0.1 (port 0) that answers like Panopto's caption handler
 * (`/Panopto/Pages/Transcription/GenerateSRT.ashx`), including its unhappy paths: an empty body
 * for sessions without captions, a login page or a redirect to it for private sessions.
 */

import { once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakePanoptoSession =
  | { kind: 'srt'; body: string }
  | { kind: 'empty' }
  /** `via: 'page'` (default) answers 200 with the login HTML; `'redirect'` answers 302 to it. */
  | { kind: 'login'; via?: 'page' | 'redirect' }
  | { kind: 'error'; status: number }
  | { kind: 'slow'; ms: number; body: string };

export interface FakePanopto {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Sessions by id (GUIDs are matched case-insensitively). */
  sessions: Map<string, FakePanoptoSession>;
  /** Every request's path and query, in order. */
  requests: string[];
  close(): Promise<void>;
}

const LOGIN_PATH = '/Panopto/Pages/Auth/Login.aspx';
const LOGIN_PAGE =
  '<!DOCTYPE html><html><head><title>Sign in</title></head><body><form action="/Panopto/Pages/Auth/Login.aspx">' +
  '<h1>Sign in</h1><input name="username"><input name="password" type="password"></form></body></html>';

export async function startFakePanopto(): Promise<FakePanopto> {
  const sessions = new Map<string, FakePanoptoSession>();
  const requests: string[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const url = new URL(req.url ?? '/', 'http://fake-panopto');
    const path = url.pathname.toLowerCase();
    if (path === '/panopto/pages/transcription/generatesrt.ashx') {
      serveCaptions(findSession(sessions, url.searchParams.get('id')), req, res, timers);
    } else if (path === LOGIN_PATH.toLowerCase()) {
      send(res, 200, 'text/html; charset=utf-8', LOGIN_PAGE);
    } else if (path === '/panopto/pages/viewer.aspx' && findSession(sessions, url.searchParams.get('id'))) {
      send(
        res,
        200,
        'text/html; charset=utf-8',
        '<!DOCTYPE html><html><body><div id="viewer">Panopto viewer</div></body></html>',
      );
    } else {
      send(res, 404, 'text/html; charset=utf-8', '<!DOCTYPE html><html><body>Not found</body></html>');
    }
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    sessions,
    requests,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function findSession(
  sessions: Map<string, FakePanoptoSession>,
  id: string | null,
): FakePanoptoSession | undefined {
  if (!id) return undefined;
  for (const [key, session] of sessions) if (key.toLowerCase() === id.toLowerCase()) return session;
  return undefined;
}

function serveCaptions(
  session: FakePanoptoSession | undefined,
  req: IncomingMessage,
  res: ServerResponse,
  timers: Set<NodeJS.Timeout>,
): void {
  // Panopto's handler answers an unknown id with its generic not-found page.
  if (!session) {
    send(res, 404, 'text/html; charset=utf-8', '<!DOCTYPE html><html><body>Not found</body></html>');
    return;
  }
  switch (session.kind) {
    case 'srt':
      send(res, 200, 'application/x-subrip; charset=utf-8', session.body);
      return;
    case 'empty':
      send(res, 200, 'text/plain', '');
      return;
    case 'login':
      if (session.via === 'redirect') {
        res
          .writeHead(302, { location: `${LOGIN_PATH}?ReturnUrl=${encodeURIComponent(req.url ?? '/')}` })
          .end();
      } else {
        send(res, 200, 'text/html; charset=utf-8', LOGIN_PAGE);
      }
      return;
    case 'error':
      send(res, session.status, 'text/plain', `error ${session.status}`);
      return;
    case 'slow': {
      const timer = setTimeout(() => {
        timers.delete(timer);
        send(res, 200, 'application/x-subrip; charset=utf-8', session.body);
      }, session.ms);
      timers.add(timer);
      // `res` (not `req`) closes when the client goes away, e.g. after a timeout abort.
      res.once('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
      });
      return;
    }
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
