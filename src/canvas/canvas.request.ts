import { readBoundedBytes } from '../shared/bounded-body.ts';
import type { Logger } from '../shared/logger.ts';
import type { AdaptiveLimit } from './canvas.concurrency.ts';
import {
  CanvasNetworkError,
  createCanvasBadResponseError,
  createCanvasTimeoutError,
  createCanvasUnavailableError,
} from './canvas.errors.ts';
import { type Attempt, type CanvasJsonResponse, classify, toNetworkError } from './canvas.response.ts';
import { backoffDelayMs, type RateLimitGate, runLimited, sleepOrAbort } from './canvas.throttle.ts';

/**
 * The largest Canvas answer read by default. A page of 100 items, or a Page's HTML, is far below
 * it; only caption tracks with their WebVTT text come near (100 tracks of a long lecture).
 */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

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
  maxBodyBytes: number;
  retryBaseDelayMs: number;
  maxRetryDelayMs: number;
  /** The in-flight bound, which every answer's quota reading adjusts. */
  concurrency: Pick<AdaptiveLimit, 'limit' | 'observe'>;
  gate: RateLimitGate;
  logger: Logger;
};

/**
 * The one place that talks HTTP to Canvas: every request gets the bearer token, the limiter, the
 * adaptive throttle pause, a timeout, and retries classified per shared reference §A2. Only GETs
 * go through here, so every retry is safe.
 */
export function createCanvasRequester(options: CanvasRequesterOptions): CanvasRequester {
  const { logger } = options;
  let requests = 0;
  let inFlight = 0;
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
    inFlight += 1;
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
      const bytes = await readBoundedBytes(response, options.maxBodyBytes);
      if (bytes === null) {
        return {
          kind: 'fail',
          error: createCanvasBadResponseError({
            message: `Canvas sent more than ${options.maxBodyBytes} bytes for ${endpoint}.`,
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
    } finally {
      inFlight -= 1;
    }
    const remaining = response.headers.get('x-rate-limit-remaining');
    options.gate.observe(remaining, inFlight);
    const attempt = classify(response, text, endpoint, scrub);
    options.concurrency.observe({
      remaining,
      throttled: attempt.kind === 'retry' && attempt.reason === 'throttled',
    });
    return attempt;
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
      const attempt = await runLimited(
        options.concurrency.limit,
        () => attemptOnce(url, endpoint, signal),
        signal,
      );
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
