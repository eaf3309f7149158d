import { inspect } from 'node:util';
import { countTokens as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/shared/errors.ts';
import { readLecture, timedLecture } from '../../src/summarize/lectures.test-utils.ts';
import { notesFromText } from '../../src/summarize/notes-input.ts';
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
  type RecordedRequest,
  startFakeOpenAi,
} from '../fakes/fake-openai-server.ts';

const API_KEY = 'sk-test-0123456789-SECRET-abcdef';
/** Unlike the key, so that masking the key alone does not hide them. */
const URL_USER = 'alice-USER';
const URL_PASSWORD = 'hunter2-PASSWORD';
const URL_QUERY_VALUE = 'query-VALUE-secret';
const SHORT = notesFromText(
  'Week 3',
  '[00:00:05] Today we define overfitting.\n\n[00:01:10] A model that memorises noise overfits.',
);
const caption = readLecture('ml-module-5');

const LECTURE = timedLecture(caption);
/** The three real lectures in one, ~20,000 tokens: three parts of ~7,000 at the default budget. */
const LONG_LECTURE = timedLecture(
  (['ml-module-1', 'ml-module-3', 'ml-module-5'] as const).map(readLecture).join('\n'),
);

type Body = {
  model: string;
  messages: Array<{ role: string; content: string }>;
  max_tokens?: number;
  [key: string]: unknown;
};

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
    partTokens: 8000,
    contextTokens: 16_384,
    concurrency: 4,
    notes: { language: null, instructions: null },
    maxRetries: 0,
    ...overrides,
  });
}

/** 1400 tokens per part cut this lecture into seven (see parts.test.ts for the splitting itself). */
const SEVEN_PARTS = { partTokens: 1400 };

const bodyOf = (request: RecordedRequest | undefined) => request?.body as Body;
const userOf = (request: RecordedRequest | undefined) => bodyOf(request)?.messages.at(-1)?.content ?? '';
const isMerge = (request: RecordedRequest) => userOf(request).includes('<notes part=');
const partNumber = (request: RecordedRequest) => /^Part (\d+) of/m.exec(userOf(request))?.[1];
const transcriptOf = (request: RecordedRequest) =>
  /<transcript>\n([\s\S]*)\n<\/transcript>/.exec(userOf(request))?.[1] ?? '';
const plain = { disallowedSpecial: new Set<string>() };
/** The prompt as the model reads it, counted independently of the summarizer's own helper. */
const promptTokens = (request: RecordedRequest) =>
  bodyOf(request).messages.reduce((sum, m) => sum + o200k(m.content, plain) + 4, 3);

/** Answers parts with notes naming the part, merges with "merged notes", and records nothing else. */
function notesResponder(
  overrides: (request: RecordedRequest, index: number) => FakeReply | undefined = () => undefined,
) {
  return (request: RecordedRequest, index: number): FakeReply =>
    overrides(request, index) ?? {
      kind: 'completion',
      content: isMerge(request)
        ? `# Merged notes\n\n## Overview\nmerged ${index}`
        : `## [00:00:00] Topic of part ${partNumber(request) ?? 'single'}\n- a point`,
    };
}

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

