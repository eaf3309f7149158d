import { inspect } from 'node:util';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.ts';
import { displayUrl, parseRetryAfter, toAppError } from './openai.errors.ts';

const API_KEY = 'sk-test-0123456789-SECRET-abcdef';
/** Each unlike the key, so masking the key alone does not hide them. */
const USER = 'alice-USER';
const PASSWORD = 'hunter2-PASSWORD';
const QUERY_VALUE = 'query-VALUE-secret';
const context = {
  model: 'gpt-test',
  apiKey: API_KEY,
  baseUrl: `http://${USER}:${PASSWORD}@llm.local:8080/v1?key=${QUERY_VALUE}`,
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
    expect(exposed(error)).not.toMatch(new RegExp(`${USER}|${PASSWORD}|${QUERY_VALUE}`));
  });

  it("masks the base URL's user name, password and query values down the cause chain", () => {
    // What Node's fetch throws for a URL with credentials; the SDK keeps it as the cause.
    const quoted = new TypeError(
      `Request cannot be constructed from a URL that includes credentials: http://${USER}:${PASSWORD}@llm.local:8080/v1/chat/completions?key=${QUERY_VALUE}`,
    );
    const error = toAppError(new APIConnectionError({ cause: quoted }), context) as AppError;

    expect(error).toMatchObject({ code: 'llm.unreachable' });
    expect(error.cause).toMatchObject({
      cause: { message: expect.stringContaining('includes credentials: http://[redacted]:[redacted]@') },
    });
    expect(exposed(error)).not.toMatch(new RegExp(`${USER}|${PASSWORD}|${QUERY_VALUE}`));
  });

  it('masks percent-encoded credentials in both their written and decoded forms', () => {
    const encoded = { ...context, baseUrl: 'http://me:p%40ss%2Fword@llm.local/v1?t=ab%20cd' };
    for (const written of ['p%40ss%2Fword', 'p@ss/word', 'ab%20cd', 'ab cd']) {
      const error = toAppError(new Error('outer', { cause: new Error(`saw ${written}`) }), encoded);
      expect(exposed(error)).not.toContain(written);
    }
  });

  it('leaves a message readable when a query value is too short to be a secret', () => {
    const short = { ...context, baseUrl: 'http://llm.local/v1?debug=1' };
    const error = toAppError(new Error('outer', { cause: new Error('HTTP 1.1 at port 11434') }), short);
    expect(exposed(error)).toContain('HTTP 1.1 at port 11434');
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

  it.each([500, 502, 503, 408])('passes on the Retry-After of a %i as retryAfterSeconds', (status) => {
    expect(toAppError(apiError(status, {}, { 'retry-after': '12' }), context)).toMatchObject({
      code: 'llm.unavailable',
      transient: true,
      retryAfterSeconds: 12,
    });
    expect(toAppError(apiError(status, {}), context)).toMatchObject({ retryAfterSeconds: undefined });
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

  it('reads retry-after-ms before Retry-After, as the SDK does', () => {
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '45000', 'retry-after': '1' }))).toBe(45);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '10' }))).toBe(1);
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': 'soon', 'retry-after': '3' }))).toBe(3);
    // The SDK skips a zero retry-after-ms for Retry-After, and so must the cap on its waits.
    expect(parseRetryAfter(new Headers({ 'retry-after-ms': '0', 'retry-after': '3600' }))).toBe(3600);
  });
});
