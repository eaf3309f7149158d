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
