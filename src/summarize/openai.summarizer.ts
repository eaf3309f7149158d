/**
 * Notes from an OpenAI-compatible chat-completions server through the official `openai` SDK.
 *
 * Ollama is the same summarizer pointed at its OpenAI-compatible endpoint:
 * `baseUrl: 'http://localhost:11434/v1'`, `model: 'llama3.1'` and any non-empty `apiKey` (Ollama
 * ignores it; the SDK insists on one). See https://github.com/ollama/ollama/blob/main/docs/openai.md
 * Ollama serves every model with its own context length (OLLAMA_CONTEXT_LENGTH), whatever the
 * request says, so LLM_CONTEXT_TOKENS must match it.
 *
 * Budgets are in tokens (token-budget.ts), parts are cut at segment boundaries (parts.ts), and the
 * map and reduce steps live in notes-map-reduce.ts. This module owns the client: one concurrency
 * limit for every request of every summary, the prompt-version header, and the mapping of SDK
 * errors to `AppError`s (openai.errors.ts), once, never carrying the API key.
 */

import OpenAI from 'openai';
import pLimit from 'p-limit';
import { sha256 } from '../shared/hash.ts';
import { type ModelReply, writeNotes } from './notes-map-reduce.ts';
import { parseRetryAfter, toAppError } from './openai.errors.ts';
import { checkPromptRead, type ParsedCompletion, parseCompletion } from './openai.responses.ts';
import { PROMPT_VERSION, type PromptMessage } from './prompts.ts';
import type {
  NotesOptions,
  SummarizeProgress,
  SummarizeResult,
  Summarizer,
  SummaryUsage,
} from './summarizer.ts';
import { createAbortError } from './summarizer.ts';
import { createTokenBudget } from './token-budget.ts';

export interface OpenAiSummarizerOptions {
  /** Sent as a bearer token. For servers without auth (Ollama) any non-empty string. */
  apiKey: string;
  /**
   * Default `https://api.openai.com/v1`; for Ollama `http://localhost:11434/v1`. Without a user
   * name or password: fetch refuses such a URL (and quotes it whole in its error).
   */
  baseUrl?: string | undefined;
  /** Model name as the server knows it (`gpt-4o-mini`, `llama3.1`). */
  model: string;
  /** Per request, until the server starts answering. */
  timeoutMs: number;
  /** `LLM_PART_TOKENS`: transcript tokens per request at most. */
  partTokens: number;
  /** `LLM_CONTEXT_TOKENS`: the model's context window, prompt plus reply. */
  contextTokens: number;
  /** `LLM_CONCURRENCY`: requests in flight at once, across every summary this instance makes. */
  concurrency: number;
  /** The notes' language and the user's extra instruction. */
  notes: NotesOptions;
  /**
   * Send the reply cap as `max_completion_tokens`, which OpenAI's reasoning models require,
   * instead of `max_tokens`, which Ollama and most compatible servers read. Default false.
   */
  useMaxCompletionTokens?: boolean;
  /**
   * Retries of one request inside the SDK (429 and 5xx honouring a `Retry-After` of up to 30 s,
   * connection errors), with backoff. Default 2: the job system retries whole jobs, but redoing
   * every part of a long lecture for one hiccup is wasteful.
   */
  maxRetries?: number;
  /** For tests and proxies. */
  fetch?: typeof globalThis.fetch | undefined;
}

const OPENAI_BASE_URL = 'https://api.openai.com/v1';
/**
 * The longest `Retry-After` the SDK may wait out itself. It sleeps for whatever a server asks
 * (an hour, if it says so) inside our concurrency slot, holding back every other part; a longer
 * wait is for the durable job system, which reschedules the job by `retryAfterSeconds`.
 */
const MAX_SDK_RETRY_AFTER_SECONDS = 30;
/** Sent with every request, so a proxy or server log can tell which prompts made a reply. */
const PROMPT_HEADER = 'X-Canvas-Notes-Prompt';

/**
 * Creates the summarizer. Its `settingsKey` is
 * `openai:<model>:<PROMPT_VERSION>:<partTokens>:<contextTokens>:<hash of language and instruction>`.
 */
