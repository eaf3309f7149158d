import { describe, expect, it } from 'vitest';
import { backoffDelayMs, createRateLimitGate } from './canvas.throttle.ts';

/** A gate whose clock stands still, so the bucket does not refill between readings. */
const frozenGate = () => createRateLimitGate({ now: () => 0, maxPauseMs: 60_000 });

describe('rate limit gate', () => {
  it('pauses on a low first reading instead of scaling the threshold down to it', () => {
    const gate = frozenGate();
    gate.observe('120');
    // (200 - 120) units at 10 units a second.
    expect(gate.pauseMs()).toBe(8000);
  });

  it('keeps the absolute threshold while the highest reading is below 600', () => {
    const gate = frozenGate();
    gate.observe('500');
    gate.observe('190');
    expect(gate.pauseMs()).toBe(1000);
  });

  it('lowers the threshold to 30% of a trusted peak of 600 or more', () => {
    const gate = frozenGate();
    gate.observe('600');
    gate.observe('190');
    expect(gate.pauseMs()).toBe(0);
    gate.observe('170');
    expect(gate.pauseMs()).toBe(1000);
  });

  it('does not pause before any reading or while the quota is above the threshold', () => {
    const gate = frozenGate();
    expect(gate.pauseMs()).toBe(0);
    gate.observe('700');
    gate.observe('250');
    expect(gate.pauseMs()).toBe(0);
  });
});

describe('retry backoff', () => {
  const delays = (throttled: boolean, random: () => number) =>
    [0, 1, 2, 3, 4, 5].map((attempt) =>
      backoffDelayMs({ attempt, baseMs: 100, capMs: 1_000, throttled, random }),
    );

  it('doubles the step each attempt up to the cap', () => {
    expect(delays(false, () => 1)).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('spreads server-error retries over the whole step (full jitter)', () => {
    expect(delays(false, () => 0)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(delays(false, () => 0.5)).toEqual([50, 100, 200, 400, 500, 500]);
  });

  it('waits at least half the step when throttled, since an empty bucket needs time', () => {
    expect(delays(true, () => 0)).toEqual([50, 100, 200, 400, 500, 500]);
    expect(delays(true, () => 1)).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });
});
