import { afterEach, describe, expect, it } from 'vitest';
import { type CanvasTestContext, startCanvasTest } from '../helpers/canvas-client.ts';

const BIO = 48213;

let ctx: CanvasTestContext | undefined;
afterEach(async () => {
  await ctx?.canvas.close();
  ctx = undefined;
});

async function getCourses(times: number) {
  for (let i = 0; i < times; i++) await ctx?.client.getCourse(BIO);
}

describe('canvas client: concurrency follows X-Rate-Limit-Remaining', () => {
  it('starts at 3 and rises to the ceiling while the quota stays high', async () => {
    ctx = await startCanvasTest({ rateLimitRemaining: 700 }, { concurrency: 6 });
    expect(ctx.client.stats().concurrency).toBe(3);
    await getCourses(40);
    expect(ctx.client.stats()).toMatchObject({ concurrency: 6, peakConcurrency: 6 });
  });

  it('cuts back as the reading drops, and halves on a throttled answer', async () => {
    ctx = await startCanvasTest({ rateLimitRemaining: 700 }, { concurrency: 8 });
    await getCourses(60);
    expect(ctx.client.stats().concurrency).toBe(8);

    ctx.canvas.settings.rateLimitRemaining = 150;
    await getCourses(1);
    expect(ctx.client.stats().concurrency).toBe(5);

    // The other 7 answers of the window that was cut carry no news; then the 403 halves it.
    await getCourses(7);
    expect(ctx.client.stats().concurrency).toBe(5);
    ctx.canvas.settings.rateLimitRemaining = 700;
    ctx.canvas.failNext(`/api/v1/courses/${BIO}`, { kind: 'throttle' });
    await getCourses(1);
    expect(ctx.canvas.throttledAnswers()).toBe(1);
    expect(ctx.client.stats().concurrency).toBe(2);
  });
});

describe('canvas client: the pause gate and its own requests in flight', () => {
  const pauses = () => (ctx?.logs ?? []).filter((line) => line.includes('Canvas quota low; pausing'));

  it('does not pause for the quota its other requests in flight hold back', async () => {
    // A peak of 500 keeps the gate's mark at 200 and the concurrency cut at 175, so 180 moves
    // neither the window nor, counted right, the gate.
    ctx = await startCanvasTest({ rateLimitRemaining: 500 }, { concurrency: 3 });
    await getCourses(1);
    // 180 left while two more of ours hold 50 each: 280 once they are answered.
    ctx.canvas.settings.rateLimitRemaining = 180;
    ctx.canvas.failNext(`/api/v1/courses/${BIO}`, { kind: 'delay', ms: 300 }, 2);
    const course = () => ctx?.client.getCourse(BIO);
    const slow = [course(), course()];
    await course();
    await course();
    expect(pauses()).toEqual([]);
    await Promise.all(slow);
    // Alone in flight, the same reading is quota really spent: the next request waits.
    await course();
    expect(pauses()).toHaveLength(1);
  });
});
