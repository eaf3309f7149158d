/**
 * The errors of the model-backed summarizer, and the one place SDK errors become them: every
 * message says which setting to look at, and none ever carries the API key.
 */

import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { AppError, createErrorFactory } from '../shared/errors.ts';
import { parseRetryAfterSeconds } from '../shared/retry-after.ts';
import { createAbortError } from './summarizer.ts';

export const llmUnauthorizedError = createErrorFactory({
  code: 'llm.unauthorized',
  statusCode: 502,
  message: 'The language model server rejected the API key. Check OPENAI_API_KEY.',
});
export const llmModelNotFoundError = createErrorFactory({
  code: 'llm.model_not_found',
  statusCode: 502,
  message: 'The language model server does not know the configured model.',
});
export const llmRateLimitedError = createErrorFactory({
  code: 'llm.rate_limited',
  statusCode: 503,
  transient: true,
  message: 'The language model server is throttling requests; try again later.',
});
/** OpenAI answers 429 for an exhausted quota too, but waiting does not refill it. */
export const llmQuotaExceededError = createErrorFactory({
  code: 'llm.quota_exceeded',
  statusCode: 502,
  message: 'The language model account has run out of quota. Check the plan and billing.',
});
/** The server answered, with a failure of its own (5xx, 408, 409). */
export const llmUnavailableError = createErrorFactory({
  code: 'llm.unavailable',
  statusCode: 503,
  transient: true,
  message: 'The language model server failed.',
});
/** No answer at all: connection refused, unknown host, connection reset. */
export const llmUnreachableError = createErrorFactory({
  code: 'llm.unreachable',
  statusCode: 503,
  transient: true,
  message: 'The language model server could not be reached. Check OPENAI_BASE_URL.',
});
export const llmTimeoutError = createErrorFactory({
  code: 'llm.timeout',
  statusCode: 504,
  transient: true,
  message: 'The language model server did not answer in time (OPENAI_TIMEOUT_MS).',
});
export const llmRequestRejectedError = createErrorFactory({
  code: 'llm.request_rejected',
  statusCode: 502,
  message: 'The language model server refused the request.',
});
/** Permanent: the same prompt to the same server does not shrink. The fix is a setting. */
export const llmContextExceededError = createErrorFactory({
  code: 'llm.context_exceeded',
  statusCode: 502,
  message: "The prompt is larger than the model's context window. Check LLM_CONTEXT_TOKENS.",
});
export const llmReplyTruncatedError = createErrorFactory({
  code: 'llm.reply_truncated',
  statusCode: 502,
  message: "The language model's reply was cut off at its length limit. Check LLM_CONTEXT_TOKENS.",
});

/** What a context error should tell the operator to change. */
export const CONTEXT_ADVICE =
  "LLM_CONTEXT_TOKENS must not be larger than the context the server gives the model: lower it, or raise the server's (for Ollama, OLLAMA_CONTEXT_LENGTH).";

export interface ErrorContext {
  model: string;
  apiKey: string;
  /** As configured; shown in messages without credentials or query. */
  baseUrl: string;
  timeoutMs: number;
  contextTokens: number;
  signal: AbortSignal | undefined;
}

/**
 * Maps whatever the SDK threw to an `AppError` (or an `AbortError` when the caller aborted). Errors
 * that are not the server's or the network's (SDK misuse) pass through as internal, with the key
 * masked like every cause.
 */
export function toAppError(error: unknown, context: ErrorContext): unknown {
  if (error instanceof AppError) return error;
  if (context.signal?.aborted || error instanceof APIUserAbortError) {
    return createAbortError(context.signal?.reason ?? error);
  }
  const cause = redactSecrets(error, secretsOf(context));
  // The timeout class extends the connection-error class, so it is checked first.
  if (error instanceof APIConnectionTimeoutError) {
    return llmTimeoutError({
      cause,
      message: `The language model server did not answer within ${context.timeoutMs} ms (OPENAI_TIMEOUT_MS).`,
    });
  }
  if (error instanceof APIConnectionError) {
    const why = connectionFailure(error);
    return llmUnreachableError({
      cause,
      message: `The language model server at ${displayUrl(context.baseUrl)} could not be reached${why ? ` (${why})` : ''}. Check OPENAI_BASE_URL and that the server is running.`,
    });
  }
  if (!(error instanceof APIError)) return cause;
  return statusError(error, cause, context);
}

function statusError(error: APIError, cause: unknown, context: ErrorContext): AppError {
  const status = error.status ?? 0;
  const detail = serverMessage(error, secretsOf(context));
  // Passed on for 5xx as well as 429: the job's retry policy waits as long as the server said.
  const retryAfterSeconds = parseRetryAfter(error.headers);
  const waitAsTold = retryAfterSeconds === undefined ? {} : { retryAfterSeconds };
  if (status === 401 || status === 403) return llmUnauthorizedError({ cause });
  if (status === 429 && error.code === 'insufficient_quota') return llmQuotaExceededError({ cause });
  if (status === 429) return llmRateLimitedError({ cause, ...waitAsTold });
  if (saysContextExceeded(error)) {
    return llmContextExceededError({
      cause,
      message: `The language model server says the prompt is larger than the model's context window${detail ? ` ("${detail}")` : ''}. ${CONTEXT_ADVICE}`,
    });
  }
  if (status === 404) {
    return llmModelNotFoundError({
      cause,
      message: `The language model server does not know the model "${context.model}" (or the base URL is not its /v1 endpoint).`,
    });
  }
  if (status === 408 || status === 409 || status >= 500) {
    return llmUnavailableError({
      cause,
      ...waitAsTold,
      message: `The language model server failed (HTTP ${status}).`,
    });
  }
  return llmRequestRejectedError({
    cause,
    message: `The language model server refused the request (HTTP ${status})${detail ? `: ${detail}` : '.'}`,
  });
}

