import { readFileSync } from 'node:fs';

/**
 * The CPU time the hypervisor gave to other guests while this machine's CPUs had work: Linux's
 * `steal` in /proc/stat. On a shared host it comes and goes by the minute, and while it is high
 * a trivial route's p99 triples, so a latency figure means little without it beside it.
 */
export interface CpuTimes {
  /** Clock ticks of all CPUs, since boot. */
  steal: number;
  total: number;
}

/** The first (`cpu `) line: user nice system idle iowait irq softirq steal, then guest times. */
export function parseCpuTimes(stat: string): CpuTimes | undefined {
  const line = stat.split('\n', 1)[0] ?? '';
  const [label, ...fields] = line.trim().split(/\s+/);
  if (label !== 'cpu' || fields.length < 8) return undefined;
  // The guest times are counted in user and nice already.
  const ticks = fields.slice(0, 8).map(Number);
  if (ticks.some((tick) => !Number.isFinite(tick))) return undefined;
  return { steal: ticks[7] as number, total: ticks.reduce((sum, tick) => sum + tick, 0) };
}

/** Undefined where there is no /proc/stat (not Linux). */
export function readCpuTimes(): CpuTimes | undefined {
  try {
    return parseCpuTimes(readFileSync('/proc/stat', 'utf8'));
  } catch {
    return undefined;
  }
}

/** The share of all CPUs' time stolen between two readings, in whole percent. */
export function stealPercent(before: CpuTimes | undefined, after: CpuTimes | undefined): number | undefined {
  if (before === undefined || after === undefined || after.total <= before.total) return undefined;
  return Math.round((100 * (after.steal - before.steal)) / (after.total - before.total));
}
