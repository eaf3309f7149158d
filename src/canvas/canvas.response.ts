/**
 * What one Canvas answer means (shared reference §A2): data, a failure to report, or a failure a
 * retry may cure, with the `AppError` a user sees. Messages name the endpoint and at most
 * Canvas's own short message, scrubbed of the token.
 */

import type { AppError } from '../shared/errors.ts';
import { parseRetryAfterSeconds } from '../shared/retry-after.ts';
import {
  CanvasHttpError,
  CanvasNetworkError,
  createCanvasBadResponseError,
  createCanvasForbiddenError,
  createCanvasNotFoundError,
  createCanvasRateLimitedError,
  createCanvasUnauthorizedError,
  createCanvasUnavailableError,
  extractCanvasMessage,
} from './canvas.errors.ts';
import { parseNextLink } from './canvas.pagination.ts';

/** A successful JSON answer: the parsed body (still unvalidated) and its raw `rel="next"` link. */
export type CanvasJsonResponse = { body: unknown; nextUrl: string | null };

export type RetryReason = 'throttled' | 'server' | 'network' | 'timeout';
export type Attempt =
  | { kind: 'ok'; response: CanvasJsonResponse }
  | { kind: 'fail'; error: AppError }
  | { kind: 'retry'; reason: RetryReason; error: AppError; status?: number };

export function classify(
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

export function toNetworkError(error: unknown, scrub: (text: string) => string): CanvasNetworkError {
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