describe('OpenAI summarizer: one request', () => {
  it('sends the model, the title, the timed transcript, the reply cap and the prompt version', async () => {
    server.respondWith(() => ({ kind: 'completion', content: '  # Overfitting\n\n- memorising noise  ' }));
    const result = await summarizer().summarize(SHORT, {});

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request).toMatchObject({ method: 'POST', path: '/v1/chat/completions' });
    expect(request?.headers['x-canvas-notes-prompt']).toBe('notes-v2');
    const body = bodyOf(request);
    expect(body.model).toBe('gpt-test');
    expect(body.max_tokens).toBe(4096);
    expect(body.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(userOf(request)).toContain('Lecture title: Week 3');
    expect(transcriptOf(request as RecordedRequest)).toBe(
      '[00:00:05] Today we define overfitting.\n\n[00:01:10] A model that memorises noise overfits.',
    );
    expect(body.messages[0]?.content).toContain('"## Overview"');
    expect(result).toMatchObject({
      text: '# Overfitting\n\n- memorising noise',
      promptVersion: PROMPT_VERSION,
      parts: 1,
      calls: 1,
      leftOut: [],
    });
  });

  it('sends the reply cap as max_completion_tokens when asked to', async () => {
    await summarizer({ useMaxCompletionTokens: true }).summarize(SHORT, {});
    expect(bodyOf(server.requests[0]).max_completion_tokens).toBe(4096);
    expect(bodyOf(server.requests[0])).not.toHaveProperty('max_tokens');
  });

  it('sends a reading without times, and the language and extra instruction when set', async () => {
    const reading = notesFromText('Chapter 2', 'Cells divide.\n\nMitosis has phases.');
    await summarizer({ notes: { language: 'Deutsch', instructions: 'Use LaTeX.' } }).summarize(reading, {});
    const [system, user] = bodyOf(server.requests[0]).messages;
    expect(user?.content).toContain('Reading title: Chapter 2');
    expect(user?.content).toContain('<transcript>\nCells divide.\n\nMitosis has phases.\n</transcript>');
    expect(system?.content).toContain('Write the notes in Deutsch.');
    expect(system?.content).toContain('Use LaTeX.');
    expect(system?.content).not.toContain('[hh:mm:ss]');
  });

  it('keys its settings by model, prompt version, budgets and a hash of the notes options, never the key', async () => {
    const s = summarizer();
    const result = await s.summarize(SHORT, {});

    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(s.settingsKey).toMatch(/^openai:gpt-test:notes-v2:8000:16384:[0-9a-f]{12}$/);
    expect(summarizer().settingsKey).toBe(s.settingsKey);
    expect(summarizer({ notes: { language: 'English', instructions: null } }).settingsKey).not.toBe(
      s.settingsKey,
    );
    expect(summarizer({ notes: { language: null, instructions: 'Use LaTeX.' } }).settingsKey).not.toBe(
      s.settingsKey,
    );
    expect(summarizer({ partTokens: 4000 }).settingsKey).not.toBe(s.settingsKey);
    expect(JSON.stringify(result)).not.toContain(API_KEY);
    expect(s.settingsKey).not.toContain(API_KEY);
  });

  it('reports the model the server says answered, falling back to the configured one', async () => {
    server.respondWith(() => ({ kind: 'completion', content: 'notes', model: 'gpt-test-2025-01-01' }));
    expect((await summarizer().summarize(SHORT, {})).model).toBe('gpt-test-2025-01-01');
    server.respondWith(() => ({ kind: 'completion', content: 'notes', model: '' }));
    expect((await summarizer().summarize(SHORT, {})).model).toBe('gpt-test');
  });

  it('sums usage over every call, and reports null when the server never reports it', async () => {
    server.respondWith(() => ({ kind: 'completion', content: 'notes', usage: null }));
    expect((await summarizer().summarize(SHORT, {})).usage).toBeNull();

    server.respondWith(
      notesResponder((request, i) => ({
        kind: 'completion',
        content: isMerge(request) ? '# Merged' : `- part ${i}`,
        // Close to the real size of each prompt (a far smaller count means a cut prompt).
        usage: i === 2 ? null : { prompt_tokens: promptTokens(request) + i, completion_tokens: 10 + i },
      })),
    );
    const result = await summarizer(SEVEN_PARTS).summarize(LECTURE, {});
    // Request 0 was the first summary's; request 2 reported no usage.
    const reported = server.requests
      .map((request, i) => ({ request, i }))
      .filter(({ i }) => i > 0 && i !== 2);
    expect(result.calls).toBe(8);
    expect(result.usage).toEqual({
      prompt_tokens: reported.reduce((sum, { request, i }) => sum + promptTokens(request) + i, 0),
      completion_tokens: reported.reduce((sum, { i }) => sum + 10 + i, 0),
    });
  });
});

