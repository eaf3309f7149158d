import type { Config } from '../config/config.ts';
import { createOfflineSummarizer } from './offline.summarizer.ts';
import { createOpenAiSummarizer } from './openai.summarizer.ts';
import type { Summarizer } from './summarizer.ts';

/**
 * Picks the summarizer from config: an OpenAI-compatible server when a key or a base URL is
 * set, the offline one otherwise. Ollama and most local servers ignore the key but the SDK
 * insists on one, hence the placeholder. The offline summarizer quotes the transcript, so the
 * notes' language and extra instruction apply to the model only.
 */
export function createSummarizer(
  llm: Config['llm'],
  notes: Config['notes'],
  options: { fetch?: typeof fetch } = {},
): Summarizer {
  if (!llm.apiKey && !llm.baseUrl) return createOfflineSummarizer();
  return createOpenAiSummarizer({
    apiKey: llm.apiKey ?? 'not-needed',
    baseUrl: llm.baseUrl,
    model: llm.model,
    timeoutMs: llm.timeoutMs,
    partTokens: llm.partTokens,
    contextTokens: llm.contextTokens,
    concurrency: llm.concurrency,
    notes,
    fetch: options.fetch,
  });
}
