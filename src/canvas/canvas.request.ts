import type { LimitFunction } from 'p-limit';
import { readBoundedBytes } from '../shared/bounded-body.ts';
import type { AppError } from '../shared/errors.ts';
import type { Logger } from '../shared/logger.ts';
import {
  CanvasHttpError,
  CanvasNetworkError,
  createCanvasBadResponseError,
  createCanvasForbiddenError,
  createCanvasNotFoundError,
  createCanvasRateLimitedError,
  createCanvasTimeoutError,
  createCanvasUnauthorizedError,
  createCanvasUnavailableError,
  extractCanvasMessage,
} from './canvas.errors.ts';
import { parseNextLink } from './canvas.pagination.ts';
import {
  backoffDelayMs,
  parseRetryAfterSeconds,
  type RateLimitGate,
  runLimited,
  sleepOrAbort,
} from './canvas.throttle.ts';

/**
 * The largest Canvas answer read. A page of 100 items, or a Page's HTML, is far below it; only
 * caption tracks with their WebVTT text come near (100 tracks of a long lecture).
 */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** A successful JSON answer: the parsed body (still unvalidated) and its raw `rel="next"` link. */
export type CanvasJsonResponse = { body: unknown; nextUrl: string | null };

export type CanvasRequester = {
  /** GETs one Canvas URL (which must be on the configured origin) with auth, timeout and retries. */
  getJson(url: string, signal?: AbortSignal): Promise<CanvasJsonResponse>;
  /** HTTP requests actually sent, retries included. */
  requestCount(): number;
};

export type CanvasRequesterOptions = {
  token: string;
  /** The only origin that ever receives the token. */
  origin: string;
  fetch: typeof fetch;
  userAgent: string;
  timeoutMs: number;
  maxRetries: number;
  retryBaseDelayMs: number;
  maxRetryDelayMs: number;
  limit: LimitFunction;
  gate: RateLimitGate;
  logger: Logger;
};

type RetryReason = 'throttled' | 'server' | 'network' | 'timeout';
type Attempt =
  | { kind: 'ok'; response: CanvasJsonResponse }
  | { kind: 'fail'; error: AppError }
  | { kind: 'retry'; reason: RetryReason; error: AppError; status?: number };

/**
 * The one place that talks HTTP to Canvas: every request gets the bearer token, the limiter, the
 * adaptive throttle pause, a timeout, and retries classified per shared reference §A2. Only GETs
 * go through here, so every retry is safe.
 */