describe('OpenAI summarizer: parts in parallel, one merge', () => {
  it('keeps every part within LLM_PART_TOKENS and every prompt plus reply within LLM_CONTEXT_TOKENS', async () => {
    server.respondWith(notesResponder());
    for (const [partTokens, contextTokens] of [
      [1400, 16_384],
      [8000, 4096],
    ] as const) {
      server.requests.length = 0;
      const result = await summarizer({ partTokens, contextTokens }).summarize(LECTURE, {});
      const parts = server.requests.filter((request) => !isMerge(request));
      expect(parts.length).toBeGreaterThan(2);
      expect(result.parts).toBe(parts.length);
      for (const request of server.requests) {
        expect(o200k(transcriptOf(request), plain)).toBeLessThanOrEqual(partTokens);
        expect(promptTokens(request) + (bodyOf(request).max_tokens ?? Number.NaN)).toBeLessThanOrEqual(
          contextTokens,
        );
      }
      // Every paragraph is in some part, whole, with its time.
      const sent = parts.map(transcriptOf).join('\n\n');
      for (const segment of LECTURE.segments) expect(sent).toContain(segment.text);
    }
  });

  it('never has more than LLM_CONCURRENCY requests in flight, and merges once after every part', async () => {
    server.respondWith(
      notesResponder((request) => (isMerge(request) ? undefined : { ...notesOf(request), delayMs: 80 })),
    );
    const progress: SummarizeProgress[] = [];
    const result = await summarizer({ ...SEVEN_PARTS, concurrency: 3 }).summarize(LECTURE, {
      onProgress: (p) => progress.push(p),
    });

    expect(server.maxInFlight).toBe(3);
    const merges = server.requests.filter(isMerge);
    const parts = server.requests.filter((request) => !isMerge(request));
    expect(parts.map(partNumber).sort()).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(merges).toHaveLength(1);
    const [merge] = merges as [RecordedRequest];
    expect(merge.receivedAt).toBeGreaterThanOrEqual(Math.max(...parts.map((p) => p.repliedAt ?? Number.NaN)));
    for (let n = 1; n <= 7; n++) expect(userOf(merge)).toContain(`Topic of part ${n}`);
    expect(result).toMatchObject({ text: `# Merged notes\n\n## Overview\nmerged 7`, parts: 7, calls: 8 });
    const messages = progress.map((p) => p.message);
    expect(messages).toContain('Summarized part 3 of 7');
    expect(messages).toContain('Summarized part 7 of 7');
    expect(progress.at(-1)).toMatchObject({ current: 7, total: 8 });
    expect(progress.at(-1)?.message).toMatch(/^Merging notes/);
    expect(progress.every((p) => p.current <= p.total)).toBe(true);
  });

  it('shares the bound between two summaries made at once by one summarizer', async () => {
    server.respondWith(notesResponder(() => ({ kind: 'completion', content: '- a point', delayMs: 40 })));
    const s = summarizer({ ...SEVEN_PARTS, concurrency: 3 });
    const [a, b] = await Promise.all([
      s.summarize(LECTURE, {}),
      s.summarize(timedLecture(caption, 'Other'), {}),
    ]);

    expect(a.calls + b.calls).toBe(16);
    expect(server.requests).toHaveLength(16);
    expect(server.maxInFlight).toBe(3);
  });

  it('leaves no abort listener behind per request (Node warns past ten on one signal)', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    try {
      server.respondWith(notesResponder(() => ({ kind: 'completion', content: '- a point' })));
      // Twenty-odd requests under one summary's signal.
      const result = await summarizer({ partTokens: 500 }).summarize(LECTURE, {
        signal: new AbortController().signal,
      });
      expect(result.calls).toBeGreaterThan(11);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('merges in groups, then merges the groups, only when the part notes do not fit one merge', async () => {
    // ~700 tokens of notes per part: five of them do not fit the 2,400-odd tokens a merge has here.
    const longNotes = (n: string) =>
      `## Part ${n}\n${'- the gradient descent detail of this part\n'.repeat(90)}`;
    server.respondWith((request, i) =>
      isMerge(request)
        ? { kind: 'completion', content: `- merged ${i}` }
        : { kind: 'completion', content: longNotes(partNumber(request) ?? '?') },
    );
    const result = await summarizer({ partTokens: 2000, contextTokens: 4096 }).summarize(LECTURE, {});

    const merges = server.requests.filter(isMerge);
    expect(merges.length).toBeGreaterThan(2);
    const final = merges.at(-1) as RecordedRequest;
    // The last merge joins the groups' merged notes, and no merge is fed the one before it as a chain.
    expect(userOf(final)).not.toContain('gradient descent detail');
    expect(userOf(final)).toMatch(/- merged \d+/);
    for (const group of merges.slice(0, -1)) expect(userOf(group)).not.toContain('- merged');
    for (const request of server.requests) {
      expect(promptTokens(request) + (bodyOf(request).max_tokens ?? Number.NaN)).toBeLessThanOrEqual(4096);
    }
    expect(result.text).toBe(`- merged ${server.requests.indexOf(final)}`);
    expect(result.calls).toBe(server.requests.length);
  });
});

/** Part notes that name the part and the first words of its transcript. */
function notesOf(request: RecordedRequest): FakeReply {
  return { kind: 'completion', content: `## Topic of part ${partNumber(request)}\n- a point` };
}

describe('OpenAI summarizer: cut-off and empty replies', () => {
  it('halves a part whose reply was cut off, redoes both halves and never uses the cut-off text', async () => {
    let cut = false;
    server.respondWith(
      notesResponder((request) => {
        if (partNumber(request) !== '2' || cut) return undefined;
        cut = true;
        return { kind: 'completion', content: '## CUT-OFF TEXT that stops mid', finishReason: 'length' };
      }),
    );
    const result = await summarizer(SEVEN_PARTS).summarize(LECTURE, {});

    const second = server.requests.filter((request) => partNumber(request) === '2');
    expect(second).toHaveLength(3);
    const [whole, ...halves] = second.map(transcriptOf) as [string, string, string];
    for (const half of halves) expect(o200k(half, plain)).toBeLessThan(o200k(whole, plain));
    // Both halves together hold every paragraph the cut-off part held.
    for (const paragraph of whole.split('\n\n')) expect(halves.join('\n\n')).toContain(paragraph);
    const merge = server.requests.find(isMerge) as RecordedRequest;
    expect(userOf(merge)).not.toContain('CUT-OFF');
    expect(userOf(merge).match(/<notes part=/g)).toHaveLength(8);
    expect(result.text).not.toContain('CUT-OFF');
    expect(result).toMatchObject({ parts: 8, calls: 10, leftOut: [] });
  });

  it.each(['length', 'max_tokens', 'model_length'])(
    'turns a one-request transcript whose reply was cut off (finish_reason %s) into two parts and a merge',
    async (finishReason) => {
      let cut = false;
      server.respondWith(
        notesResponder((request) => {
          if (partNumber(request) || isMerge(request) || cut) return undefined;
          cut = true;
          return { kind: 'completion', content: 'CUT-OFF', finishReason };
        }),
      );
      const result = await summarizer().summarize(timedLecture(caption.slice(0, 6000)), {});

      expect(
        server.requests.map((request) => (isMerge(request) ? 'merge' : (partNumber(request) ?? 'single'))),
      ).toEqual(['single', '1', '1', 'merge']);
      expect(result).toMatchObject({ parts: 2, calls: 4 });
      expect(result.text).not.toContain('CUT-OFF');
    },
  );

  it('fails with a permanent llm.reply_truncated naming LLM_CONTEXT_TOKENS when even small parts are cut off', async () => {
    server.respondWith(() => ({
      kind: 'completion',
      content: 'and so on and so on',
      finishReason: 'length',
    }));
    const input = timedLecture(caption.slice(0, 6000));
    const error = await failure(summarizer().summarize(input, {}));

    expect(error).toMatchObject({ code: 'llm.reply_truncated', transient: false });
    expect(error.message).toContain('LLM_CONTEXT_TOKENS');
    // The whole, its halves, their halves: the first cut-off quarter ends it.
    expect(server.requests.length).toBeGreaterThanOrEqual(4);
    expect(server.requests.length).toBeLessThanOrEqual(7);
  });

  it('halves each part of a long lecture at most twice when every reply is cut off', async () => {
    server.respondWith(() => ({
      kind: 'completion',
      content: 'and so on and so on',
      finishReason: 'length',
    }));
    const error = await failure(summarizer().summarize(LONG_LECTURE, {}));

    expect(error).toMatchObject({ code: 'llm.reply_truncated', transient: false });
    // 3 parts × (1 + 2 + 4), where halving down to splitPart's floor took over 700.
    expect(server.requests.length).toBeLessThanOrEqual(3 * 7);
    expect(error.message).toMatch(/part \d, halved 2 time/);
    const sizes = server.requests.map((request) => o200k(transcriptOf(request), plain));
    expect(new Set(server.requests.map(partNumber))).toEqual(new Set(['1', '2', '3']));
    expect(Math.max(...sizes)).toBeGreaterThan(6000);
    // A quarter of a ~7,000-token part at the smallest, never the 128-token floor of splitPart.
    expect(Math.min(...sizes)).toBeGreaterThan(1000);
  });

  it('redoes a cut-off merge as a merge of merged halves', async () => {
    let cut = false;
    server.respondWith(
      notesResponder((request, i) => {
        if (!isMerge(request)) return undefined;
        if (!cut) {
          cut = true;
          return { kind: 'completion', content: '# CUT-OFF merge', finishReason: 'length' };
        }
        return {
          kind: 'completion',
          content: `merge ${i} of ${(userOf(request).match(/<notes part=/g) ?? []).length}`,
        };
      }),
    );
    const result = await summarizer(SEVEN_PARTS).summarize(LECTURE, {});

    const merges = server.requests
      .filter(isMerge)
      .map((request) => userOf(request).match(/<notes part=/g)?.length);
    expect(merges).toHaveLength(4);
    expect(merges[0]).toBe(7);
    expect([merges[1], merges[2]].sort()).toEqual([3, 4]);
    expect(merges[3]).toBe(2);
    expect(result.text).toBe('merge 10 of 2');
    expect(result.calls).toBe(11);
  });

  it('asks once more for a part whose reply is empty or says it had nothing, then leaves it out', async () => {
    const asked: Record<string, number> = {};
    server.respondWith(
      notesResponder((request) => {
        const n = partNumber(request);
        if (!n) return undefined;
        asked[n] = (asked[n] ?? 0) + 1;
        if (n === '3') return { kind: 'completion', content: '   ' };
        if (n === '5') return { kind: 'completion', content: 'NO_CONTENT' };
        if (n === '6' && asked[n] === 1)
          return { kind: 'completion', content: 'There is nothing to summarize.' };
        return { kind: 'completion', content: `## Topic of part ${n}\n- a point` };
      }),
    );
    const result = await summarizer(SEVEN_PARTS).summarize(LECTURE, {});

    expect(asked).toEqual({ '1': 1, '2': 1, '3': 2, '4': 1, '5': 2, '6': 2, '7': 1 });
    expect(result.leftOut).toEqual([
      { part: 3, startMs: expect.any(Number), reason: 'empty_reply' },
      { part: 5, startMs: expect.any(Number), reason: 'nothing_to_summarize' },
    ]);
    // Each left-out part is placed by the time of a paragraph it holds.
    for (const { part, startMs } of result.leftOut) {
      const sent = transcriptOf(
        server.requests.find((r) => partNumber(r) === String(part)) as RecordedRequest,
      );
      expect(notesFromText('x', sent).segments.map((segment) => segment.startMs)).toContain(startMs);
    }
    const merge = userOf(server.requests.find(isMerge));
    expect(merge.match(/<notes part=/g)).toHaveLength(5);
    expect(merge).toContain('Topic of part 6');
    expect(merge).not.toContain('NO_CONTENT');
    expect(merge).not.toContain('nothing to summarize');
    expect(result).toMatchObject({ parts: 7, calls: 11 });
  });

  it("reports a left-out half of a cut-off part by the original part's number and the half's own start", async () => {
    let whole = '';
    const opensAsWhole = (request: RecordedRequest) => transcriptOf(request).startsWith(whole.slice(0, 200));
    server.respondWith(
      notesResponder((request) => {
        if (partNumber(request) !== '2') return undefined;
        if (whole === '') {
          whole = transcriptOf(request);
          return { kind: 'completion', content: '## CUT-OFF', finishReason: 'length' };
        }
        // The first half opens as the whole did and gets notes; the second says it had nothing.
        return opensAsWhole(request) ? undefined : { kind: 'completion', content: 'NO_CONTENT' };
      }),
    );
    const result = await summarizer(SEVEN_PARTS).summarize(LECTURE, {});

    expect(result).toMatchObject({ parts: 8 });
    expect(result.leftOut).toEqual([
      { part: 2, startMs: expect.any(Number), reason: 'nothing_to_summarize' },
    ]);
    const times = (request: RecordedRequest | undefined) =>
      notesFromText('x', request ? transcriptOf(request) : '').segments.flatMap((segment) =>
        segment.startMs === null ? [] : [segment.startMs],
      );
    const halves = server.requests.filter((request) => partNumber(request) === '2').slice(1);
    const startMs = result.leftOut[0]?.startMs;
    expect(times(halves.find((request) => !opensAsWhole(request)))).toContain(startMs);
    expect(startMs).toBeGreaterThan(Math.max(...times(halves.find(opensAsWhole))));
  });

  it('fails with summary.bad_response when every part is left out', async () => {
    server.respondWith(() => ({ kind: 'completion', content: 'NO_CONTENT' }));
    const error = await failure(summarizer(SEVEN_PARTS).summarize(LECTURE, {}));
    expect(error).toMatchObject({ code: 'summary.bad_response', statusCode: 502, transient: false });
    expect(error.message).toContain('any of the 7 part(s)');
    expect(server.requests).toHaveLength(14);
  });

  it.each<[string, FakeReply, number]>([
    ['no choices', { kind: 'empty-choices' }, 1],
    ['empty content, twice', { kind: 'completion', content: '  ' }, 2],
    ['null content, twice', { kind: 'completion', content: null }, 2],
    ['a content-filter stop', { kind: 'completion', content: '', finishReason: 'content_filter' }, 1],
  ])('rejects a single request answered with %s as summary.bad_response', async (_, r, requests) => {
    server.respondWith(() => r);
    const error = await failure(summarizer().summarize(SHORT, {}));
    expect(error).toMatchObject({ code: 'summary.bad_response', statusCode: 502, transient: false });
    expect(server.requests).toHaveLength(requests);
  });
});

describe('OpenAI summarizer: server failures', () => {
  it('retries a 429 after the Retry-After it names, then succeeds', async () => {
    server.respondWith((_, i) =>
      i === 0 ? fakeReplies.rateLimited(1) : { kind: 'completion', content: 'second try' },
    );
    const result = await summarizer({ maxRetries: undefined }).summarize(SHORT, {});

    expect(result).toMatchObject({ text: 'second try', calls: 1 });
    const [first, second] = server.requests as [RecordedRequest, RecordedRequest];
    expect(second.receivedAt - (first.repliedAt ?? Number.NaN)).toBeGreaterThanOrEqual(950);
  });

  it('retries a 500, then succeeds', async () => {
    server.respondWith((_, i) =>
      i === 0
        ? { ...fakeReplies.serverError(500), headers: { 'retry-after-ms': '10' } }
        : { kind: 'completion', content: 'second try' },
    );
    const result = await summarizer({ maxRetries: undefined }).summarize(SHORT, {});
    expect(result).toMatchObject({ text: 'second try', calls: 1 });
    expect(server.requests).toHaveLength(2);
  });

  it('maps a 429 that outlasts the retries to a transient llm.rate_limited carrying Retry-After', async () => {
    server.respondWith(() => fakeReplies.rateLimited(7));
    const error = await failure(summarizer().summarize(SHORT, {}));
    expect(error).toMatchObject({ code: 'llm.rate_limited', transient: true, retryAfterSeconds: 7 });
    expect(server.requests).toHaveLength(1);
  });

  it('maps a 429 for an exhausted quota to a permanent llm.quota_exceeded', async () => {
    server.respondWith(() => fakeReplies.rateLimited(undefined, 'insufficient_quota'));
    expect(await failure(summarizer().summarize(SHORT, {}))).toMatchObject({
      code: 'llm.quota_exceeded',
      transient: false,
    });
  });

  it('maps a 5xx that outlasts the retries to a transient llm.unavailable', async () => {
    server.respondWith(() => fakeReplies.serverError(503));
    const error = await failure(summarizer().summarize(SHORT, {}));
    expect(error).toMatchObject({ code: 'llm.unavailable', statusCode: 503, transient: true });
    expect(error.retryAfterSeconds).toBeUndefined();
  });

  it('carries the Retry-After of a 5xx that outlasts the retries, for the job to wait as told', async () => {
    server.respondWith(() => fakeReplies.serverError(503, { 'retry-after': '7' }));
    const error = await failure(summarizer().summarize(SHORT, {}));
    expect(error).toMatchObject({ code: 'llm.unavailable', transient: true, retryAfterSeconds: 7 });
  });

  it.each<[string, () => FakeReply, string, number]>([
    ['a 429 with Retry-After: 120', () => fakeReplies.rateLimited(120), 'llm.rate_limited', 120],
    [
      'a 503 with retry-after-ms: 45000',
      () => fakeReplies.serverError(503, { 'retry-after-ms': '45000' }),
      'llm.unavailable',
      45,
    ],
    [
      'a 503 with Retry-After as a date 10 minutes ahead',
      () => fakeReplies.serverError(503, { 'retry-after': new Date(Date.now() + 600_000).toUTCString() }),
      'llm.unavailable',
      600,
    ],
  ])('fails at once on %s instead of letting the SDK sleep it out', async (_, reply, code, seconds) => {
    server.respondWith(reply);
    const started = Date.now();
    const error = await failure(summarizer({ maxRetries: undefined }).summarize(SHORT, {}));

    expect(Date.now() - started).toBeLessThan(5000);
    expect(server.requests).toHaveLength(1);
    expect(error).toMatchObject({ code, transient: true });
    expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(seconds - 2);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(seconds);
  });

  it.each([401, 403])(
    'maps %i to a permanent llm.unauthorized without ever showing the key',
    async (status) => {
      server.respondWith(
        () =>
          ({ ...fakeReplies.unauthorized(`Incorrect API key provided: ${API_KEY}.`), status }) as FakeReply,
      );
      const error = await failure(summarizer({ maxRetries: undefined }).summarize(SHORT, {}));

      expect(error).toMatchObject({ code: 'llm.unauthorized', statusCode: 502, transient: false });
      expect(error.message).toContain('OPENAI_API_KEY');
      expect(error.cause).toBeDefined();
      expect(exposed(error)).not.toContain(API_KEY);
      expect(server.requests).toHaveLength(1);
    },
  );

  it('maps 404 to llm.model_not_found naming the model', async () => {
    server.respondWith(() => fakeReplies.modelNotFound('gpt-test'));
    const error = await failure(summarizer().summarize(SHORT, {}));
    expect(error).toMatchObject({ code: 'llm.model_not_found', transient: false });
    expect(error.message).toContain('"gpt-test"');
  });

  it('maps a context-length error reply to a permanent llm.context_exceeded naming the settings', async () => {
    server.respondWith(() => ({
      kind: 'error',
      status: 400,
      body: {
        error: {
          message:
            "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.",
          type: 'invalid_request_error',
          code: 'context_length_exceeded',
        },
      },
    }));
    const error = await failure(summarizer({ maxRetries: undefined }).summarize(SHORT, {}));

    expect(error).toMatchObject({ code: 'llm.context_exceeded', transient: false });
    expect(error.message).toContain('maximum context length is 8192 tokens');
    expect(error.message).toContain('LLM_CONTEXT_TOKENS');
    expect(error.message).toContain('OLLAMA_CONTEXT_LENGTH');
    expect(server.requests).toHaveLength(1);
  });

  it('reports a prompt the server silently cut (as Ollama does) as llm.context_exceeded with both counts', async () => {
    server.respondWith(() => ({
      kind: 'completion',
      content: '# Notes from the last 2048 tokens',
      usage: { prompt_tokens: 2048, completion_tokens: 100 },
    }));
    const error = await failure(summarizer().summarize(LECTURE, {}));
    const sent = promptTokens(server.requests[0] as RecordedRequest);

    expect(sent).toBeGreaterThan(4000);
    expect(error).toMatchObject({ code: 'llm.context_exceeded', transient: false });
    expect(error.message).toMatch(/read only 2048 of the prompt's \d+ tokens/);
    // The count comes from the part's, not from tokenizing the prompt again: within a few tokens.
    const reported = Number(/of the prompt's (\d+) tokens/.exec(error.message)?.[1]);
    expect(Math.abs(reported - sent)).toBeLessThanOrEqual(8);
    expect(error.message).toContain('LLM_CONTEXT_TOKENS (16384)');
    expect(error.message).toContain('OLLAMA_CONTEXT_LENGTH');
  });

  it('refuses a base URL with a user name or password when built, without repeating either', () => {
    const host = new URL(server.baseUrl).host;
    for (const userInfo of [`${URL_USER}:${URL_PASSWORD}`, `:${URL_PASSWORD}`, URL_USER]) {
      let error: unknown;
      try {
        summarizer({ baseUrl: `http://${userInfo}@${host}/v1` });
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ message: 'baseUrl must not contain a user name or password' });
      expect(exposed(error)).not.toMatch(new RegExp(`${URL_USER}|${URL_PASSWORD}`));
    }
    expect(() => summarizer({ baseUrl: 'llm.local/v1' })).toThrow('baseUrl must be an absolute URL');
    expect(server.requests).toHaveLength(0);
  });

  it('maps a server that does not answer to llm.unreachable naming its URL, without query or key', async () => {
    const gone = await startFakeOpenAi();
    await gone.close();
    for (const url of [gone.baseUrl, `${gone.baseUrl}?api-key=${URL_QUERY_VALUE}&key=${API_KEY}`]) {
      const error = await failure(summarizer({ baseUrl: url }).summarize(SHORT, {}));
      expect(error).toMatchObject({ code: 'llm.unreachable', transient: true });
      expect(error.message).toContain(`${gone.baseUrl} could not be reached`);
      expect(error.message).toContain('OPENAI_BASE_URL');
      expect(exposed(error)).not.toMatch(new RegExp(`${URL_QUERY_VALUE}|${API_KEY}`));
    }
  });

  it("never shows the base URL's query values when an injected fetch throws an error quoting the URL", async () => {
    const fetch = async (url: string | URL | Request): Promise<Response> => {
      throw new TypeError(`Request cannot be constructed from ${String(url)}`);
    };
    const baseUrl = `${server.baseUrl}?api-key=${URL_QUERY_VALUE}`;
    const error = await failure(summarizer({ baseUrl, fetch }).summarize(SHORT, {}));
    expect(error).toMatchObject({ code: 'llm.unreachable', transient: true });
    expect(exposed(error)).toContain('api-key=[redacted]');
    expect(exposed(error)).not.toContain(URL_QUERY_VALUE);
  });

  it('never shows the key when an injected fetch throws an error quoting it', async () => {
    const fetch = async (): Promise<Response> => {
      throw new Error(`boom ${API_KEY}`);
    };
    const error = await failure(summarizer({ fetch }).summarize(SHORT, {}));
    expect(error).toMatchObject({ code: 'llm.unreachable', transient: true });
    expect(exposed(error)).toContain('boom [redacted]');
    expect(exposed(error)).not.toContain(API_KEY);
  });

  it('maps a slow server to a transient llm.timeout naming OPENAI_TIMEOUT_MS', async () => {
    server.respondWith(() => ({ kind: 'completion', content: 'late', delayMs: 10_000 }));
    const error = await failure(summarizer({ timeoutMs: 200 }).summarize(SHORT, {}));
    expect(error).toMatchObject({ code: 'llm.timeout', statusCode: 504, transient: true });
    expect(error.message).toContain('200 ms (OPENAI_TIMEOUT_MS)');
  });

  it('maps other 4xx to llm.request_rejected with the server reason', async () => {
    server.respondWith(() => ({
      kind: 'error',
      status: 400,
      body: { error: { message: 'temperature is invalid' } },
    }));
    const error = await failure(summarizer().summarize(SHORT, {}));
    expect(error).toMatchObject({ code: 'llm.request_rejected', transient: false });
    expect(error.message).toContain('temperature is invalid');
  });

  it('stops sending the other parts once one part fails for good', async () => {
    server.respondWith((request) =>
      partNumber(request) === '1'
        ? fakeReplies.unauthorized()
        : { kind: 'completion', content: '- a', delayMs: 50 },
    );
    const error = await failure(summarizer({ ...SEVEN_PARTS, concurrency: 2 }).summarize(LECTURE, {}));
    expect(error.code).toBe('llm.unauthorized');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(server.requests.length).toBeLessThanOrEqual(3);
  });
});

describe('OpenAI summarizer: cancellation', () => {
  it('stops with an AbortError when the signal aborts, and sends no further request', async () => {
    server.respondWith(() => ({ kind: 'completion', content: 'late', delayMs: 10_000 }));
    const controller = new AbortController();
    const pending = summarizer({ ...SEVEN_PARTS, concurrency: 1 }).summarize(LECTURE, {
      signal: controller.signal,
    });
    await expect.poll(() => server.requests.length).toBe(1);
    controller.abort(new Error('shutting down'));

    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(server.requests).toHaveLength(1);
    await expect.poll(() => server.inFlight).toBe(0);
  });

  it('stops at once when the signal aborts while the SDK waits out a Retry-After', async () => {
    server.respondWith(() => fakeReplies.rateLimited(30));
    const controller = new AbortController();
    const pending = summarizer({ maxRetries: undefined }).summarize(SHORT, { signal: controller.signal });
    await expect.poll(() => server.requests[0]?.repliedAt).toBeTypeOf('number');
    const started = Date.now();
    controller.abort();

    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    // Far below the 30 s the server asked for.
    expect(Date.now() - started).toBeLessThan(5000);
    expect(server.requests).toHaveLength(1);
  });

  it('sends nothing when the signal is already aborted or the transcript is blank', async () => {
    await expect(summarizer().summarize(SHORT, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    const blank = await failure(summarizer().summarize(notesFromText('T', ' \n\n '), {}));
    expect(blank).toMatchObject({ code: 'summary.transcript_empty', statusCode: 422 });
    expect(server.requests).toHaveLength(0);
  });
});