// OpenAI: "This model's maximum context length is 8192 tokens"; vLLM: the same words; llama.cpp:
// "the request exceeds the available context size"; LM Studio: "greater than the context length".
const CONTEXT_MESSAGE =
  /maximum context length|exceeds the available context size|greater than the context length|context[ _]length[ _]exceeded/i;

function saysContextExceeded(error: APIError): boolean {
  if (error.code === 'context_length_exceeded' || error.type === 'exceed_context_size_error') return true;
  const body = error.error as { message?: unknown } | undefined;
  const message = typeof body?.message === 'string' ? body.message : error.message;
  return CONTEXT_MESSAGE.test(message);
}

/** The base URL as a message may show it: no user, password, query or fragment. */
export function displayUrl(baseUrl: string): string {
  try {
    const url = new URL(baseUrl);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return 'the configured OPENAI_BASE_URL';
  }
}

const CONNECTION_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'connection closed',
};

/** Why undici gave up, from the system error code it keeps down the cause chain. */
function connectionFailure(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && CONNECTION_CODES[code]) return CONNECTION_CODES[code];
    current = current.cause;
  }
  return undefined;
}

/**
 * The wait a server asked for, in whole seconds, read as the SDK reads it (client.mjs
 * `retryRequest`), so the cap on the SDK's own waits (openai.summarizer.ts) judges the wait the
 * SDK would make: `retry-after-ms` (OpenAI's own header) when above 0, else `Retry-After` as a
 * number of seconds or an HTTP date (shared/retry-after.ts). `undefined` when absent or unreadable.
 */
export function parseRetryAfter(headers: Headers | undefined, now = Date.now()): number | undefined {
  const millis = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(millis) && millis > 0) return Math.ceil(millis / 1000);
  return parseRetryAfterSeconds(headers?.get('retry-after'), now);
}

/** The server's own explanation (say, "maximum context length exceeded"), short and secret-free. */
function serverMessage(error: APIError, secrets: readonly string[]): string | undefined {
  const body = error.error as { message?: unknown } | undefined;
  if (typeof body?.message !== 'string') return undefined;
  const message = mask(body.message, secrets);
  return message.length > 200 ? `${message.slice(0, 200)}…` : message;
}

/**
 * What no error may show: the key, and the user name, password and query values of the base URL,
 * each as written in the URL (percent-encoded) and decoded. The summarizer refuses a base URL with
 * credentials, and config too; this is the second line, for an error (Node's fetch quotes the
 * whole URL when it refuses one) that quotes the URL anyway. Longest first, so a secret that
 * contains another is masked whole.
 */
function secretsOf(context: Pick<ErrorContext, 'apiKey' | 'baseUrl'>): string[] {
  const secrets = [context.apiKey];
  if (URL.canParse(context.baseUrl)) {
    const url = new URL(context.baseUrl);
    // A parameter without `=` (`?TOKEN`) may be the secret itself.
    const rawValues = url.search
      .slice(1)
      .split('&')
      .map((pair) => (pair.includes('=') ? pair.slice(pair.indexOf('=') + 1) : pair));
    for (const raw of [url.username, url.password, ...rawValues]) secrets.push(raw, decoded(raw));
    secrets.push(...url.searchParams.values());
  }
  // A value as short as `1` (`?debug=1`) would mask every digit of the message, and hides nothing.
  const worthMasking = (secret: string) => secret === context.apiKey || secret.length >= 4;
  return [...new Set(secrets)]
    .filter((secret) => secret !== '' && worthMasking(secret))
    .sort((a, b) => b.length - a.length);
}

function decoded(raw: string): string {
  try {
    return decodeURIComponent(raw.replaceAll('+', ' '));
  } catch {
    return raw;
  }
}

function mask(text: string, secrets: readonly string[]): string {
  return secrets.reduce((masked, secret) => masked.replaceAll(secret, '[redacted]'), text);
}

/** How deep `redactSecrets` follows `cause`; the SDK nests one or two levels. */
const MAX_CAUSE_DEPTH = 5;

/**
 * Some servers echo the key they rejected, and an injected `fetch` may throw an error that quotes
 * it or the URL (the SDK keeps that as the `cause` of its connection error). An error that
 * mentions a secret, itself or anywhere down its `cause` chain, is replaced by a copy whose
 * message has the secrets masked, keeping what diagnosis needs (name, status, code, a masked
 * cause) and dropping the rest.
 */
function redactSecrets(error: unknown, secrets: readonly string[], depth = 0): unknown {
  if (!mentions(error, secrets, depth)) return error;
  if (typeof error === 'string') return mask(error, secrets);
  if (!(error instanceof Error)) return error;
  const copy = new Error(mask(error.message, secrets));
  copy.name = error.name;
  if (error instanceof APIError) Object.assign(copy, { status: error.status, code: error.code });
  if (error.cause !== undefined && depth < MAX_CAUSE_DEPTH) {
    copy.cause = redactSecrets(error.cause, secrets, depth + 1);
  }
  return copy;
}

function mentions(error: unknown, secrets: readonly string[], depth: number): boolean {
  const says = (text: string) => secrets.some((secret) => text.includes(secret));
  if (typeof error === 'string') return says(error);
  if (!(error instanceof Error)) return false;
  const body = error instanceof APIError ? JSON.stringify(error.error ?? null) : '';
  if ([error.message, error.stack ?? '', body].some(says)) return true;
  return depth < MAX_CAUSE_DEPTH && mentions(error.cause, secrets, depth + 1);
}
