import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors.ts';
import { chunkTranscript } from '../../src/summarize/chunking.ts';
import {
  createOpenAiSummarizer,
  type OpenAiSummarizerOptions,
} from '../../src/summarize/openai.summarizer.ts';
import { PROMPT_VERSION } from '../../src/summarize/prompts.ts';
import type { SummarizeProgress } from '../../src/summarize/summarizer.ts';
import {
  type FakeOpenAi,
  type FakeReply,
  fakeReplies,
  startFakeOpenAi,
} from '../fakes/fake-openai-server.ts';

const API_KEY = 'sk-test-0123456789-SECRET-abcdef';
const TRANSCRIPT =
  '[00:00:05] Today we define overfitting.\n\n[00:01:10] A model that memorises noise overfits.';
const lecture = readFileSync(path.resolve(process.cwd(), '../shared/data/lectures/ml-module-5.txt'), 'utf8');

type Body = { model: string; messages: Array<{ role: string; content: string }>; [key: string]: unknown };

let server: FakeOpenAi;
beforeEach(async () => {
  server = await startFakeOpenAi();
});
afterEach(async () => {
  await server.close();
});

function summarizer(overrides: Partial<OpenAiSummarizerOptions> = {}) {
  return createOpenAiSummarizer({
    apiKey: API_KEY,
    baseUrl: server.baseUrl,
    model: 'gpt-test',
    timeoutMs: 5000,
    maxInputChars: 10_000,
    maxOutputTokens: 700,
    maxRetries: 0,
    ...overrides,
  });
}

const bodyOf = (index: number) => server.requests[index]?.body as Body;
const reply = (r: FakeReply) => () => r;

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

/** Everything an error would show in a log line or an API answer. */
function exposed(error: unknown): string {
  return `${String(error)}\n${inspect(error, { depth: 10 })}\n${JSON.stringify(error)}`;
}

