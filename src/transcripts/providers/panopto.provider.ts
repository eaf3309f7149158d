/**
 * Panopto captions through the web handler `GenerateSRT.ashx` (reference §B2). It is
 * undocumented and cookie-authenticated; we call it anonymously, so only recordings whose
 * captions are public succeed, and everything else must fail with a clear, permanent error.
 */

import { isAppError } from '../../shared/errors.ts';
import { parseCaptions } from '../captions.parser.ts';
import { parsePanoptoLink } from '../media-links.ts';
import { cuesToTranscript } from '../transcript.normalizer.ts';
import type { Transcript, TranscriptProvider } from '../transcript-provider.ts';
import { defineTranscriptProvider, transcriptErrors } from '../transcript-provider.ts';

export interface PanoptoProviderOptions {
  /** Defaults to the global fetch. */
  fetch?: typeof fetch;
  /** PANOPTO_BASE_URL: send requests to this origin instead of the link's own (proxies, tests). */
  baseUrl?: string;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
  /** Largest caption body accepted; default 20 MB, far above a multi-hour lecture's SRT. */
  maxBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
const MAX_REDIRECTS = 3;
// Panopto sends anonymous callers to /Panopto/Pages/Auth/Login.aspx; SSO set-ups use similar paths.
const LOGIN_PATH = /login|sign-?in|\/auth\//i;
const HTML_START = /^\s*<(?:!doctype|html)/i;

/** A provider that fetches a Panopto session's default-language (`language=0`) captions. */
export function createPanoptoProvider(options: PanoptoProviderOptions = {}): TranscriptProvider {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const baseOrigin = options.baseUrl ? new URL(options.baseUrl).origin : undefined;

  return defineTranscriptProvider({
    name: 'panopto',
    async fetchTranscript(ref, { signal }) {
      signal?.throwIfAborted();
      const link = parsePanoptoLink(ref.url);
      if (!link?.sessionId) throw noSessionId(ref.url);
      const url = new URL('/Panopto/Pages/Transcription/GenerateSRT.ashx', baseOrigin ?? link.origin);
      url.searchParams.set('id', link.sessionId);
      url.searchParams.set('language', '0');
      const body = await download(url.href, { fetchFn, timeoutMs, maxBytes, signal });
      return toTranscript(body);
    },
  });
}

function noSessionId(url: string) {
  if (/\/panopto\/lti\//i.test(url)) {
    return transcriptErrors.noSessionId({
      message:
        'This is the course-wide Panopto LTI link (/Panopto/LTI/LTI.aspx), which is the same for every ' +
        'recording and does not identify one. Link the recording’s Panopto Viewer or Embed URL instead.',
    });
  }
  return transcriptErrors.noSessionId({
    message: 'The Panopto link has no session id (expected a Viewer or Embed link with id=<GUID>).',
  });
}

interface DownloadOptions {
  fetchFn: typeof fetch;
  timeoutMs: number;
  maxBytes: number;
  signal: AbortSignal | undefined;
}

async function download(
  url: string,
  { fetchFn, timeoutMs, maxBytes, signal }: DownloadOptions,
): Promise<string> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    let current = url;
    // Redirects are followed by hand so a bounce to the login page is recognised as such.
    for (let hop = 0; ; hop++) {
      const response = await fetchFn(current, { signal: combined, redirect: 'manual' });
      if (response.status < 300 || response.status >= 400) {
        await assertOk(response);
        return await readText(response, maxBytes);
      }
      await discard(response);
      const location = response.headers.get('location');
      const next = location ? new URL(location, current) : null;
      if (next && LOGIN_PATH.test(next.pathname)) throw loginRequired();
      if (!next || hop >= MAX_REDIRECTS) {
        throw transcriptErrors.requestRejected({
          message: `Panopto answered with a redirect loop or an empty redirect.`,
        });
      }
      current = next.href;
    }
  } catch (error) {
    // The caller's abort is not a provider failure: let it surface as the abort it is.
    if (signal?.aborted) throw signal.reason;
    if (isAppError(error)) throw error;
    const message = timeout.aborted
      ? `Panopto did not answer within ${timeoutMs} ms.`
      : 'Panopto could not be reached.';
    throw transcriptErrors.providerUnavailable({ message, cause: error });
  }
}

function loginRequired() {
  return transcriptErrors.loginRequired({
    message: 'The Panopto session is not public: Panopto asked for a login before serving its captions.',
  });
}

async function assertOk(response: Response): Promise<void> {
  if (response.ok) return;
  await discard(response);
  const { status } = response;
  if (status === 401 || status === 403) throw loginRequired();
  if (status === 404) throw transcriptErrors.notFound({ message: 'Panopto has no session with this id.' });
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfter = Number(response.headers.get('retry-after'));
    throw transcriptErrors.providerUnavailable({
      message: `Panopto answered HTTP ${status}.`,
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
    });
  }
  throw transcriptErrors.requestRejected({
    message: `Panopto rejected the caption request with HTTP ${status}.`,
  });
}

async function readText(response: Response, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    transcriptErrors.tooLarge({ message: `The caption file is larger than ${maxBytes} bytes.` });
  if (Number(response.headers.get('content-length')) > maxBytes) {
    await discard(response);
    throw tooLarge();
  }
  if (!response.body) return '';
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  let size = 0;
  let text = '';
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    size += chunk.value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    text += decoder.decode(chunk.value, { stream: true });
  }
  return text + decoder.decode();
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function toTranscript(body: string): Transcript {
  if (body.trim() === '') {
    throw transcriptErrors.noCaptions({
      message: 'Panopto returned no captions: the recording has none, or they are not public.',
    });
  }
  if (HTML_START.test(body)) throw loginRequired();
  const cues = parseCaptions(body);
  if (cues.length === 0)
    throw transcriptErrors.unparseable({ message: 'Panopto returned text that is not SRT.' });
  const transcript = cuesToTranscript(cues);
  if (transcript.text === '') {
    throw transcriptErrors.noCaptions({
      message: 'The recording’s captions contain only sound marks, no speech.',
    });
  }
  return transcript;
}
