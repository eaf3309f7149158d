import { describe, expect, it } from 'vitest';
import { createTokenBudget, overlapBudget, replyReserve, safetyMargin } from './token-budget.ts';

describe('token budget', () => {
  it('reserves a quarter of the context for the reply, within 1024 and 4096', () => {
    expect(replyReserve(2048)).toBe(1024);
    expect(replyReserve(8192)).toBe(2048);
    expect(replyReserve(10_000)).toBe(2500);
    expect(replyReserve(16_384)).toBe(4096);
    expect(replyReserve(128_000)).toBe(4096);
  });

  it('keeps a margin of 5% of the context, at least 128 tokens', () => {
    expect(safetyMargin(2048)).toBe(128);
    expect(safetyMargin(16_384)).toBe(820);
  });

  it('caps a part at LLM_PART_TOKENS when the context has room for more', () => {
    const budget = createTokenBudget({ partTokens: 8000, contextTokens: 16_384 });
    // 16384 - 600 - 4096 - 820 = 10868 of room, capped at 8000.
    expect(budget.roomFor(600)).toBe(10_868);
    expect(budget.partRoomFor(600)).toBe(8000);
  });

  it('shrinks a part to what the context leaves after the prompt, the reply and the margin', () => {
    const budget = createTokenBudget({ partTokens: 8000, contextTokens: 8192 });
    expect(budget.replyTokens).toBe(2048);
    expect(budget.marginTokens).toBe(410);
    expect(budget.partRoomFor(700)).toBe(8192 - 700 - 2048 - 410);
    expect(budget.partRoomFor(700) + 700 + budget.replyTokens).toBeLessThanOrEqual(8192);
  });

  it('leaves no room, never a negative amount, when the prompt alone fills the context', () => {
    const budget = createTokenBudget({ partTokens: 8000, contextTokens: 2048 });
    expect(budget.roomFor(5000)).toBe(0);
    expect(budget.partRoomFor(5000)).toBe(0);
  });

  it('lets neighbouring parts overlap by at most 5% of the part budget', () => {
    expect(overlapBudget(8000)).toBe(400);
    expect(overlapBudget(19)).toBe(0);
  });

  it('refuses a budget that is not a positive integer', () => {
    expect(() => createTokenBudget({ partTokens: 0, contextTokens: 16_384 })).toThrow(/partTokens/);
    expect(() => createTokenBudget({ partTokens: 8000, contextTokens: 1.5 })).toThrow(/contextTokens/);
  });
});
