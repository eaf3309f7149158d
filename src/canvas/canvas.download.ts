/**
 * File downloads from Canvas (`/files/:id/download`). Canvas answers with a redirect to signed
 * storage on a host of its choosing: that hop gets no token, and the download then stays on that
 * one storage host. A download Canvas will not serve to the token bounces to its login page,
 * which would otherwise arrive as a 200 HTML "file".
 */

import { isAppError } from '../shared/errors.ts';
import { createProviderHttp } from '../transcripts/provider-http.ts';
import {
  createCanvasForbiddenError,
  createCanvasNotFoundError,
  createCanvasUnauthorizedError,
  createCanvasUnavailableError,
} from './canvas.errors.ts';

export function createCanvasFileDownloader(options: {
  /** The only origin that ever receives the token. */
  origin: string;
  token: string;
  fetch: typeof fetch;
  timeoutMs: number;
}) {
  const { origin } = options;
  const http = createProviderHttp({ label: 'Canvas', fetch: options.fetch, timeoutMs: options.timeoutMs });
  let downloads = 0;

  return {
    /** Downloads started, for the client's request count. */
    count: () => downloads,

    async download(
      fileId: number,
      url: URL,
      { signal, maxBytes }: { signal?: AbortSignal; maxBytes?: number },
    ): Promise<{ bytes: Uint8Array; contentType: string | null }> {
      downloads += 1;
      let storageHost: string | undefined;
      const response = await http({
        url,
        as: 'bytes',
        signal,
        ...(maxBytes !== undefined ? { maxBytes } : {}),
        allowHost: (hop) => {
          if (hop.origin === origin) return true;
          if (hop.protocol !== 'https:') return false;
          storageHost ??= hop.host;
          return hop.host === storageHost;
        },
        onRedirect: (to) => {
          if (to.origin === origin && /\/login(?:\/|$)/.test(to.pathname)) {
            throw createCanvasForbiddenError({
              message: `Canvas asked for a browser login instead of sending file ${fileId}.`,
            });
          }
        },
        credentials: (hop) =>
          hop.origin === origin ? { Authorization: `Bearer ${options.token}` } : undefined,
      }).catch((error: unknown) => {
        if (isAppError(error) && error.transient) {
          throw createCanvasUnavailableError({ message: `Could not download file ${fileId} from Canvas.` });
        }
        throw error;
      });
      const { status } = response;
      // As on the API (canvas.response.ts): a 401 with WWW-Authenticate is the token itself
      // refused (revoked, expired), which no retry and no other file can get past.
      if (status === 401 && response.headers.has('www-authenticate')) {
        throw createCanvasUnauthorizedError({
          message: `Canvas rejected the access token when sending file ${fileId}. Check CANVAS_TOKEN.`,
        });
      }
      if (status === 401 || status === 403) {
        throw createCanvasForbiddenError({
          message: `Canvas refused to send file ${fileId} (HTTP ${status}).`,
        });
      }
      if (status === 404) throw createCanvasNotFoundError({ message: `Canvas has no file ${fileId}.` });
      if (status >= 400) {
        throw createCanvasUnavailableError({ message: `Canvas answered HTTP ${status} for file ${fileId}.` });
      }
      return { bytes: response.bytes, contentType: response.headers.get('content-type') };
    },
  };
}
