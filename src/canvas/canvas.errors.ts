import { createErrorFactory } from '../shared/errors.ts';

/**
 * Canvas errors, wrapped once at the client boundary (shared reference §A2 for the classification).
 * Messages are shown to users, so they name the endpoint path and at most a short Canvas message:
 * never the token, a query string or a whole response body.
 */

/** 401 with `WWW-Authenticate`: the token is wrong, expired or revoked. Retrying cannot help. */
export const createCanvasUnauthorizedError = createErrorFactory({
  code: 'canvas.unauthorized',
  statusCode: 502,
  message: 'Canvas rejected the access token (it may be wrong, expired or revoked). Check CANVAS_TOKEN.',
});

/** 401/403 with JSON `status: "unauthorized"`: the token is fine but may not see this resource. */
export const createCanvasForbiddenError = createErrorFactory({
  code: 'canvas.forbidden',
  statusCode: 502,
  message: 'Canvas says this account is not allowed to read that resource.',
});

/** 404: a missing resource, an invalid pagination bookmark, or a course tab the teacher disabled. */
export const createCanvasNotFoundError = createErrorFactory({
  code: 'canvas.not_found',
  statusCode: 404,
  message: 'Canvas could not find that resource.',
});

/** Canvas kept throttling (403/429 "Rate Limit Exceeded") after our retries. */
export const createCanvasRateLimitedError = createErrorFactory({
  code: 'canvas.rate_limited',
  // Canvas still failing after our retries is a bad gateway, like canvas.unavailable; the
  // Retry-After header tells the client when to try again.
  statusCode: 502,
  message: 'Canvas is rate limiting this token; try again later.',
  transient: true,
});

/** 5xx or network failure after our retries. */
export const createCanvasUnavailableError = createErrorFactory({
  code: 'canvas.unavailable',
  statusCode: 502,
  message: 'Canvas is unavailable right now; try again later.',
  transient: true,
});

/** Canvas did not answer within the configured timeout, on every attempt. */
export const createCanvasTimeoutError = createErrorFactory({
  code: 'canvas.timeout',
  statusCode: 504,
  message: 'Canvas did not answer in time.',
  transient: true,
});

/** A payload we cannot use: not JSON, an unexpected shape, a broken Link chain, a foreign host. */
export const createCanvasBadResponseError = createErrorFactory({
  code: 'canvas.bad_response',
  statusCode: 502,
  message: 'Canvas sent a response this service does not understand.',
});

/**
 * The safe `cause` of a Canvas `AppError`: the HTTP status, the endpoint path and Canvas's own
 * short message. Deliberately holds no `Request`/`Response`/headers, so serialising or logging
 * the error chain cannot leak the bearer token.
 */
export class CanvasHttpError extends Error {
  readonly status: number;
  readonly endpoint: string;
  readonly canvasMessage: string | undefined;

  constructor(options: { status: number; endpoint: string; canvasMessage?: string }) {
    const suffix = options.canvasMessage ? `: ${options.canvasMessage}` : '';
    super(`Canvas answered ${options.status} for ${options.endpoint}${suffix}`);
    this.name = 'CanvasHttpError';
    this.status = options.status;
    this.endpoint = options.endpoint;
    this.canvasMessage = options.canvasMessage;
  }
}

/**
 * A network-level failure reduced to its name, message and errno-style code. fetch's own errors
 * nest undici internals (sockets, dispatcher state) that we do not want in logs or API answers.
 */
export class CanvasNetworkError extends Error {
  readonly errorCode: string | undefined;

  constructor(options: { message: string; errorCode?: string }) {
    super(options.message);
    this.name = 'CanvasNetworkError';
    this.errorCode = options.errorCode;
  }
}

const MAX_CANVAS_MESSAGE_LENGTH = 200;

/**
 * Pulls Canvas's human message out of an error body (`{errors:[{message}]}`, `{message}` or
 * plain text) and trims it, so error messages never echo a whole body.
 */
export function extractCanvasMessage(bodyText: string): string | undefined {
  let message: unknown;
  try {
    const json: unknown = JSON.parse(bodyText);
    if (json && typeof json === 'object') {
      const record = json as { errors?: unknown; message?: unknown };
      const first = Array.isArray(record.errors)
        ? (record.errors[0] as { message?: unknown } | undefined)
        : undefined;
      message = first?.message ?? record.message;
    }
  } catch {
    // Throttle answers and proxy error pages are plain text or HTML, not JSON.
    message = bodyText.startsWith('<') ? undefined : bodyText;
  }
  if (typeof message !== 'string') return undefined;
  const flat = message.replace(/\s+/g, ' ').trim();
  if (flat === '') return undefined;
  return flat.length > MAX_CANVAS_MESSAGE_LENGTH ? `${flat.slice(0, MAX_CANVAS_MESSAGE_LENGTH)}…` : flat;
}