export function createOpenAiSummarizer(options: OpenAiSummarizerOptions): Summarizer {
  if (options.apiKey === '') {
    throw new Error('apiKey is required; for servers without auth (Ollama) pass any non-empty string');
  }
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer, got ${options.concurrency}`);
  }
  const budget = createTokenBudget({ partTokens: options.partTokens, contextTokens: options.contextTokens });
  const baseUrl = options.baseUrl ?? OPENAI_BASE_URL;
  checkBaseUrl(baseUrl);
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: baseUrl,
    timeout: options.timeoutMs,
    maxRetries: options.maxRetries ?? 2,
    fetch: capRetryAfter(options.fetch ?? globalThis.fetch),
    // Left undefined, the SDK reads these from OPENAI_* environment variables; config is the one
    // place that reads the environment.
    organization: null,
    project: null,
    adminAPIKey: null,
    webhookSecret: null,
    // The SDK logs retries to the console; what matters reaches the job log as an AppError.
    logLevel: 'off',
  });
  // One limit for the instance: two summaries at once share it, so a single local GPU set to 1
  // never sees two requests.
  const limit = pLimit(options.concurrency);
  const replyCap = options.useMaxCompletionTokens
    ? { max_completion_tokens: budget.replyTokens }
    : { max_tokens: budget.replyTokens };
  const errorContext = {
    model: options.model,
    apiKey: options.apiKey,
    baseUrl,
    timeoutMs: options.timeoutMs,
    contextTokens: options.contextTokens,
  };

  async function send(
    messages: PromptMessage[],
    promptTokens: number,
    summarySignal: AbortSignal,
  ): Promise<ParsedCompletion> {
    // The SDK adds an abort listener to the signal it is given and never removes it: one signal
    // of its own per request keeps a long lecture's requests from piling listeners on the
    // summary's (and Node from warning about a leak).
    const signal = AbortSignal.any([summarySignal]);
    let raw: unknown;
    try {
      raw = await untilAborted(
        client.chat.completions.create(
          { model: options.model, messages, ...replyCap },
          { signal, headers: { [PROMPT_HEADER]: PROMPT_VERSION } },
        ),
        signal,
      );
    } catch (error) {
      throw toAppError(error, { ...errorContext, signal });
    }
    const completion = parseCompletion(raw);
    checkPromptRead(completion, promptTokens, options.contextTokens);
    return completion;
  }

  return {
    name: 'openai',
    settingsKey: [
      'openai',
      options.model,
      PROMPT_VERSION,
      options.partTokens,
      options.contextTokens,
      notesHash(options.notes),
    ].join(':'),
    async summarize(
      input,
      {
        signal,
        onProgress,
      }: { signal?: AbortSignal; onProgress?: (progress: SummarizeProgress) => void } = {},
    ): Promise<SummarizeResult> {
      if (signal?.aborted) throw createAbortError(signal.reason);
      // Aborted by the caller, or by the first failure: queued requests then never start, and
      // those in flight stop, instead of spending tokens on notes nobody will read.
      const stop = new AbortController();
      const forward = () => stop.abort(signal?.reason);
      signal?.addEventListener('abort', forward, { once: true });
      const tally = createTally(options.model);
      const ask = (messages: PromptMessage[], promptTokens: number): Promise<ModelReply> =>
        limit(async () => {
          if (stop.signal.aborted) throw createAbortError(signal?.reason ?? stop.signal.reason);
          tally.countCall();
          return tally.add(await send(messages, promptTokens, stop.signal));
        });
      try {
        const notes = await writeNotes({ input, notes: options.notes, budget, ask, onProgress });
        return { ...notes, ...tally.result(), promptVersion: PROMPT_VERSION };
      } catch (error) {
        stop.abort(error);
        throw signal?.aborted ? createAbortError(signal.reason) : error;
      } finally {
        signal?.removeEventListener('abort', forward);
      }
    },
  };
}

/**
 * Node's fetch throws for a URL with a user name or password, quoting the URL whole, so such a
 * base URL can never work and would only put its password in the job log. Neither message here
 * repeats the URL.
 */
function checkBaseUrl(baseUrl: string): void {
  if (!URL.canParse(baseUrl)) throw new Error('baseUrl must be an absolute URL');
  const url = new URL(baseUrl);
  if (url.username !== '' || url.password !== '') {
    throw new Error('baseUrl must not contain a user name or password');
  }
}

/**
 * Marks a failed response that asks for a wait over `MAX_SDK_RETRY_AFTER_SECONDS` with
 * `x-should-retry: false`, which the SDK obeys (client.mjs `shouldRetry`), so the error surfaces
 * at once with its `retryAfterSeconds` instead of sleeping in a concurrency slot.
 */
function capRetryAfter(base: typeof globalThis.fetch): typeof globalThis.fetch {
  return async (input, init) => {
    const response = await base(input, init);
    const wait = response.ok ? undefined : parseRetryAfter(response.headers);
    if (wait === undefined || wait <= MAX_SDK_RETRY_AFTER_SECONDS) return response;
    // A fetched response's headers are immutable: the same body goes into a new response.
    const headers = new Headers(response.headers);
    headers.set('x-should-retry', 'false');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}

/**
 * The SDK's waits between retries (up to `MAX_SDK_RETRY_AFTER_SECONDS`) do not watch the signal:
 * an abort must not wait them out.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The notes options change the output, so they are in the settings key, hashed to stay short. */
function notesHash(notes: NotesOptions): string {
  return sha256(JSON.stringify([notes.language ?? null, notes.instructions ?? null])).slice(0, 12);
}

/**
 * Usage is summed over the requests that reported it, and stays `null` when none did (some
 * compatible servers never report it). The model is the last one the server named.
 */
function createTally(configuredModel: string) {
  let usage: SummaryUsage | null = null;
  let model = configuredModel;
  // Requests sent, whatever became of them; the SDK's own retries of one request are not counted.
  let calls = 0;
  return {
    countCall() {
      calls += 1;
    },
    add(completion: ParsedCompletion): ModelReply {
      if (completion.model) model = completion.model;
      if (completion.usage) {
        usage = {
          prompt_tokens: (usage?.prompt_tokens ?? 0) + completion.usage.prompt_tokens,
          completion_tokens: (usage?.completion_tokens ?? 0) + completion.usage.completion_tokens,
        };
      }
      return { text: completion.text, truncated: completion.truncated };
    },
    result() {
      return { model, usage, calls };
    },
  };
}
