import { describe, expect, it } from 'vitest';
import { parseCpuTimes, stealPercent } from './host-steal.ts';
import { reportedRound } from './rounds.ts';

describe('host steal', () => {
  it('reads steal and the total from the first line of /proc/stat, guest times left out', () => {
    const stat = 'cpu  100 5 20 800 3 0 2 70 40 0\ncpu0 50 2 10 400 1 0 1 35 20 0\n';
    expect(parseCpuTimes(stat)).toEqual({ steal: 70, total: 1000 });
  });

  it('knows nothing from a file it does not recognise', () => {
    expect(parseCpuTimes('')).toBeUndefined();
    expect(parseCpuTimes('intr 1 2 3 4 5 6 7 8 9')).toBeUndefined();
    expect(parseCpuTimes('cpu  1 2 3')).toBeUndefined();
    expect(parseCpuTimes('cpu  1 2 3 4 5 6 7 x')).toBeUndefined();
  });

  it('gives the share stolen between two readings', () => {
    expect(stealPercent({ steal: 10, total: 1000 }, { steal: 60, total: 1200 })).toBe(25);
    expect(stealPercent({ steal: 10, total: 1000 }, { steal: 10, total: 1000 })).toBeUndefined();
    expect(stealPercent(undefined, { steal: 1, total: 2 })).toBeUndefined();
  });
});

describe('the reported round', () => {
  const round = (steal: number | undefined, ratio: number) => ({ steal, ratio });
  const pick = (rounds: ReturnType<typeof round>[]) =>
    reportedRound(
      rounds,
      (r) => r.steal,
      (r) => r.ratio,
    );

  it('is the median ratio when the host stole from no round', () => {
    expect(pick([round(0, 0.3), round(1, 0.9), round(0, 0.5)])).toEqual(round(0, 0.5));
    expect(pick([round(undefined, 0.3), round(undefined, 0.9), round(undefined, 0.5)]).ratio).toBe(0.5);
  });

  it('leaves out the rounds the host stole from, however good their ratio', () => {
    const rounds = [round(30, 0.9), round(1, 0.4), round(45, 0.95), round(2, 0.45), round(0, 0.5)];
    expect(pick(rounds)).toEqual(round(2, 0.45));
    expect(pick([round(30, 0.9), round(12, 0.2)])).toEqual(round(12, 0.2));
  });

  it('refuses to pick from nothing', () => {
    expect(() => pick([])).toThrow(/no rounds/);
  });
});
