/**
 * A small fake of the two Canvas routes readings use, plus the signed storage Canvas sends file
 * downloads to, on one HTTP server on 127.0.0.1 port 0. It plays two hosts, told apart by the
 * `X-Forwarded-Host` that `rewriteFetch` sets:
 * - Canvas (`https://canvas.example.edu`): `GET /api/v1/courses/:course/pages/:slug` (Page JSON
 *   with `body`, reference §A5 Pages and §F3), `GET /api/v1/courses/:course/files/:id` (File
 *   JSON with the hyphenated `content-type` key and a `url` of
 *   `/files/:id/download?download_frd=1&verifier=…`, §A5 Files) and that download URL, which
 *   answers 302 to storage. Errors are Canvas's JSON shapes (§A2): 401 with
 *   `WWW-Authenticate` for a bad token, 404 `errors[].message` for a missing page or file.
 * - Storage (`https://inst-fs-iad-prod.inscloudgate.net`): `GET /files/:uuid/:name?download=1&token=…`
 *   answers the bytes with the stored content type. The host and path follow Instructure's
 *   inst-fs URLs seen in public Canvas payloads; the exact redirect host is UNCONFIRMED (§H).
 */

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { rewriteFetch } from '../helpers/rewrite-fetch.ts';
import { listenOnLoopback } from './listen.ts';

export const FAKE_CANVAS_ORIGIN = 'https://canvas.example.edu';
export const FAKE_STORAGE_ORIGIN = 'https://inst-fs-iad-prod.inscloudgate.net';

export interface FakeReadingPage {
  title: string;
  body: string | null;
  /** Waits this long before answering, to abort mid-request. */
  delayMs?: number;
}

export interface FakeReadingFile {
  displayName: string;
  /** As Canvas stores it from the upload; null leaves the key out. */
  contentType: string | null;
  bytes: Uint8Array;
  /** The `Content-Type` storage answers with; defaults to `contentType`. */
  storedContentType?: string | null;
}

export interface FakeCanvasFiles {
  /** The Canvas root to give the client; requests reach this fake through `fetch`. */
  baseUrl: string;
  token: string;
  /** Routes Canvas and storage hosts here. */
  fetch: typeof fetch;
  pages: Map<string, FakeReadingPage>;
  files: Map<number, FakeReadingFile>;
  /** `host path` of every request, in order, with whether it carried the token. */
  requests: { host: string; path: string; authorized: boolean }[];
  close(): Promise<void>;
}

export async function startFakeCanvasFiles(options: { token?: string } = {}): Promise<FakeCanvasFiles> {
  const token = options.token ?? 'fake-canvas-token';
  const pages = new Map<string, FakeReadingPage>();
  const files = new Map<number, FakeReadingFile>();
  const requests: FakeCanvasFiles['requests'] = [];
  const signed = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();

  const json = (
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    response.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
    response.end(JSON.stringify(body));
  };
  const notFound = (response: ServerResponse) =>
    json(response, 404, { errors: [{ message: 'The specified resource does not exist.' }] });

  const canvas = (request: IncomingMessage, response: ServerResponse, url: URL) => {
    if (request.headers.authorization !== `Bearer ${token}`) {
      json(
        response,
        401,
        { errors: [{ message: 'Invalid access token.' }] },
        {
          'WWW-Authenticate': 'Bearer realm="canvas-lms"',
        },
      );
      return;
    }
    const page = /^\/api\/v1\/courses\/(\d+)\/pages\/([^/]+)$/.exec(url.pathname);
    if (page?.[2]) {
      const slug = decodeURIComponent(page[2]);
      const found = pages.get(slug);
      if (!found) return notFound(response);
      const answer = () =>
        json(response, 200, {
          page_id: 66_000 + [...pages.keys()].indexOf(slug),
          url: slug,
          title: found.title,
          created_at: '2025-09-01T14:02:55Z',
          updated_at: '2025-09-08T18:40:12Z',
          published: true,
          front_page: false,
          locked_for_user: false,
          html_url: `${FAKE_CANVAS_ORIGIN}/courses/${page[1]}/pages/${slug}`,
          ...(found.body === null ? {} : { body: found.body }),
        });
      if (!found.delayMs) return answer();
      const timer = setTimeout(() => {
        timers.delete(timer);
        answer();
      }, found.delayMs);
      timers.add(timer);
      return;
    }
    const file = /^\/api\/v1\/courses\/\d+\/files\/(\d+)$/.exec(url.pathname);
    if (file) {
      const id = Number(file[1]);
      const found = files.get(id);
      if (!found) return notFound(response);
      return json(response, 200, {
        id,
        uuid: `uuid-${id}`,
        folder_id: 1,
        display_name: found.displayName,
        filename: found.displayName.replace(/\s+/g, '+'),
        ...(found.contentType === null ? {} : { 'content-type': found.contentType }),
        size: found.bytes.byteLength,
        url: `${FAKE_CANVAS_ORIGIN}/files/${id}/download?download_frd=1&verifier=v${id}`,
        updated_at: '2025-09-08T18:40:12Z',
        media_entry_id: null,
      });
    }
    const download = /^\/files\/(\d+)\/download$/.exec(url.pathname);
    if (download && url.searchParams.get('download_frd') === '1') {
      const id = Number(download[1]);
      const found = files.get(id);
      if (!found) return notFound(response);
      const key = randomUUID();
      signed.set(key, id);
      const name = encodeURIComponent(found.displayName);
      response.writeHead(302, {
        Location: `${FAKE_STORAGE_ORIGIN}/files/${key}/${name}?download=1&token=jwt-${key}`,
      });
      response.end();
      return;
    }
    notFound(response);
  };

  const storage = (response: ServerResponse, url: URL) => {
    const match = /^\/files\/([^/]+)\/[^/]+$/.exec(url.pathname);
    const id = match?.[1] ? signed.get(match[1]) : undefined;
    const found = id === undefined ? undefined : files.get(id);
    if (!found || url.searchParams.get('token') !== `jwt-${match?.[1]}`) {
      response.writeHead(403, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify({ message: 'invalid token' }));
      return;
    }
    const type = found.storedContentType === undefined ? found.contentType : found.storedContentType;
    response.writeHead(200, {
      'Content-Length': String(found.bytes.byteLength),
      ...(type ? { 'Content-Type': type } : {}),
    });
    response.end(Buffer.from(found.bytes));
  };

  const server = createServer((request, response) => {
    const host = String(request.headers['x-forwarded-host'] ?? '');
    const url = new URL(request.url ?? '/', 'http://fake.invalid');
    requests.push({ host, path: url.pathname, authorized: request.headers.authorization !== undefined });
    if (`https://${host}` === FAKE_STORAGE_ORIGIN) storage(response, url);
    else canvas(request, response, url);
  });
  const { origin, close } = await listenOnLoopback(server, timers);

  return {
    baseUrl: FAKE_CANVAS_ORIGIN,
    token,
    fetch: rewriteFetch({ [FAKE_CANVAS_ORIGIN]: origin, [FAKE_STORAGE_ORIGIN]: origin }),
    pages,
    files,
    requests,
    close,
  };
}
