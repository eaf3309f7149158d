/**
 * The errors of the model-backed summarizer, and the one place SDK errors become them: every
 * message says which setting to look at, and none ever carries the API key.
 */

import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { AppError, createErrorFactory } from '../shared/errors.ts';
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
  const cause = redactSecret(error, context.apiKey);
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
  const detail = serverMessage(error, context.apiKey);
  if (status === 401 || status === 403) return llmUnauthorizedError({ cause });
  if (status === 429 && error.code === 'insufficient_quota') return llmQuotaExceededError({ cause });
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(error.headers);
    return llmRateLimitedError(retryAfterSeconds === undefined ? { cause } : { cause, retryAfterSeconds });
  }
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
    return llmUnavailableError({ cause, message: `The language model server failed (HTTP ${status}).` });
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

/** `Retry-After` in seconds or as an HTTP date, as RFC 9110 allows; `undefined` when absent or unreadable. */
export function parseRetryAfter(headers: Headers | undefined, now = Date.now()): number | undefined {
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(value)) return Math.ceil(Number(value));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** The server's own explanation (say, "maximum context length exceeded"), short and key-free. */
function serverMessage(error: APIError, apiKey: string): string | undefined {
  const body = error.error as { message?: unknown } | undefined;
  if (typeof body?.message !== 'string') return undefined;
  const message = apiKey ? body.message.replaceAll(apiKey, '[redacted]') : body.message;
  return message.length > 200 ? `${message.slice(0, 200)}…` : message;
}

/** How deep `redactSecret` follows `cause`; the SDK nests one or two levels. */
const MAX_CAUSE_DEPTH = 5;

/**
 * Some servers echo the key they rejected, and an injected `fetch` may throw an error that quotes
 * it (the SDK keeps that as the `cause` of its connection error). An error that mentions the key,
 * itself or anywhere down its `cause` chain, is replaced by a copy whose message has the key
 * masked, keeping what diagnosis needs (name, status, code, a masked cause) and dropping the rest.
 */
function redactSecret(error: unknown, secret: string, depth = 0): unknown {
  if (secret === '' || !mentions(error, secret, depth)) return error;
  if (typeof error === 'string') return error.replaceAll(secret, '[redacted]');
  if (!(error instanceof Error)) return error;
  const copy = new Error(error.message.replaceAll(secret, '[redacted]'));
  copy.name = error.name;
  if (error instanceof APIError) Object.assign(copy, { status: error.status, code: error.code });
  if (error.cause !== undefined && depth < MAX_CAUSE_DEPTH) {
    copy.cause = redactSecret(error.cause, secret, depth + 1);
  }
  return copy;
}

function mentions(error: unknown, secret: string, depth: number): boolean {
  if (typeof error === 'string') return error.includes(secret);
  if (!(error instanceof Error)) return false;
  const body = error instanceof APIError ? JSON.stringify(error.error ?? null) : '';
  if ([error.message, error.stack ?? '', body].some((text) => text.includes(secret))) return true;
  return depth < MAX_CAUSE_DEPTH && mentions(error.cause, secret, depth + 1);
}
