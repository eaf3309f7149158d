/**
 * Outbound HTTP for providers. Every request names the hosts it may reach; redirects are
 * followed by hand so that each hop is checked against them, credentials (a Panopto cookie, a
 * Zoom bearer token) are attached per hop only where the caller allows, and a bounce to a login
 * page can be recognised. Bodies are read with a size limit, and one timeout covers the whole
 * exchange, redirects and body included.
 */

import { readBoundedBytes } from '../shared/bounded-body.ts';
import { isAppError } from '../shared/errors.ts';
import { parseRetryAfterSeconds } from '../shared/retry-after.ts';
import { decodeText } from './text-decoding.ts';
import { transcriptErrors } from './transcripts.errors.ts';

export interface ProviderRequest {
  url: string | URL;
  method?: 'GET' | 'POST';
  headers?: Readonly<Record<string, string>>;
  body?: string | URLSearchParams;
  /** The hosts this request and every redirect it follows may reach. */
  allowHost: (url: URL) => boolean;
  /** Headers for one hop only (credentials): sent to hops for which this returns them. */
  credentials?: (url: URL) => Readonly<Record<string, string>> | undefined;
  signal?: AbortSignal;
  /** Called before a redirect is followed; throw to stop there (a login page, say). */
  onRedirect?: (to: URL) => void;
  /** Default 5. */
  maxRedirects?: number;
  /** Read the body as text (default) or as bytes. */
  as?: 'text' | 'bytes';
  /** Overrides the client's limit for this request. */
  maxBytes?: number;
}

export interface ProviderResponse {
  status: number;
  headers: Headers;
  /** The URL that answered, after redirects. */
  url: URL;
  /** The body as text; empty when read `as: 'bytes'`. */
  text: string;
  /** The body as bytes; empty when read as text. */
  bytes: Uint8Array;
  /** `Set-Cookie` headers of every hop, as `name=value` pairs. */
  cookies: string[];
}

export interface ProviderHttpOptions {
  /** "Panopto", "Zoom": names the host in error messages. */
  label: string;
  fetch?: typeof fetch;
  /** One exchange, redirects and body included. Default 30 s. */
  timeoutMs?: number;
  /** Default 20 MB, far above a multi-hour lecture's captions. */
  maxBytes?: number;
}

export type ProviderHttp = (request: ProviderRequest) => Promise<ProviderResponse>;

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export function createProviderHttp(options: ProviderHttpOptions): ProviderHttp {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { label } = options;

  return async (request) => {
    request.signal?.throwIfAborted();
    const maxBytes = request.maxBytes ?? options.maxBytes ?? DEFAULT_MAX_BYTES;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const cookies: string[] = [];
    let url = new URL(request.url);
    let method = request.method ?? 'GET';
    let body = request.body;
    try {
      for (let hop = 0; ; hop++) {
        if (!isWebUrl(url) || !request.allowHost(url)) throw hostRefused(label, url);
        const response = await fetchFn(url, {
          method,
          headers: { ...request.headers, ...request.credentials?.(url) },
          body,
          signal,
          redirect: 'manual',
        });
        cookies.push(...setCookies(response.headers));
        const location = response.headers.get('location');
        if (!REDIRECTS.has(response.status) || !location) {
          const read = await readBody(response, request.as ?? 'text', maxBytes, label);
          return { status: response.status, headers: response.headers, url, cookies, ...read };
        }
        await discard(response);
        const next = URL.canParse(location, url.href) ? new URL(location, url) : null;
        if (!next)
          throw transcriptErrors.requestRejected({ message: `${label} answered with a broken redirect.` });
        request.onRedirect?.(next);
        if (hop >= (request.maxRedirects ?? 5)) {
          throw transcriptErrors.requestRejected({ message: `${label} redirected too many times.` });
        }
        // As browsers do: a 303, or a 301/302 after a POST, becomes a GET without a body.
        if (response.status === 303 || (method === 'POST' && response.status < 307)) {
          method = 'GET';
          body = undefined;
        }
        url = next;
      }
    } catch (error) {
      // The caller's abort is not a provider failure: let it surface as the abort it is.
      if (request.signal?.aborted) throw request.signal.reason;
      if (isAppError(error)) throw error;
      throw transcriptErrors.providerUnavailable({
        message: timeout.aborted
          ? `${label} did not answer within ${timeoutMs} ms.`
          : `${label} could not be reached.`,
        cause: error,
      });
    }
  };
}

/**
 * The error for an answer no retry of ours can change the meaning of: 408/429/5xx are
 * transient (with the server's Retry-After), other non-2xx statuses are returned as null for
 * the provider to map (401 → login, 404 → not found) before it falls back to `rejected`.
 */
export function transientStatusError(response: ProviderResponse, label: string) {
  const { status } = response;
  if (status !== 408 && status !== 429 && status < 500) return null;
  const retryAfter = parseRetryAfterSeconds(response.headers.get('retry-after'));
  return transcriptErrors.providerUnavailable({
    message: `${label} answered HTTP ${status}.`,
    ...(retryAfter ? { retryAfterSeconds: retryAfter } : {}),
  });
}

export function rejectedStatusError(response: ProviderResponse, label: string) {
  return (
    transientStatusError(response, label) ??
    transcriptErrors.requestRejected({
      message: `${label} rejected the request with HTTP ${response.status}.`,
    })
  );
}

/** Hosts as a predicate: exact names, or `.example.com` for the domain and its subdomains. */
export function hostIn(patterns: readonly string[]): (url: URL) => boolean {
  const lower = patterns.map((pattern) => pattern.toLowerCase());
  return (url) => {
    const host = url.hostname.toLowerCase();
    return lower.some((pattern) =>
      pattern.startsWith('.') ? host === pattern.slice(1) || host.endsWith(pattern) : host === pattern,
    );
  };
}

/** Parses JSON from a response body, as `transcript.request_rejected` when it is not JSON. */
export function parseJsonBody(response: ProviderResponse, label: string): unknown {
  try {
    return JSON.parse(response.text);
  } catch {
    // Not kept as the cause: the SyntaxError quotes the body, which may hold a token.
    throw transcriptErrors.requestRejected({ message: `${label} answered with something that is not JSON.` });
  }
}

function hostRefused(label: string, url: URL) {
  return transcriptErrors.hostRefused({
    message: `${label} sent canvas-notes to ${url.protocol}//${url.host}, a host it does not talk to.`,
  });
}

function isWebUrl(url: URL): boolean {
  return url.protocol === 'https:' || url.protocol === 'http:';
}

function setCookies(headers: Headers): string[] {
  return headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0]?.trim() ?? '')
    .filter((pair) => pair.includes('='));
}

async function readBody(
  response: Response,
  as: 'text' | 'bytes',
  maxBytes: number,
  label: string,
): Promise<{ text: string; bytes: Uint8Array }> {
  const bytes = await readBoundedBytes(response, maxBytes);
  if (bytes === null) {
    throw transcriptErrors.tooLarge({ message: `${label} sent a body larger than ${maxBytes} bytes.` });
  }
  return as === 'bytes'
    ? { text: '', bytes }
    : { text: decodeText(bytes, response.headers.get('content-type')), bytes: new Uint8Array(0) };
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}
