/**
 * A summarizer for tests of the code around summarizing (services, jobs, routes): instant and
 * deterministic by default, with an optional delay that honours the abort signal and a scripted
 * failure.
 */

import type { AppError } from '../shared/errors.ts';
import { sleep } from '../shared/sleep.ts';
import type { SummarizeInput, SummarizeProgress, SummarizeResult, Summarizer } from './summarizer.ts';
import { createAbortError, transcriptEmptyError } from './summarizer.ts';

export interface FakeSummarizerOptions {
  /** Wait this long before answering; an abort during the wait rejects with an `AbortError`. */
  delayMs?: number;
  /** Reject every call with this error (a function is called per call, for a fresh error). */
  failWith?: AppError | (() => AppError);
  /** Answer with this text instead of the default `# <title>` + first sentence. */
  text?: string;
}

export interface FakeSummarizerCall {
  input: SummarizeInput;
  signal: AbortSignal | undefined;
}

export interface FakeSummarizer extends Summarizer {
  readonly name: 'fake';
  /** Every call, in order, including the ones that failed or were aborted. */
  readonly calls: FakeSummarizerCall[];
}

/**
 * Creates a fake summarizer. Like the real ones, it rejects a blank transcript with
 * `summary.transcript_empty`; its usage counts characters, not tokens.
 */
export function createFakeSummarizer(options: FakeSummarizerOptions = {}): FakeSummarizer {
  const calls: FakeSummarizerCall[] = [];
  return {
    name: 'fake',
    settingsKey: 'fake:v1',
    calls,
    async summarize(
      input: SummarizeInput,
      {
        signal,
        onProgress,
      }: { signal?: AbortSignal; onProgress?: (progress: SummarizeProgress) => void } = {},
    ): Promise<SummarizeResult> {
      calls.push({ input, signal });
      if (options.delayMs !== undefined && options.delayMs > 0) {
        try {
          await sleep(options.delayMs, signal);
        } catch (error) {
          throw createAbortError(signal?.reason ?? error);
        }
      }
      if (signal?.aborted) throw createAbortError(signal.reason);
      if (options.failWith)
        throw typeof options.failWith === 'function' ? options.failWith() : options.failWith;
      const transcript = plainText(input);
      if (transcript === '') throw transcriptEmptyError();

      onProgress?.({ current: 1, total: 1, message: 'Writing fake notes' });
      const text = options.text ?? defaultNotes(input.title, transcript);
      return {
        text,
        model: 'fake',
        usage: { prompt_tokens: transcript.length, completion_tokens: text.length },
        promptVersion: 'fake-v1',
        parts: 1,
        calls: 1,
        leftOut: [],
      };
    },
  };
}

/** The input's paragraphs as one line of text. */
export function plainText(input: SummarizeInput): string {
  return input.segments
    .map((segment) => segment.text)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function defaultNotes(title: string, flat: string): string {
  const firstSentence = /^.*?[.!?](?=\s|$)/.exec(flat)?.[0] ?? flat;
  return `# ${title}\n\n- ${firstSentence}\n`;
}