describe('OpenAI summarizer against a fake OpenAI-compatible server', () => {
  it('sends one request with the model, the title, the transcript and the output cap', async () => {
    server.respondWith(reply({ kind: 'completion', content: '  # Overfitting\n\n- memorising noise  ' }));
    const result = await summarizer().summarize({ title: 'Week 3', transcript: TRANSCRIPT }, {});

    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions' });
    const body = bodyOf(0);
    expect(body.model).toBe('gpt-test');
    expect(body.max_tokens).toBe(700);
    expect(body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(body.messages[1]?.content).toContain('Lecture title: Week 3');
    expect(body.messages[1]?.content).toContain(TRANSCRIPT);
    expect(result.text).toBe('# Overfitting\n\n- memorising noise');
  });

  it('sends the cap as max_completion_tokens when asked to', async () => {
    await summarizer({ useMaxCompletionTokens: true }).summarize({ title: 'T', transcript: TRANSCRIPT }, {});
    expect(bodyOf(0).max_completion_tokens).toBe(700);
    expect(bodyOf(0)).not.toHaveProperty('max_tokens');
  });

  it('authenticates with the key as a bearer token and keeps it out of its result and settings key', async () => {
    const s = summarizer();
    const result = await s.summarize({ title: 'T', transcript: TRANSCRIPT }, {});

    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(s.settingsKey).toBe(`openai:gpt-test:${PROMPT_VERSION}:10000`);
    expect(JSON.stringify(result)).not.toContain(API_KEY);
  });

  it('reports the model the server says answered, falling back to the configured one', async () => {
    server.respondWith(reply({ kind: 'completion', content: 'notes', model: 'gpt-test-2025-01-01' }));
    expect((await summarizer().summarize({ title: 'T', transcript: TRANSCRIPT }, {})).model).toBe(
      'gpt-test-2025-01-01',
    );
    server.respondWith(reply({ kind: 'completion', content: 'notes', model: '' }));
    expect((await summarizer().summarize({ title: 'T', transcript: TRANSCRIPT }, {})).model).toBe('gpt-test');
  });

  it('summarizes a long transcript chunk by chunk, then merges the chunk notes', async () => {
    const chunks = chunkTranscript(lecture, 10_000);
    server.respondWith((_, i) => ({
      kind: 'completion',
      content: `notes of call ${i + 1}`,
      usage: { prompt_tokens: 100 + i, completion_tokens: 10 + i },
    }));
    const progress: SummarizeProgress[] = [];
    const result = await summarizer().summarize(
      { title: 'Supervised learning', transcript: lecture },
      { onProgress: (p) => progress.push(p) },
    );

    const n = chunks.length;
    expect(n).toBeGreaterThanOrEqual(4);
    expect(server.requests).toHaveLength(n + 1);
    chunks.forEach((chunk, i) => {
      const user = bodyOf(i).messages[1]?.content ?? '';
      expect(user).toContain(`Part ${i + 1} of ${n}`);
      expect(user).toContain(chunk);
    });
    const merge = bodyOf(n).messages[1]?.content ?? '';
    for (let i = 1; i <= n; i++) expect(merge).toContain(`notes of call ${i}`);
    expect(result.text).toBe(`notes of call ${n + 1}`);
    expect(progress.map((p) => p.message)).toContain(`Summarizing chunk 1 of ${n}`);
    expect(progress.map((p) => p.message)).toContain(`Summarizing chunk ${n} of ${n}`);
    expect(progress.at(-1)).toEqual({ current: n + 1, total: n + 1, message: 'Combining notes' });
    const calls = Array.from({ length: n + 1 }, (_, i) => i);
    expect(result.usage).toEqual({
      prompt_tokens: calls.reduce((sum, i) => sum + 100 + i, 0),
      completion_tokens: calls.reduce((sum, i) => sum + 10 + i, 0),
    });
  });

  it('merges chunk notes in rounds when together they exceed the budget', async () => {
    server.respondWith((request, i) => ({
      kind: 'completion',
      content: (request.body as Body).messages[1]?.content.includes('<notes part=')
        ? `merged ${i}`
        : 'x'.repeat(4000),
    }));
    const result = await summarizer({ maxInputChars: 9000 }).summarize(
      { title: 'T', transcript: lecture },
      {},
    );
    const merges = server.requests.filter((r) =>
      (r.body as Body).messages[1]?.content.includes('<notes part='),
    );

    expect(merges.length).toBeGreaterThan(1);
    for (const merge of merges.slice(0, -1))
      expect(JSON.stringify(merge.body).length).toBeLessThan(9000 + 3000);
    expect(result.text).toBe(`merged ${server.requests.length - 1}`);
  });

  it('returns null usage when the server reports none, and sums what it does report', async () => {
    server.respondWith(reply({ kind: 'completion', content: 'notes', usage: null }));
    expect((await summarizer().summarize({ title: 'T', transcript: TRANSCRIPT }, {})).usage).toBeNull();

    server.respondWith((_, i) => ({
      kind: 'completion',
      content: 'notes',
      usage: i === 1 ? null : { prompt_tokens: 5, completion_tokens: 2 },
    }));
    const result = await summarizer().summarize({ title: 'T', transcript: lecture }, {});
    expect(result.usage).toEqual({
      prompt_tokens: 5 * (server.requests.length - 2),
      completion_tokens: 2 * (server.requests.length - 2),
    });
  });

  it('reads content sent as an array of parts and drops a <think> block', async () => {
    server.respondWith(
      reply({
        kind: 'completion',
        content: [
          { type: 'text', text: '<think>hmm</think>\n# A' },
          { type: 'text', text: '\n- b' },
        ],
      }),
    );
    expect((await summarizer().summarize({ title: 'T', transcript: TRANSCRIPT }, {})).text).toBe('# A\n- b');
  });

  it.each<[string, FakeReply]>([
    ['no choices', { kind: 'empty-choices' }],
    ['empty content', { kind: 'completion', content: '  ' }],
    ['null content', { kind: 'completion', content: null }],
    ['a content-filter stop', { kind: 'completion', content: '', finishReason: 'content_filter' }],
  ])('rejects a reply with %s as summary.bad_response', async (_, r) => {
    server.respondWith(reply(r));
    const error = await failure(summarizer().summarize({ title: 'T', transcript: TRANSCRIPT }, {}));
    expect(error).toMatchObject({ code: 'summary.bad_response', statusCode: 502, transient: false });
  });

  it.each([401, 403])('maps %i to llm.unauthorized without ever showing the key', async (status) => {
    server.respondWith(
      reply({ ...fakeReplies.unauthorized(`Incorrect API key provided: ${API_KEY}.`), status } as FakeReply),
    );
    const error = await failure(summarizer().summarize({ title: 'T', transcript: TRANSCRIPT }, {}));

    expect(error).toMatchObject({ code: 'llm.unauthorized', statusCode: 502, transient: false });
    expect(error.message).toContain('OPENAI_API_KEY');
    expect(error.cause).toBeDefined();
    expect(exposed(error)).not.toContain(API_KEY);
  });

  it('maps 404 to llm.model_not_found naming the model', async () => {
    server.respondWith(reply(fakeReplies.modelNotFound('gpt-test')));
    const error = await failure(summarizer().summarize({ title: 'T', transcript: TRANSCRIPT }, {}));
    expect(error).toMatchObject({ code: 'llm.model_not_found', transient: false });
    expect(error.message).toContain('"gpt-test"');
    expect(exposed(error)).not.toContain(API_KEY);
  });

  it('maps 429 to a transient llm.rate_limited carrying Retry-After', async () => {
    server.respondWith(reply(fakeReplies.rateLimited(7)));
    const error = await failure(summarizer().summarize({ title: 'T', transcript: TRANSCRIPT }, {}));
    expect(error).toMatchObject({ code: 'llm.rate_limited', transient: true, retryAfterSeconds: 7 });
    expect(server.requests).toHaveLength(1);
  });

  it('maps a 429 for an exhausted quota to a permanent llm.quota_exceeded', async () => {
    server.respondWith(reply(fakeReplies.rateLimited(undefined, 'insufficient_quota')));
    const error = await failure(summarizer().summarize({ title: 'T', transcript: TRANSCRIPT }, {}));
    expect(error).toMatchObject({ code: 'llm.quota_exceeded', transient: false });
  });

  it('maps 5xx to a transient llm.unavailable', async () => {
    server.respondWith(reply(fakeReplies.serverError(503)));
    const error = await failure(summarizer().summarize({ title: 'T', transcript: TRANSCRIPT }, {}));
    expect(error).toMatchObject({ code: 'llm.unavailable', statusCode: 503, transient: true });
  });

  it('maps a refused connection to a transient llm.unavailable', async () => {
    const gone = await startFakeOpenAi();
    await gone.close();
    const error = await failure(
      summarizer({ baseUrl: gone.baseUrl }).summarize({ title: 'T', transcript: TRANSCRIPT }, {}),
    );
    expect(error).toMatchObject({ code: 'llm.unavailable', transient: true });
  });

  it('never shows the key when an injected fetch throws an error quoting it', async () => {
    const fetch = async (): Promise<Response> => {
      throw new Error(`boom ${API_KEY}`);
    };
    const error = await failure(summarizer({ fetch }).summarize({ title: 'T', transcript: TRANSCRIPT }, {}));
    expect(error).toMatchObject({ code: 'llm.unavailable', transient: true });
    expect(exposed(error)).toContain('boom [redacted]');
    expect(exposed(error)).not.toContain(API_KEY);
  });

  it('maps a slow server to a transient llm.timeout', async () => {
    server.respondWith(reply({ kind: 'completion', content: 'late', delayMs: 10_000 }));
    const started = Date.now();
    const error = await failure(
      summarizer({ timeoutMs: 200 }).summarize({ title: 'T', transcript: TRANSCRIPT }, {}),
    );
    expect(error).toMatchObject({ code: 'llm.timeout', statusCode: 504, transient: true });
    // Far below the 10 s answer: the 200 ms timeout ended the request.
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('maps other 4xx to llm.request_rejected with the server reason', async () => {
    server.respondWith(
      reply({
        kind: 'error',
        status: 400,
        body: { error: { message: 'maximum context length is 8192 tokens' } },
      }),
    );
    const error = await failure(summarizer().summarize({ title: 'T', transcript: TRANSCRIPT }, {}));
    expect(error).toMatchObject({ code: 'llm.request_rejected', transient: false });
    expect(error.message).toContain('maximum context length is 8192 tokens');
  });

  it('retries a failed request once by default', async () => {
    server.respondWith((_, i) =>
      i === 0
        ? { kind: 'error', status: 500, headers: { 'retry-after-ms': '10' } }
        : { kind: 'completion', content: 'second try' },
    );
    const result = await summarizer({ maxRetries: undefined }).summarize(
      { title: 'T', transcript: TRANSCRIPT },
      {},
    );
    expect(result.text).toBe('second try');
    expect(server.requests).toHaveLength(2);
  });

  it('stops with an AbortError when the signal aborts mid-request', async () => {
    server.respondWith(reply({ kind: 'completion', content: 'late', delayMs: 10_000 }));
    const controller = new AbortController();
    const pending = summarizer().summarize(
      { title: 'T', transcript: TRANSCRIPT },
      { signal: controller.signal },
    );
    await expect.poll(() => server.requests.length).toBe(1);
    const started = Date.now();
    controller.abort();

    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    // Far below the 10 s answer (the summarizer's timeout is 5 s): the abort ended the request.
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('sends nothing when the signal is already aborted or the transcript is blank', async () => {
    const aborted = summarizer().summarize(
      { title: 'T', transcript: TRANSCRIPT },
      { signal: AbortSignal.abort() },
    );
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    const blank = await failure(summarizer().summarize({ title: 'T', transcript: ' \n ' }, {}));
    expect(blank).toMatchObject({ code: 'summary.transcript_empty', statusCode: 422 });
    expect(server.requests).toHaveLength(0);
  });
});
