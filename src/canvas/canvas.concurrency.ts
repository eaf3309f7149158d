import pLimit, { type LimitFunction } from 'p-limit';

/**
 * How many requests one token keeps in flight, steered by Canvas's own quota reading. Canvas
 * reserves ~50 units per request in flight out of a ~600–700 bucket (shared reference §A4), so
 * `X-Rate-Limit-Remaining` falls as we add parallel requests and as their cost piles up faster
 * than the bucket leaks. AIMD, as TCP does with a congestion window: one more slot per window of
 * answers while the quota stays high, a multiplicative cut when it runs low or Canvas throttles.
 */
export type ConcurrencyRuleOptions = {
  /** Never more in flight than this (`CANVAS_CONCURRENCY`). */
  ceiling: number;
  /** Where a new client starts. Default 3 (the old fixed setting), or the ceiling if lower. */
  initial?: number;
  /** Raise while the reading is at least this share of the highest seen. Default 0.5. */
  raiseAbove?: number;
  /** Cut once the reading falls below this share (above the throttle gate's 30%). Default 0.35. */
  cutBelow?: number;
  /** The cut for a low reading. Default 0.7. */
  lowFactor?: number;
  /** The cut for a throttled answer. Default 0.5. */
  throttledFactor?: number;
};

export type QuotaReading = {
  /** The raw `X-Rate-Limit-Remaining`, or null when absent. */
  remaining: string | null;
  /** Canvas refused the request (403 Rate Limit Exceeded or 429). */
  throttled: boolean;
};

export type ConcurrencyRule = {
  /** Requests allowed in flight now. */
  current(): number;
  /** Updates the allowance after an answer; returns `current()`. */
  observe(reading: QuotaReading): number;
};

export function createConcurrencyRule(options: ConcurrencyRuleOptions): ConcurrencyRule {
  const ceiling = Math.max(1, Math.floor(options.ceiling));
  const raiseAbove = options.raiseAbove ?? 0.5;
  const cutBelow = options.cutBelow ?? 0.35;
  let window = Math.min(ceiling, Math.max(1, options.initial ?? 3));
  let peak = 0;
  // Answers still to come from requests sent before the last cut: their readings describe the
  // old, larger window, and acting on them would cut again for the same cause.
  let stale = 0;

  const current = () => Math.floor(window);
  const cut = (factor: number) => {
    // The answer that prompted the cut is in; the rest of the window is still out.
    stale = current() - 1;
    window = Math.max(1, Math.floor(window * factor));
  };

  return {
    current,
    observe({ remaining: header, throttled }) {
      const remaining = header === null ? Number.NaN : Number.parseFloat(header);
      if (Number.isFinite(remaining)) peak = Math.max(peak, remaining);
      if (stale > 0) {
        stale -= 1;
        return current();
      }
      if (throttled) cut(options.throttledFactor ?? 0.5);
      // No reading (a non-token answer, a proxy): no evidence either way.
      else if (!Number.isFinite(remaining) || peak <= 0) return current();
      else if (remaining < cutBelow * peak) cut(options.lowFactor ?? 0.7);
      else if (remaining >= raiseAbove * peak) window = Math.min(ceiling, window + 1 / current());
      return current();
    },
  };
}

/** Concurrency now, and the highest it reached (for benchmarks). */
export type AdaptiveLimitStats = { concurrency: number; peakConcurrency: number };

/** A p-limit queue whose concurrency follows the rule; `adapt: false` keeps it at the ceiling. */
export type AdaptiveLimit = {
  limit: LimitFunction;
  observe(reading: QuotaReading): void;
  stats(): AdaptiveLimitStats;
};

export function createAdaptiveLimit(options: ConcurrencyRuleOptions & { adapt?: boolean }): AdaptiveLimit {
  const rule = createConcurrencyRule(options);
  const fixed = options.adapt === false;
  const limit = pLimit(fixed ? Math.max(1, Math.floor(options.ceiling)) : rule.current());
  let peakConcurrency = limit.concurrency;
  return {
    limit,
    observe(reading) {
      if (fixed) return;
      const next = rule.observe(reading);
      // p-limit starts queued work at once when its concurrency grows.
      if (next !== limit.concurrency) limit.concurrency = next;
      peakConcurrency = Math.max(peakConcurrency, next);
    },
    stats: () => ({ concurrency: limit.concurrency, peakConcurrency }),
  };
}
