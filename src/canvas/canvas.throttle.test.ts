import { getEventListeners } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import pLimit from 'p-limit';
import { describe, expect, it } from 'vitest';
import { backoffDelayMs, createRateLimitGate, runLimited } from './canvas.throttle.ts';

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

  it('counts what our other requests in flight hold back as coming back, not as spent', () => {
    const gate = frozenGate();
    // 120 left while three more of ours each hold 50: 270 once they are answered.
    gate.observe('120', 3);
    expect(gate.pauseMs()).toBe(0);
    // Alone in flight, the same reading is quota really spent.
    gate.observe('120', 0);
    expect(gate.pauseMs()).toBe(8000);
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

describe('runLimited', () => {
  it('holds one abort listener per signal however many callers queue on it, and none once done', async () => {
    const controller = new AbortController();
    const limit = pLimit(2);
    const calls = Array.from({ length: 30 }, (_, index) =>
      runLimited(limit, () => delay(1, index), controller.signal),
    );
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 30 }, (_, index) => index));
    // The shared listener stays for the next sync on the same signal, but holds no callers.
    expect(getEventListeners(controller.signal, 'abort').length).toBeLessThanOrEqual(1);
  });

  it('rejects every queued caller with the abort reason at once', async () => {
    const controller = new AbortController();
    const limit = pLimit(1);
    const blocker = runLimited(
      limit,
      () => delay(10_000, undefined, { signal: controller.signal }),
      undefined,
    );
    const queued = Array.from({ length: 15 }, () => runLimited(limit, async () => 'ran', controller.signal));
    const reason = new Error('sync cancelled');
    controller.abort(reason);
    const settled = await Promise.allSettled(queued);
    expect(settled.every((result) => result.status === 'rejected' && result.reason === reason)).toBe(true);
    await blocker.catch(() => undefined);
  });
});
