import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { readLecture, timedLecture } from '../src/summarize/lectures.test-utils.ts';
import { createOfflineSummarizer } from '../src/summarize/offline.summarizer.ts';
import { createOpenAiSummarizer } from '../src/summarize/openai.summarizer.ts';
import type { SummarizeInput } from '../src/summarize/summarizer.ts';
import { countTokens } from '../src/summarize/tokens.ts';
import { type FakeOpenAi, startFakeOpenAi } from '../test/fakes/fake-openai-server.ts';

/**
 * Wall time of notes for a long lecture from a model that takes a fixed time per call: with the
 * default settings the parts go out in parallel, so a summary costs about two calls (the parts,
 * then the merge) instead of one per part. The offline summarizer's time on the same transcript
 * is set against one plain pass over its sentences.
 */
const WORDS = 20_000;
const CALL_MS = 1_000;
/** The config defaults (src/config/config.ts). */
const DEFAULTS = { partTokens: 8_000, contextTokens: 16_384, concurrency: 4 };
const LECTURES = ['ml-module-1', 'ml-module-3', 'ml-module-5'] as const;

/** The real lectures' caption lines, repeated to `WORDS` words, as 8-line paragraphs 40 s apart. */
function buildLecture(): SummarizeInput {
  const lines = LECTURES.flatMap((name) => readLecture(name).split('\n')).filter(
    (line) => line.trim() !== '',
  );
  const picked: string[] = [];
  for (let words = 0, i = 0; words < WORDS; i += 1) {
    const line = (lines[i % lines.length] as string).trim().split(/\s+/);
    const kept = line.slice(0, WORDS - words);
    picked.push(kept.join(' '));
    words += kept.length;
  }
  return timedLecture(picked.join('\n'), 'Machine learning, modules 1, 3 and 5');
}

async function timeSummary(
  llm: FakeOpenAi,
  input: SummarizeInput,
  concurrency: number,
): Promise<{ ms: number; calls: number; parts: number }> {
  const summarizer = createOpenAiSummarizer({
    apiKey: 'bench',
    baseUrl: llm.baseUrl,
    model: 'bench-model',
    timeoutMs: 30_000,
    ...DEFAULTS,
    concurrency,
    notes: { language: null, instructions: null },
  });
  const started = performance.now();
  const result = await summarizer.summarize(input, {});
  return { ms: performance.now() - started, calls: result.calls, parts: result.parts };
}

function sentencePassMs(input: SummarizeInput): number {
  const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });
  const started = performance.now();
  let sentences = 0;
  for (const segment of input.segments) {
    for (const _ of segmenter.segment(segment.text)) sentences += 1;
  }
  if (sentences === 0) throw new Error('no sentences');
  return performance.now() - started;
}

export async function benchSummary(): Promise<{
  name: string;
  lines: string[];
  figures: Record<string, number>;
}> {
  const input = buildLecture();
  const text = input.segments.map((segment) => segment.text).join('\n\n');
  const llm = await startFakeOpenAi();
  try {
    // Warm-up without the delay: module loading, JIT, the tokenizer's tables.
    llm.respondWith(() => ({ kind: 'completion', content: '## [00:00:00] Topic\n- a point' }));
    await timeSummary(llm, input, DEFAULTS.concurrency);
    llm.respondWith(() => ({
      kind: 'completion',
      content: '## [00:00:00] Topic\n- a point',
      delayMs: CALL_MS,
    }));

    const short: SummarizeInput = { ...input, title: 'One call', segments: input.segments.slice(0, 3) };
    const one = await timeSummary(llm, short, DEFAULTS.concurrency);
    const parallel = await timeSummary(llm, input, DEFAULTS.concurrency);
    const sequential = await timeSummary(llm, input, 1);

    // Each the fastest of five runs after a warm-up: single runs of either moved the ratio
    // between 9× and 54× from one bench run to the next.
    const offline = createOfflineSummarizer();
    await offline.summarize(input, {});
    let offlineMs = Number.POSITIVE_INFINITY;
    for (let run = 0; run < 5; run += 1) {
      const started = performance.now();
      await offline.summarize(input, {});
      offlineMs = Math.min(offlineMs, performance.now() - started);
    }
    sentencePassMs(input);
    const passMs = Math.min(...Array.from({ length: 5 }, () => sentencePassMs(input)));

    const ratio = (ms: number) => (ms / one.ms).toFixed(2);
    return {
      name: 'summary of a long lecture',
      lines: [
        `transcript: ${WORDS} words, ${countTokens(text)} tokens; defaults: LLM_PART_TOKENS ${DEFAULTS.partTokens}, LLM_CONTEXT_TOKENS ${DEFAULTS.contextTokens}, LLM_CONCURRENCY ${DEFAULTS.concurrency}`,
        `fake model answers each call after ${CALL_MS} ms; one call: ${Math.round(one.ms)} ms`,
        `summary ÷ one call, defaults:      ${ratio(parallel.ms)} (${Math.round(parallel.ms)} ms, ${parallel.parts} parts, ${parallel.calls} calls; goal ≤ 2.5)`,
        `summary ÷ one call, concurrency 1: ${ratio(sequential.ms)} (${Math.round(sequential.ms)} ms, ${sequential.calls} calls)`,
        `offline summarizer: ${Math.round(offlineMs)} ms, ${(offlineMs / passMs).toFixed(1)}× one Intl.Segmenter sentence pass (${passMs.toFixed(1)} ms)`,
      ],
      figures: {
        summary_transcript_words: WORDS,
        summary_model_call_ms: CALL_MS,
        summary_one_call_ms: Math.round(one.ms),
        summary_ratio_to_one_call: Number(ratio(parallel.ms)),
        summary_ms: Math.round(parallel.ms),
        summary_parts: parallel.parts,
        summary_calls: parallel.calls,
        summary_concurrency_1_ratio_to_one_call: Number(ratio(sequential.ms)),
        summary_concurrency_1_ms: Math.round(sequential.ms),
        summary_offline_ms: Math.round(offlineMs),
        summary_offline_ratio_to_sentence_pass: Number((offlineMs / passMs).toFixed(1)),
      },
    };
  } finally {
    await llm.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await benchSummary();
  process.stdout.write(`${result.lines.join('\n')}\n`);
}
