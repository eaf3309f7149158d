import { inspect } from 'node:util';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.ts';
import { displayUrl, parseRetryAfter, toAppError } from './openai.errors.ts';

const API_KEY = 'sk-test-0123456789-SECRET-abcdef';
const context = {
  model: 'gpt-test',
  apiKey: API_KEY,
  baseUrl: 'http://user:pw@llm.local:8080/v1?key=abc',
  timeoutMs: 120_000,
  contextTokens: 16_384,
  signal: undefined,
};

/** Everything an error would show in a log line or an API answer. */
function exposed(error: unknown): string {
  return `${String(error)}\n${inspect(error, { depth: 10 })}\n${JSON.stringify(error)}`;
}

const apiError = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  APIError.generate(status, body as Record<string, unknown>, undefined, new Headers(headers));

describe('toAppError', () => {
  it('passes an error that is not from the API through as internal, with the key masked', () => {
    const error = toAppError(new TypeError(`boom ${API_KEY}`), context);

    expect(error).not.toBeInstanceOf(AppError);
    expect(error).toMatchObject({ name: 'TypeError', message: 'boom [redacted]' });
    expect(exposed(error)).not.toContain(API_KEY);
  });

  it('masks the key anywhere down the cause chain of an internal error', () => {
    const error = toAppError(new Error('outer', { cause: new Error(`inner ${API_KEY}`) }), context);

    expect(error).toMatchObject({ message: 'outer', cause: { message: 'inner [redacted]' } });
    expect(exposed(error)).not.toContain(API_KEY);
  });

  it('passes an internal error that does not mention the key through unchanged', () => {
    const original = new Error('boom');
    expect(toAppError(original, context)).toBe(original);
  });

  it.each([
    [
      'OpenAI',
      400,
      {
        error: {
          message: "This model's maximum context length is 8192 tokens.",
          code: 'context_length_exceeded',
        },
      },
    ],
    [
      'vLLM',
      400,
      {
        error: {
          message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.",
        },
      },
    ],
    [
      'llama.cpp',
      400,
      {
        error: {
          code: 400,
          message: 'the request exceeds the available context size, try increasing it',
          type: 'exceed_context_size_error',
        },
      },
    ],
    ['a code alone', 400, { error: { message: 'Bad request', code: 'context_length_exceeded' } }],
  ])(
    'maps a context error reply (%s) to a permanent llm.context_exceeded naming the settings',
    (_, status, body) => {
      const error = toAppError(apiError(status, body), context) as AppError;
      expect(error).toMatchObject({ code: 'llm.context_exceeded', transient: false });
      expect(error.message).toContain('LLM_CONTEXT_TOKENS');
      expect(error.message).toContain('OLLAMA_CONTEXT_LENGTH');
    },
  );

  it('maps a connection failure to llm.unreachable naming the base URL without credentials or query', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const cause = new TypeError('fetch failed', { cause: refused });
    const error = toAppError(new APIConnectionError({ cause }), context) as AppError;

    expect(error).toMatchObject({ code: 'llm.unreachable', transient: true });
    expect(error.message).toContain('http://llm.local:8080/v1 could not be reached (connection refused)');
    expect(error.message).toContain('OPENAI_BASE_URL');
    expect(error.message).not.toMatch(/user|pw|key=abc/);
  });

  it('maps a timeout to llm.timeout naming OPENAI_TIMEOUT_MS', () => {
    const error = toAppError(new APIConnectionTimeoutError(), context) as AppError;
    expect(error).toMatchObject({ code: 'llm.timeout', transient: true });
    expect(error.message).toContain('120000 ms (OPENAI_TIMEOUT_MS)');
  });

  it('keeps 5xx as llm.unavailable and 429 as llm.rate_limited with its Retry-After', () => {
    expect(toAppError(apiError(502, {}), context)).toMatchObject({
      code: 'llm.unavailable',
      transient: true,
    });
    expect(
      toAppError(apiError(429, { error: { message: 'slow down' } }, { 'retry-after': '7' }), context),
    ).toMatchObject({ code: 'llm.rate_limited', transient: true, retryAfterSeconds: 7 });
  });
});

describe('displayUrl', () => {
  it('drops credentials, query and fragment', () => {
    expect(displayUrl('https://me:secret@api.example.com/v1/?token=x#frag')).toBe(
      'https://api.example.com/v1',
    );
    expect(displayUrl('not a url')).toBe('the configured OPENAI_BASE_URL');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after': '1.2' }))).toBe(2);
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }), now)).toBe(30);
    expect(parseRetryAfter(new Headers())).toBeUndefined();
  });
});
