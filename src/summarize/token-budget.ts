/**
 * How many tokens of transcript (or of part notes) one request may carry. The context window
 * holds the prompt and the reply together, so every request reserves room for its reply (sent
 * as the output cap) and a margin for the ways our count differs from the server's.
 */

export interface TokenBudget {
  /** `LLM_CONTEXT_TOKENS`: prompt plus reply. */
  readonly contextTokens: number;
  /** `LLM_PART_TOKENS`: the most transcript one request carries. */
  readonly partTokens: number;
  /** The output cap sent with every request. */
  readonly replyTokens: number;
  /** Left unused in every request (see `safetyMargin`). */
  readonly marginTokens: number;
  /** Room for notes to merge next to a prompt of `overheadTokens`: the context is the only bound. */
  roomFor(overheadTokens: number): number;
  /** Room for transcript next to a prompt of `overheadTokens`: also at most `partTokens`. */
  partRoomFor(overheadTokens: number): number;
}

/**
 * A quarter of the context, within 1024…4096: notes on a full part rarely need more than a
 * thousand tokens, a merged set of notes a few thousand, and every token reserved for the reply
 * is one the transcript cannot use.
 */
export function replyReserve(contextTokens: number): number {
  return Math.min(4096, Math.max(1024, Math.floor(contextTokens / 4)));
}

/**
 * 5% of the context, at least 128 tokens: the server's chat template adds tokens we cannot see,
 * and a model with another tokenizer counts the same text a little differently. A server that
 * counts far more than that cuts the prompt; the reply's `usage` shows it (openai.responses.ts).
 */
export function safetyMargin(contextTokens: number): number {
  return Math.max(128, Math.ceil(contextTokens * 0.05));
}

/** Neighbouring parts share at most this much, so no sentence is only ever seen cut in half. */
export function overlapBudget(partBudget: number): number {
  return Math.floor(partBudget * 0.05);
}

export function createTokenBudget(options: { partTokens: number; contextTokens: number }): TokenBudget {
  const { partTokens, contextTokens } = options;
  for (const [name, value] of Object.entries(options)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`${name} must be a positive integer, got ${value}`);
    }
  }
  const replyTokens = replyReserve(contextTokens);
  const marginTokens = safetyMargin(contextTokens);
  const roomFor = (overheadTokens: number) =>
    Math.max(0, contextTokens - overheadTokens - replyTokens - marginTokens);
  return {
    contextTokens,
    partTokens,
    replyTokens,
    marginTokens,
    roomFor,
    partRoomFor: (overheadTokens) => Math.min(partTokens, roomFor(overheadTokens)),
  };
}
