/**
 * The boundary between the `openai` SDK and the rest of the app: reads chat-completion replies
 * defensively (OpenAI-compatible servers differ) and turns SDK errors into `AppError`s.
 */

import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { z } from 'zod';
import { AppError, createErrorFactory } from '../shared/errors.ts';
import type { SummaryUsage } from './summarizer.ts';
import { badResponseError, createAbortError } from './summarizer.ts';

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
export const llmUnavailableError = createErrorFactory({
  code: 'llm.unavailable',
  statusCode: 503,
  transient: true,
  message: 'The language model server could not be reached or failed.',
});
export const llmTimeoutError = createErrorFactory({
  code: 'llm.timeout',
  statusCode: 504,
  transient: true,
  message: 'The language model server did not answer in time.',
});
export const llmRequestRejectedError = createErrorFactory({
  code: 'llm.request_rejected',
  statusCode: 502,
  message: 'The language model server refused the request.',
});

export interface ParsedCompletion {
  text: string;
  /** The model the server says answered, when it says. */
  model: string | undefined;
  usage: SummaryUsage | null;
}

// Only the fields we read, each optional and tolerant: a field in an unexpected shape is treated as
// missing instead of failing the whole reply.
const contentSchema = z.union([
  z.string(),
  z.array(z.union([z.string(), z.looseObject({ text: z.string().optional() })])),
]);
const completionSchema = z.looseObject({
  model: z.string().optional().catch(undefined),
  choices: z
    .array(
      z.looseObject({
        message: z
          .looseObject({ content: contentSchema.nullish().catch(undefined) })
          .nullish()
          .catch(undefined),
        finish_reason: z.string().nullish().catch(undefined),
      }),
    )
    .nullish()
    .catch(undefined),
  usage: z
    .looseObject({ prompt_tokens: z.number(), completion_tokens: z.number() })
    .nullish()
    .catch(undefined),
});

/** Reads the first choice's text; throws `summary.bad_response` when there is none. */
export function parseCompletion(raw: unknown): ParsedCompletion {
  const parsed = completionSchema.safeParse(raw);
  if (!parsed.success)
    throw badResponseError({
      message: 'The language model server answered with something other than a chat completion.',
    });
  const choice = parsed.data.choices?.[0];
  if (!choice) throw badResponseError({ message: 'The language model returned no choices.' });
  if (choice.finish_reason === 'content_filter') {
    throw badResponseError({ message: "The language model's content filter withheld the notes." });
  }
  const content = choice.message?.content;
  const joined =
    typeof content === 'string'
      ? content
      : (content ?? []).map((part) => (typeof part === 'string' ? part : (part.text ?? ''))).join('');
  const text = cleanReply(joined);
  if (text === '') throw badResponseError({ message: 'The language model returned empty notes.' });
  const usage = parsed.data.usage;
  return {
    text,
    model: parsed.data.model || undefined,
    usage: usage ? { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens } : null,
  };
}

/**
 * Reasoning models served through Ollama put their `<think>` block in the content, and some models
 * wrap the whole reply in a Markdown code fence despite being asked not to.
 */
function cleanReply(text: string): string {
  const withoutThinking = text.replace(/^\s*<think>[\s\S]*?<\/think>/, '').trim();
  const fenced = /^```(?:markdown|md)?[ \t]*\n([\s\S]*?)\n```$/.exec(withoutThinking);
  return (fenced?.[1] ?? withoutThinking).trim();
}

/**
 * Maps whatever the SDK threw to an `AppError` (or an `AbortError` when the caller aborted). Errors
 * that are not the server's or the network's (SDK misuse) pass through as internal, with the key
 * masked like every cause.
 */
export function toAppError(
  error: unknown,
  context: { model: string; apiKey: string; signal: AbortSignal | undefined },
): unknown {
  if (error instanceof AppError) return error;
  if (context.signal?.aborted || error instanceof APIUserAbortError) {
    return createAbortError(context.signal?.reason ?? error);
  }
  const cause = redactSecret(error, context.apiKey);
  // The timeout class extends the connection-error class, so it is checked first.
  if (error instanceof APIConnectionTimeoutError) return llmTimeoutError({ cause });
  if (error instanceof APIConnectionError) return llmUnavailableError({ cause });
  if (!(error instanceof APIError)) return cause;

  const status = error.status ?? 0;
  if (status === 401 || status === 403) return llmUnauthorizedError({ cause });
  if (status === 404) {
    return llmModelNotFoundError({
      cause,
      message: `The language model server does not know the model "${context.model}" (or the base URL is not its /v1 endpoint).`,
    });
  }
  if (status === 429 && error.code === 'insufficient_quota') return llmQuotaExceededError({ cause });
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(error.headers);
    return llmRateLimitedError(retryAfterSeconds === undefined ? { cause } : { cause, retryAfterSeconds });
  }
  if (status === 408 || status === 409 || status >= 500) return llmUnavailableError({ cause });
  const detail = serverMessage(error, context.apiKey);
  return llmRequestRejectedError({
    cause,
    message: `The language model server refused the request (HTTP ${status})${detail ? `: ${detail}` : '.'}`,
  });
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
