import { describe, expect, it } from 'vitest';
import { AppError } from '../shared/errors.ts';
import { computeRetryDelay, isTransient } from './retry-policy.ts';

const options = { baseMs: 100, maxMs: 1_000 };

describe('computeRetryDelay', () => {
  it('doubles the jitter ceiling per attempt up to maxMs', () => {
    const ceiling = (attempt: number) => computeRetryDelay(attempt, { ...options, random: () => 0.999_999 });
    expect([1, 2, 3, 4, 5, 40].map(ceiling)).toEqual([99, 199, 399, 799, 999, 999]);
  });

  it('spreads delays over the whole range (full jitter)', () => {
    expect(computeRetryDelay(3, { ...options, random: () => 0 })).toBe(0);
    expect(computeRetryDelay(3, { ...options, random: () => 0.5 })).toBe(200);
  });

  it('waits at least as long as the remote asked, even beyond maxMs', () => {
    const throttled = new AppError({ code: 'canvas.throttled', message: 'slow down', retryAfterSeconds: 30 });
    expect(computeRetryDelay(1, { ...options, random: () => 0.5 }, throttled)).toBe(30_000);
  });
});

describe('isTransient', () => {
  it('trusts AppError.transient', () => {
    expect(isTransient(new AppError({ code: 'a.b', message: 'x', transient: true }))).toBe(true);
    expect(isTransient(new AppError({ code: 'a.b', message: 'x' }))).toBe(false);
  });

  it('does not retry an abort but does retry an unclassified error', () => {
    expect(isTransient(new DOMException('aborted', 'AbortError'))).toBe(false);
    expect(isTransient(new TypeError('fetch failed'))).toBe(true);
  });
});
