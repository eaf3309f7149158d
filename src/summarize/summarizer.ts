/**
 * The narrow interface every summarizer implements: an offline extractive one that needs no
 * key, and one that asks an OpenAI-compatible server.
 */

import { createErrorFactory } from '../shared/errors.ts';

/** One paragraph of the transcript (or of a reading), in lecture order. */
export interface NotesSegment {
  /** Milliseconds from the start of the recording; `null` for readings and untimed captions. */
  startMs: number | null;
  text: string;
}

/** A chapter mark the source provides (Panopto's table of contents). */
export interface NotesChapter {
  startMs: number;
  title: string;
}

export interface SummarizeInput {
  /** Item title, used as the notes' heading and as context for the model. */
  title: string;
  /** `recording` notes carry `[hh:mm:ss]` times; `reading` notes (pages, PDFs) never do. */
  kind: 'recording' | 'reading';
  /** The paragraphs, in order; never empty strings. */
  segments: readonly NotesSegment[];
  /** Chapter marks in time order; empty when the source has none. */
  chapters: readonly NotesChapter[];
  /**
   * The recording's time range (00:00:00 to the last cue's end), `null` when the transcript has
   * no times. Every time in the notes must fall inside it.
   */
  range: { startMs: number; endMs: number } | null;
}

/** What the user chose for every summary (`NOTES_LANGUAGE`, `NOTES_INSTRUCTIONS`). */
export interface NotesOptions {
  /** Write the notes in this language; `null` for the transcript's own language. */
  language: string | null;
  /** One extra instruction appended to the model's prompt; `null` for none. */
  instructions: string | null;
}

export interface SummaryUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

/** A part of the transcript whose notes are not in the summary, and why. */
export interface LeftOutPart {
  /** 1-based, as the progress messages count. */
  part: number;
  startMs: number | null;
  reason: 'empty_reply' | 'nothing_to_summarize';
}

export interface SummarizeResult {
  /** Markdown notes. */
  text: string;
  /** `offline` for the offline summarizer, else the model name the server reported. */
  model: string;
  /** Summed over every call; `null` when the server never reported it (and for offline notes). */
  usage: SummaryUsage | null;
  /** The prompt (or offline algorithm) version the notes were made with. */
  promptVersion: string;
  /** Parts the transcript was split into (1 when it fitted in one request; 1 for offline). */
  parts: number;
  /** Model requests made, retries of empty or cut-off replies included; 0 for offline. */
  calls: number;
  leftOut: LeftOutPart[];
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
   * version, part and context budgets, notes options). A summary made with the same transcript and settings is reused.
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