export function createCanvasRequester(options: CanvasRequesterOptions): CanvasRequester {
  const { logger } = options;
  let requests = 0;
  const headers = {
    Authorization: `Bearer ${options.token}`,
    Accept: 'application/json',
    'User-Agent': options.userAgent,
  };
  // Defence in depth: Canvas never echoes the token, but a proxy page or odd error text might.
  const scrub = (text: string) => (options.token ? text.replaceAll(options.token, '[redacted]') : text);

  async function attemptOnce(
    url: string,
    endpoint: string,
    signal: AbortSignal | undefined,
  ): Promise<Attempt> {
    await options.gate.wait(signal, (ms, remaining) =>
      logger.debug({ endpoint, pauseMs: ms, rateLimitRemaining: remaining }, 'Canvas quota low; pausing'),
    );
    const timeout = AbortSignal.timeout(options.timeoutMs);
    requests += 1;
    let response: Response;
    let text: string;
    try {
      // Canvas API JSON GETs do not redirect, so we never follow one: undici drops Authorization
      // on a cross-origin redirect, but an injected fetch need not, and the token must only reach
      // the origin `getJson` checked. `classify` turns the 3xx into canvas.bad_response.
      response = await options.fetch(url, {
        headers,
        redirect: 'manual',
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      const bytes = await readBoundedBytes(response, MAX_BODY_BYTES);
      if (bytes === null) {
        return {
          kind: 'fail',
          error: createCanvasBadResponseError({
            message: `Canvas sent more than ${MAX_BODY_BYTES / 1024 / 1024} MB for ${endpoint}.`,
          }),
        };
      }
      text = new TextDecoder().decode(bytes);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) {
        return {
          kind: 'retry',
          reason: 'timeout',
          error: createCanvasTimeoutError({
            message: `Canvas did not answer ${endpoint} within ${options.timeoutMs} ms.`,
            cause: new CanvasNetworkError({
              message: `Timed out after ${options.timeoutMs} ms`,
              errorCode: 'ETIMEDOUT',
            }),
          }),
        };
      }
      return {
        kind: 'retry',
        reason: 'network',
        error: createCanvasUnavailableError({
          message: `Could not reach Canvas for ${endpoint}.`,
          cause: toNetworkError(error, scrub),
        }),
      };
    }
    options.gate.observe(response.headers.get('x-rate-limit-remaining'));
    return classify(response, text, endpoint, scrub);
  }

  function retryDelay(attempt: Attempt & { kind: 'retry' }, attemptIndex: number): number | undefined {
    const retryAfter = attempt.error.retryAfterSeconds;
    if (retryAfter !== undefined) {
      const ms = retryAfter * 1000;
      // Canvas asked for a longer wait than we hold a request open for: give up now and let the
      // job layer reschedule from `retryAfterSeconds`.
      return ms > options.maxRetryDelayMs ? undefined : ms;
    }
    return backoffDelayMs({
      attempt: attemptIndex,
      baseMs: options.retryBaseDelayMs,
      capMs: options.maxRetryDelayMs,
      throttled: attempt.reason === 'throttled',
    });
  }

  async function getJson(url: string, signal?: AbortSignal): Promise<CanvasJsonResponse> {
    const parsed = new URL(url);
    if (parsed.origin !== options.origin) {
      throw createCanvasBadResponseError({
        message: `Refusing to send the Canvas token to another host (${parsed.origin}).`,
      });
    }
    const endpoint = parsed.pathname;
    for (let attemptIndex = 0; ; attemptIndex += 1) {
      const attempt = await runLimited(options.limit, () => attemptOnce(url, endpoint, signal), signal);
      if (attempt.kind === 'ok') return attempt.response;
      if (attempt.kind === 'fail') throw attempt.error;
      const delayMs = attemptIndex < options.maxRetries ? retryDelay(attempt, attemptIndex) : undefined;
      if (delayMs === undefined) {
        logger.warn(
          { endpoint, attempts: attemptIndex + 1, reason: attempt.reason, code: attempt.error.code },
          'Canvas request failed',
        );
        throw attempt.error;
      }
      logger.warn(
        {
          endpoint,
          attempt: attemptIndex + 1,
          maxRetries: options.maxRetries,
          reason: attempt.reason,
          status: attempt.status,
          delayMs,
        },
        'Retrying Canvas request',
      );
      await sleepOrAbort(delayMs, signal);
    }
  }

  return { getJson, requestCount: () => requests };
}

function classify(
  response: Response,
  text: string,
  endpoint: string,
  scrub: (text: string) => string,
): Attempt {
  const { status } = response;
  if (status >= 200 && status < 300) {
    try {
      return {
        kind: 'ok',
        response: { body: JSON.parse(text), nextUrl: parseNextLink(response.headers.get('link')) },
      };
    } catch {
      // Not keeping the SyntaxError: its message quotes the start of the body (an HTML login
      // page, a proxy page), which we do not want in errors or logs.
      const contentType = response.headers.get('content-type') ?? 'no content type';
      return {
        kind: 'fail',
        error: createCanvasBadResponseError({
          message: `Canvas answered ${endpoint} with something other than JSON.`,
          cause: new CanvasHttpError({
            status,
            endpoint,
            canvasMessage: `unparseable body (${contentType})`,
          }),
        }),
      };
    }
  }
  // `opaqueredirect` (status 0) is what a browser-style fetch returns for `redirect: 'manual'`.
  if ((status >= 300 && status < 400) || response.type === 'opaqueredirect') {
    // No body text and no Location: a redirect target's query string can carry tickets or tokens.
    return {
      kind: 'fail',
      error: createCanvasBadResponseError({
        cause: new CanvasHttpError({ status, endpoint }),
        message: `Canvas answered ${endpoint} with a redirect (${status}) instead of JSON.`,
      }),
    };
  }
  const extracted = extractCanvasMessage(text);
  const canvasMessage = extracted === undefined ? undefined : scrub(extracted);
  const detail = canvasMessage ? ` (${canvasMessage})` : '';
  const cause = new CanvasHttpError({ status, endpoint, ...(canvasMessage ? { canvasMessage } : {}) });
  // Canvas throttles with 403 + text/plain "Rate Limit Exceeded"; newer docs say 429. Check the
  // body before treating a 403 as a permission problem.
  if (status === 429 || (status === 403 && /rate limit exceeded/i.test(text))) {
    const retryAfterSeconds = parseRetryAfterSeconds(response.headers.get('retry-after'));
    const error = createCanvasRateLimitedError({
      cause,
      ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
    });
    return { kind: 'retry', reason: 'throttled', error, status };
  }
  if (status === 401 && !isPermissionError(response, text)) {
    return {
      kind: 'fail',
      error: canvasMessage
        ? createCanvasUnauthorizedError({
            cause,
            message: `Canvas rejected the access token${detail}. Check CANVAS_TOKEN.`,
          })
        : createCanvasUnauthorizedError({ cause }),
    };
  }
  if (status === 401 || status === 403) {
    return {
      kind: 'fail',
      error: createCanvasForbiddenError({
        cause,
        message: `Canvas does not allow this account to read ${endpoint}${detail}.`,
      }),
    };
  }
  if (status === 404) {
    return {
      kind: 'fail',
      error: createCanvasNotFoundError({ cause, message: `Canvas has no ${endpoint}${detail}.` }),
    };
  }
  if (status >= 500 || status === 408) {
    const error = createCanvasUnavailableError({
      cause,
      message: `Canvas answered ${status} for ${endpoint}.`,
    });
    return { kind: 'retry', reason: 'server', error, status };
  }
  return {
    kind: 'fail',
    error: createCanvasBadResponseError({
      cause,
      message: `Canvas answered ${status} for ${endpoint}${detail}.`,
    }),
  };
}

/** Canvas's permission 401 carries JSON `status: "unauthorized"` and no `WWW-Authenticate` (§A2). */
function isPermissionError(response: Response, text: string): boolean {
  if (response.headers.has('www-authenticate')) return false;
  try {
    return (JSON.parse(text) as { status?: unknown } | null)?.status === 'unauthorized';
  } catch {
    return false;
  }
}

function toNetworkError(error: unknown, scrub: (text: string) => string): CanvasNetworkError {
  const messages: string[] = [];
  let errorCode: string | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    messages.push(current.message);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') errorCode ??= code;
    current = current.cause;
  }
  return new CanvasNetworkError({
    message: scrub(messages.join(': ') || 'Network error'),
    ...(errorCode !== undefined ? { errorCode } : {}),
  });
}
