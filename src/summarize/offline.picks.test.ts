import { describe, expect, it } from 'vitest';
import { allocate } from './offline.picks.ts';

describe('allocate', () => {
  it('gives a section one point plus one per 300 words, up to four', () => {
    expect(allocate([100, 330, 600, 5000], 100)).toEqual([1, 2, 3, 4]);
  });

  it('scales down to the total, keeping at least one per section', () => {
    const quotas = allocate([1400, 1400, 1400, 1400, 1400, 350], 10);
    expect(quotas.reduce((a, b) => a + b, 0)).toBe(10);
    expect(Math.min(...quotas)).toBe(1);
    expect(quotas.at(-1)).toBe(1);
  });

  it('leaves later sections out when the total is smaller than the number of sections', () => {
    const quotas = allocate([1400, 1400, 1400, 1400], 2);
    expect(quotas.reduce((a, b) => a + b, 0)).toBe(2);
    expect(quotas).toEqual([1, 1, 0, 0]);
  });
});
