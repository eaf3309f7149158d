/**
 * Token counts with OpenAI's o200k tokenizer, offline. Other models (Llama, Qwen, Mistral)
 * tokenize differently, so every count here is an estimate of what the server will count; the
 * budget keeps a margin for that (token-budget.ts), and the server's own `usage` is checked
 * afterwards (openai.responses.ts).
 */

import { createRequire } from 'node:module';
import type * as O200k from 'gpt-tokenizer/encoding/o200k_base';
import type { PromptMessage } from './prompts.ts';

// By default the tokenizer throws on text such as `<|endoftext|>`; in a transcript that is just
// text (and a caption saying it must not fail the summary).
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/**
 * The encoding's tables take about 0.6 s and 70 MB to load: loaded on the first count, so the
 * offline summarizer (the default) and every process that never asks a model never pay for them.
 */
let o200k: typeof O200k | undefined;
const tokenizer = (): typeof O200k => {
  o200k ??= createRequire(import.meta.url)('gpt-tokenizer/encoding/o200k_base') as typeof O200k;
  return o200k;
};

/**
 * What a chat-completions request adds around each message (role and separators) and before the
 * reply, as OpenAI documents for its chat models; other templates are in the same range.
 */
const PER_MESSAGE_TOKENS = 4;
const REPLY_PRIMING_TOKENS = 3;

export function countTokens(text: string): number {
  return tokenizer().countTokens(text, AS_PLAIN_TEXT);
}

/** The whole prompt as the model reads it: every message's content plus the chat framing. */
export function countPromptTokens(messages: readonly PromptMessage[]): number {
  return messages.reduce(
    (sum, message) => sum + countTokens(message.content) + PER_MESSAGE_TOKENS,
    REPLY_PRIMING_TOKENS,
  );
}

/** Cuts text into pieces of at most `maxTokens` tokens each, for a "word" too long for any part. */
export function sliceByTokens(text: string, maxTokens: number): string[] {
  const { encode, decode } = tokenizer();
  const tokens = encode(text, AS_PLAIN_TEXT);
  const pieces: string[] = [];
  for (let start = 0; start < tokens.length; start += maxTokens) {
    pieces.push(decode(tokens.slice(start, start + maxTokens)));
  }
  return pieces;
}
