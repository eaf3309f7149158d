/**
 * The narrow interface every summarizer implements: an offline extractive one that needs no
 * key, and one that asks an OpenAI-compatible server.
 */

import { createErrorFactory } from '../shared/errors.ts';

export interface SummarizeInput {
  /** Item title, used as the notes' heading and as context for the model. */
  title: string;
  /** Transcript text, possibly with `[hh:mm:ss]` markers. */
  transcript: string;
}

export interface SummaryUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

export interface SummarizeResult {
  /** Markdown notes. */
  text: string;
  /** `offline` for the offline summarizer, else the model name the server reported. */
  model: string;
  usage: SummaryUsage | null;
}

export interface SummarizeProgress {
  current: number;
  total: number;
  message: string;
}

export interface Summarizer {
  readonly name: 'offline' | 'openai' | 'fake';
  /**
   * Identifies everything that changes the output for the same transcript (model, prompt
   * version, chunk budget). A summary made with the same transcript and settings is reused.
   */
  readonly settingsKey: string;
  summarize(
    input: SummarizeInput,
    options: { signal?: AbortSignal; onProgress?: (progress: SummarizeProgress) => void },
  ): Promise<SummarizeResult>;
}

/** Every summarizer refuses a transcript with too little text to say anything about. */
export const transcriptEmptyError = createErrorFactory({
  code: 'summary.transcript_empty',
  statusCode: 422,
  message: 'The transcript is empty or too short to summarize.',
});

/**
 * The model answered, but with nothing we can use (no choices, no text, filtered). Permanent:
 * the same request to the same server almost always gets the same kind of answer.
 */
export const badResponseError = createErrorFactory({
  code: 'summary.bad_response',
  statusCode: 502,
  message: 'The language model returned a response without usable notes.',
});

/**
 * Summarizers reject with an error named `AbortError` when the caller's signal aborts, whatever
 * reason the caller aborted with, so the job runner can tell cancellation from failure.
 */
export function createAbortError(reason?: unknown): Error {
  const error = new Error('The summarization was aborted.', { cause: reason });
  error.name = 'AbortError';
  return error;
}
