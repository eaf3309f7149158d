import type { Config } from '../config/config.ts';
import { createOfflineSummarizer } from './offline.summarizer.ts';
import { createOpenAiSummarizer } from './openai.summarizer.ts';
import type { Summarizer } from './summarizer.ts';

/**
 * Picks the summarizer from config: an OpenAI-compatible server when a key or a base URL is
 * set, the offline one otherwise. Ollama and most local servers ignore the key but the SDK
 * insists on one, hence the placeholder.
 */
export function createSummarizer(llm: Config['llm'], options: { fetch?: typeof fetch } = {}): Summarizer {
  if (!llm.apiKey && !llm.baseUrl) return createOfflineSummarizer();
  return createOpenAiSummarizer({
    apiKey: llm.apiKey ?? 'not-needed',
    baseUrl: llm.baseUrl,
    model: llm.model,
    timeoutMs: llm.timeoutMs,
    maxInputChars: llm.maxInputChars,
    fetch: options.fetch,
  });
}
