import { describe, expect, it } from 'vitest';
import { createAdaptiveLimit, createConcurrencyRule, type QuotaReading } from './canvas.concurrency.ts';

const healthy = { remaining: '700.0', throttled: false };
const reading = (remaining: number) => ({ remaining: remaining.toFixed(1), throttled: false });
const throttled = { remaining: '0.0', throttled: true };

function feed(rule: ReturnType<typeof createConcurrencyRule>, times: number, value: QuotaReading = healthy) {
  for (let i = 0; i < times; i++) rule.observe(value);
  return rule.current();
}

describe('adaptive Canvas concurrency', () => {
  it('starts at 3, or at the ceiling when that is lower', () => {
    expect(createConcurrencyRule({ ceiling: 12 }).current()).toBe(3);
    expect(createConcurrencyRule({ ceiling: 2 }).current()).toBe(2);
    expect(createConcurrencyRule({ ceiling: 12, initial: 5 }).current()).toBe(5);
  });

  it('adds one slot per window of answers while the quota stays high', () => {
    const rule = createConcurrencyRule({ ceiling: 12 });
    // Window 3 needs three good answers to become 4, then four more to become 5.
    expect(feed(rule, 2)).toBe(3);
    expect(feed(rule, 1)).toBe(4);
    expect(feed(rule, 3)).toBe(4);
    expect(feed(rule, 1)).toBe(5);
  });

  it('never goes above the ceiling', () => {
    const rule = createConcurrencyRule({ ceiling: 6 });
    expect(feed(rule, 500)).toBe(6);
  });

  it('holds between the raise and cut marks', () => {
    const rule = createConcurrencyRule({ ceiling: 12 });
    rule.observe(healthy);
    // 280 of a 700 peak is 40%: below the 50% raise mark, above the 35% cut mark.
    expect(feed(rule, 50, reading(280))).toBe(3);
  });

  it('cuts multiplicatively once the quota drops low, then waits out the stale answers', () => {
    const rule = createConcurrencyRule({ ceiling: 12, initial: 10 });
    rule.observe(healthy);
    expect(rule.observe(reading(200))).toBe(7);
    // The other answers from the 10 in flight at the cut describe the old window: one cut only.
    expect(feed(rule, 9, reading(200))).toBe(7);
    expect(rule.observe(reading(200))).toBe(4);
  });

  it('halves on a throttled answer, and never goes below one', () => {
    const rule = createConcurrencyRule({ ceiling: 12, initial: 8 });
    expect(rule.observe(throttled)).toBe(4);
    expect(feed(rule, 8, throttled)).toBe(2);
    expect(feed(rule, 40, throttled)).toBe(1);
  });

  it('leaves the window alone on answers without a quota reading', () => {
    const rule = createConcurrencyRule({ ceiling: 12 });
    expect(feed(rule, 20, { remaining: null, throttled: false })).toBe(3);
    expect(feed(rule, 3)).toBe(4);
  });

  it('applies the rule to the limiter, unless told to hold at the ceiling', () => {
    const adaptive = createAdaptiveLimit({ ceiling: 12 });
    for (let i = 0; i < 100; i++) adaptive.observe(healthy);
    expect(adaptive.limit.concurrency).toBe(12);
    adaptive.observe(throttled);
    expect(adaptive.stats()).toEqual({ concurrency: 6, peakConcurrency: 12 });

    const fixed = createAdaptiveLimit({ ceiling: 12, adapt: false });
    fixed.observe(throttled);
    expect(fixed.limit.concurrency).toBe(12);
  });
});
