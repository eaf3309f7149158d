import { describe, expect, it } from 'vitest';
import { parseRetryAfterSeconds } from './retry-after.ts';

describe('parseRetryAfterSeconds', () => {
  const now = Date.parse('2026-12-01T12:00:00Z');

  it('reads delta seconds, rounding a fraction up', () => {
    expect(parseRetryAfterSeconds('7')).toBe(7);
    expect(parseRetryAfterSeconds(' 1.2 ')).toBe(2);
    expect(parseRetryAfterSeconds('0')).toBe(0);
  });

  it('reads an HTTP date as the seconds until it, never negative', () => {
    expect(parseRetryAfterSeconds('Tue, 01 Dec 2026 12:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfterSeconds('Tue, 01 Dec 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('gives undefined for nothing or nonsense', () => {
    for (const value of [null, undefined, '', '  ', 'soon', '-5', '1e3']) {
      expect(parseRetryAfterSeconds(value), String(value)).toBeUndefined();
    }
  });
});
