/**
 * Notes from an OpenAI-compatible chat-completions server through the official `openai` SDK.
 *
 * Ollama is the same summarizer pointed at its OpenAI-compatible endpoint:
 * `baseUrl: 'http://localhost:11434/v1'`, `model: 'llama3.1'` and any non-empty `apiKey` (Ollama
 * ignores it; the SDK insists on one). See https://github.com/ollama/ollama/blob/main/docs/openai.md
 *
 * A transcript longer than `maxInputChars` is summarized in parts (map) whose notes are then
 * merged (reduce). SDK errors become `AppError`s here, once, and never carry the API key.
 */

import OpenAI from 'openai';
import { chunkTranscript } from './chunking.ts';
import type { ParsedCompletion } from './openai.responses.ts';
import { parseCompletion, toAppError } from './openai.responses.ts';
import {
  buildChunkMessages,
  buildCombineMessages,
  buildSingleMessages,
  PROMPT_VERSION,
  type PromptMessage,
} from './prompts.ts';
import type { SummarizeProgress, SummarizeResult, Summarizer, SummaryUsage } from './summarizer.ts';
import { createAbortError, transcriptEmptyError } from './summarizer.ts';

export interface OpenAiSummarizerOptions {
  /** Sent as a bearer token. For servers without auth (Ollama) any non-empty string. */
  apiKey: string;
  /** Default `https://api.openai.com/v1`; for Ollama `http://localhost:11434/v1`. */
  baseUrl?: string;
  /** Model name as the server knows it (`gpt-4o-mini`, `llama3.1`). */
  model: string;
  /** Per request, until the server starts answering. */
  timeoutMs: number;
  /** Transcript characters per request (the prompt's own few hundred are not counted). */
  maxInputChars: number;
  /** Output cap per request. Omit to let the server decide. */
  maxOutputTokens?: number;
  /**
   * Send the cap as `max_completion_tokens`, which OpenAI's reasoning models require, instead of
   * `max_tokens`, which Ollama and most compatible servers read. Default false.
   */
  useMaxCompletionTokens?: boolean;
  /**
   * Retries of one request inside the SDK (429, 5xx, connection). Default 1: the job system retries
   * whole jobs, but one quick retry saves redoing every part of a long transcript.
   */
  maxRetries?: number;
  /** For tests and proxies. */
  fetch?: typeof globalThis.fetch;
}

const OPENAI_BASE_URL = 'https://api.openai.com/v1';
/** Room for the prompt and the XML-ish wrapping around each part's notes in a merge request. */
const PER_NOTE_OVERHEAD = 40;

/** Creates the summarizer. Its `settingsKey` is `openai:<model>:<PROMPT_VERSION>:<maxInputChars>`. */
export function createOpenAiSummarizer(options: OpenAiSummarizerOptions): Summarizer {
  if (options.apiKey === '') {
    throw new Error('apiKey is required; for servers without auth (Ollama) pass any non-empty string');
  }
  if (!Number.isInteger(options.maxInputChars) || options.maxInputChars < 1) {
    throw new RangeError(`maxInputChars must be a positive integer, got ${options.maxInputChars}`);
  }
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseUrl ?? OPENAI_BASE_URL,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries ?? 1,
    fetch: options.fetch,
    // Left undefined, the SDK reads these from OPENAI_* environment variables; config is the one
    // place that reads the environment.
    organization: null,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    // The SDK logs retries to the console; what matters reaches the job log as an AppError.
    logLevel: 'off',
  });
  const outputLimit =
    options.maxOutputTokens === undefined
      ? {}
      : options.useMaxCompletionTokens
        ? { max_completion_tokens: options.maxOutputTokens }
        : { max_tokens: options.maxOutputTokens };

  async function request(
    messages: PromptMessage[],
    signal: AbortSignal | undefined,
  ): Promise<ParsedCompletion> {
    if (signal?.aborted) throw createAbortError(signal.reason);
    let raw: unknown;
    try {
      raw = await client.chat.completions.create(
        { model: options.model, messages, ...outputLimit },
        { signal: signal ?? null },
      );
    } catch (error) {
      throw toAppError(error, { model: options.model, apiKey: options.apiKey, signal });
    }
    return parseCompletion(raw);
  }

  return {
    name: 'openai',
    settingsKey: `openai:${options.model}:${PROMPT_VERSION}:${options.maxInputChars}`,
    async summarize(
      input,
      {
        signal,
        onProgress,
      }: { signal?: AbortSignal; onProgress?: (progress: SummarizeProgress) => void } = {},
    ): Promise<SummarizeResult> {
      const transcript = input.transcript.trim();
      if (transcript === '') throw transcriptEmptyError();
      const tally = createTally(options.model);
      const complete = async (messages: PromptMessage[]) => tally.add(await request(messages, signal));

      if (transcript.length <= options.maxInputChars) {
        onProgress?.({ current: 1, total: 1, message: 'Summarizing transcript' });
        return tally.result(await complete(buildSingleMessages({ title: input.title, transcript })));
      }
      const chunks = chunkTranscript(transcript, options.maxInputChars);
      const total = chunks.length + 1;
      const partialNotes: string[] = [];
      // One part at a time: gentler on rate limits and on a single local GPU, and an abort or a
      // failure stops the spending at once.
      for (const [index, chunk] of chunks.entries()) {
        onProgress?.({
          current: index + 1,
          total,
          message: `Summarizing chunk ${index + 1} of ${chunks.length}`,
        });
        partialNotes.push(
          await complete(buildChunkMessages({ title: input.title, chunk, index, total: chunks.length })),
        );
      }
      onProgress?.({ current: total, total, message: 'Combining notes' });
      return tally.result(await mergeNotes(input.title, partialNotes, options.maxInputChars, complete));
    },
  };
}

/**
 * Merges part notes in one request when they fit the budget. When they do not (very long
 * lectures), neighbouring notes are merged in groups first, level by level.
 */
async function mergeNotes(
  title: string,
  partialNotes: string[],
  budget: number,
  complete: (messages: PromptMessage[]) => Promise<string>,
): Promise<string> {
  let notes = partialNotes;
  for (;;) {
    const groups = groupWithinBudget(notes, budget);
    // Every note alone already fills the budget: grouping cannot shrink anything, so send them all.
    if (groups.length === 1 || groups.length === notes.length) {
      return complete(buildCombineMessages({ title, partialNotes: notes }));
    }
    const merged: string[] = [];
    for (const group of groups) {
      merged.push(
        group.length === 1
          ? (group[0] as string)
          : await complete(buildCombineMessages({ title, partialNotes: group })),
      );
    }
    notes = merged;
  }
}

function groupWithinBudget(notes: readonly string[], budget: number): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const note of notes) {
    const cost = note.length + PER_NOTE_OVERHEAD;
    if (current.length > 0 && size + cost > budget) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(note);
    size += cost;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * Usage is summed over the requests that reported it, and stays `null` when none did (some
 * compatible servers never report it). The model is the last one the server named.
 */
function createTally(configuredModel: string) {
  let usage: SummaryUsage | null = null;
  let model = configuredModel;
  return {
    add(completion: ParsedCompletion): string {
      if (completion.model) model = completion.model;
      if (completion.usage) {
        usage = {
          prompt_tokens: (usage?.prompt_tokens ?? 0) + completion.usage.prompt_tokens,
          completion_tokens: (usage?.completion_tokens ?? 0) + completion.usage.completion_tokens,
        };
      }
      return completion.text;
    },
    result(text: string): SummarizeResult {
      return { text, model, usage };
    },
  };
}
