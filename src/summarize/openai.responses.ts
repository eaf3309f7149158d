/**
 * Reads chat-completion replies defensively (OpenAI-compatible servers differ): the text, whether
 * it was cut off, whether it says there was nothing to summarize, and whether the server read the
 * whole prompt.
 */

import { z } from 'zod';
import { CONTEXT_ADVICE, llmContextExceededError } from './openai.errors.ts';
import { NO_CONTENT } from './prompts.ts';
import type { LeftOutPart, SummaryUsage } from './summarizer.ts';
import { badResponseError } from './summarizer.ts';

export interface ParsedCompletion {
  /** The reply's text, cleaned; `''` when it had none. */
  text: string;
  /** The server stopped at the output cap (see `CUT_OFF_REASONS`): the text is cut off. */
  truncated: boolean;
  /** The model the server says answered, when it says. */
  model: string | undefined;
  usage: SummaryUsage | null;
}

/**
 * Finish reasons that mean the reply hit a length limit: OpenAI, Ollama and llama.cpp say
 * `length`; gateways passing on Anthropic's stop reason say `max_tokens`; Mistral says
 * `model_length` when the context, not the output cap, ran out.
 */
const CUT_OFF_REASONS: ReadonlySet<string> = new Set(['length', 'max_tokens', 'model_length']);

// Only the fields we read, each optional and tolerant: a field in an unexpected shape is treated as
// missing instead of failing the whole reply.
const contentSchema = z.union([
  z.string(),
  z.array(z.union([z.string(), z.looseObject({ text: z.string().optional() })])),
]);
const completionSchema = z.looseObject({
  model: z.string().optional().catch(undefined),
  choices: z
    .array(
      z.looseObject({
        message: z
          .looseObject({ content: contentSchema.nullish().catch(undefined) })
          .nullish()
          .catch(undefined),
        finish_reason: z.string().nullish().catch(undefined),
      }),
    )
    .nullish()
    .catch(undefined),
  usage: z
    .looseObject({ prompt_tokens: z.number(), completion_tokens: z.number() })
    .nullish()
    .catch(undefined),
});

/**
 * Reads the first choice. An empty text is a value (the caller retries or leaves the part out);
 * a reply that is not a completion, has no choices or was withheld by a filter is
 * `summary.bad_response`.
 */
export function parseCompletion(raw: unknown): ParsedCompletion {
  const parsed = completionSchema.safeParse(raw);
  if (!parsed.success)
    throw badResponseError({
      message: 'The language model server answered with something other than a chat completion.',
    });
  const choice = parsed.data.choices?.[0];
  if (!choice) throw badResponseError({ message: 'The language model returned no choices.' });
  if (choice.finish_reason === 'content_filter') {
    throw badResponseError({ message: "The language model's content filter withheld the notes." });
  }
  const content = choice.message?.content;
  const joined =
    typeof content === 'string'
      ? content
      : (content ?? []).map((part) => (typeof part === 'string' ? part : (part.text ?? ''))).join('');
  const usage = parsed.data.usage;
  return {
    text: cleanReply(joined),
    truncated: CUT_OFF_REASONS.has(choice.finish_reason ?? ''),
    model: parsed.data.model || undefined,
    usage: usage ? { prompt_tokens: usage.prompt_tokens, completion_tokens: usage.completion_tokens } : null,
  };
}

/**
 * Reasoning models served through Ollama put their `<think>` block in the content, and some models
 * wrap the whole reply in a Markdown code fence despite being asked not to.
 */
function cleanReply(text: string): string {
  const withoutThinking = text.replace(/^\s*<think>[\s\S]*?<\/think>/, '').trim();
  const fenced = /^```(?:markdown|md)?[ \t]*\n([\s\S]*?)\n```$/.exec(withoutThinking);
  return (fenced?.[1] ?? withoutThinking).trim();
}

/** Longer than this, a reply is notes even when it mentions having little to say. */
const SHORT_REPLY_CHARS = 200;
const NOTHING_PHRASES = [
  /\bnothing (?:\w+ ){0,2}(?:to|worth) (?:summari[sz]|tak(?:e|ing) notes|not(?:e|ing))/i,
  /\bno (?:\w+ ){0,2}(?:content|material|speech|information)\b/i,
  /\b(?:does ?n[o']t|do ?n[o']t) (?:contain|have|include) any\b/i,
  /\b(?:transcript|part|text|reading) (?:is|was|seems|appears)(?: to be)? (?:empty|blank)\b/i,
];

/**
 * Whether a reply holds notes. Models asked for the `NO_CONTENT` sentinel do not always send it
 * bare; a short reply that says, in other words, that there was nothing to summarize counts too.
 */
export function classifyReply(text: string): 'notes' | LeftOutPart['reason'] {
  if (text === '') return 'empty_reply';
  if (text.length > SHORT_REPLY_CHARS) return 'notes';
  if (
    text
      .replace(/[^A-Za-z_ ]/g, '')
      .trim()
      .toUpperCase()
      .replace(' ', '_') === NO_CONTENT
  ) {
    return 'nothing_to_summarize';
  }
  if (text.includes(NO_CONTENT)) return 'nothing_to_summarize';
  // A heading or a bullet is notes, however short ("- No new material today").
  if (/^\s*(?:#|[-*] )/m.test(text)) return 'notes';
  return NOTHING_PHRASES.some((phrase) => phrase.test(text)) ? 'nothing_to_summarize' : 'notes';
}

/** Our count of a prompt below which a server's smaller count is not worth a verdict. */
const MIN_CHECKED_PROMPT_TOKENS = 1000;
/** Tokenizers differ by a few tens of percent at most; a server that read less cut the prompt. */
const MIN_READ_SHARE = 0.8;

/**
 * Ollama cuts a prompt that is larger than its context length instead of refusing it, and
 * reports the shorter prompt it read. Notes from half a part are wrong without saying so, so a
 * reported count far below ours is an error. A count of 0 says nothing (older Ollama versions
 * report 0 for a prompt they had cached). Cached tokens are not added: OpenAI and vLLM count them
 * inside `prompt_tokens` already (`prompt_tokens_details.cached_tokens` is a share of it).
 */
export function checkPromptRead(
  completion: ParsedCompletion,
  promptTokens: number,
  contextTokens: number,
): void {
  const read = completion.usage?.prompt_tokens ?? 0;
  if (read === 0 || promptTokens < MIN_CHECKED_PROMPT_TOKENS || read >= promptTokens * MIN_READ_SHARE) return;
  throw llmContextExceededError({
    message: `The language model server read only ${read} of the prompt's ${promptTokens} tokens: it cut the prompt to fit a context window smaller than LLM_CONTEXT_TOKENS (${contextTokens}). ${CONTEXT_ADVICE}`,
  });
}
