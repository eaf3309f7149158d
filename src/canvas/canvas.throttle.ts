import pLimit, { type LimitFunction } from 'p-limit';
import { sleep } from '../shared/sleep.ts';

/**
 * Client-side pacing for Canvas's leaky-bucket throttle (shared reference §A4): Canvas reports
 * `X-Rate-Limit-Remaining` on every token-authenticated response and refills about 10 units a
 * second. Once the remaining quota runs low we space requests out instead of waiting for 403s.
 */
export type RateLimitGateOptions = {
  /** Absolute floor of the threshold, in quota units. Default 200 (reference §A4). */
  lowRemainingThreshold?: number;
  /** Longest single pause, so a sync never stalls for long on one bad reading. Default 10000 ms. */
  maxPauseMs?: number;
  /** Canvas's refill rate ("outflow"), units per second. Default 10. */
  leakPerSecond?: number;
  /** What Canvas holds back for each request in flight until it is answered. Default 50 (§A4). */
  upfrontCost?: number;
  now?: () => number;
};

export type RateLimitGate = {
  /**
   * Records a raw `X-Rate-Limit-Remaining` header value (ignored when absent or unparseable),
   * read while `othersInFlight` more of our requests were still in flight.
   */
  observe(headerValue: string | null, othersInFlight?: number): void;
  /** How long the next request should wait right now; 0 when there is quota to spare. */
  pauseMs(): number;
  /**
   * Waits out the current pause. While paused, waiters go one at a time and each waits its own
   * pause, so a low quota serialises the client instead of releasing a burst when it ends.
   */
  wait(signal: AbortSignal | undefined, onPause: (ms: number, remaining: number) => void): Promise<void>;
};

/** A peak of at least this many floors (600 for the default 200) may scale the threshold down. */
const TRUSTED_PEAK_FACTOR = 3;

export function createRateLimitGate(options: RateLimitGateOptions = {}): RateLimitGate {
  const floor = options.lowRemainingThreshold ?? 200;
  const maxPauseMs = options.maxPauseMs ?? 10_000;
  const leakPerSecond = options.leakPerSecond ?? 10;
  const upfrontCost = options.upfrontCost ?? 50;
  const now = options.now ?? Date.now;
  const serial = pLimit(1);
  let highest = 0;
  let last: { remaining: number; at: number } | undefined;

  const estimatedRemaining = (): number => {
    if (!last) return Number.POSITIVE_INFINITY;
    // The bucket drains while we are idle; without this a stale low reading would pause the
    // first request of the next sync for no reason.
    return Math.min(highest, last.remaining + ((now() - last.at) / 1000) * leakPerSecond);
  };

  const pauseMs = (): number => {
    // The smaller of the floor and 30% of the peak: a huge custom bucket doesn't pause with
    // thousands left, and a small one isn't paused forever for being under 200. But the first
    // reading may come from a bucket that is already half drained (the default high-water mark
    // is 600–700, reference §A4), so the peak only lowers the threshold once it could be full.
    const threshold = highest >= TRUSTED_PEAK_FACTOR * floor ? Math.min(floor, 0.3 * highest) : floor;
    const remaining = estimatedRemaining();
    if (remaining >= threshold) return 0;
    return Math.min(maxPauseMs, Math.ceil(((threshold - remaining) / leakPerSecond) * 1000));
  };

  return {
    observe(headerValue, othersInFlight = 0) {
      if (headerValue === null) return;
      const reading = Number.parseFloat(headerValue);
      if (!Number.isFinite(reading)) return;
      // Our other requests' reservations come back as each is answered: counted as spent, they
      // paused the client for seconds of refill that a few milliseconds would have returned.
      // What the bucket really lost is what it reports plus what they hold.
      const remaining = reading + upfrontCost * Math.max(0, othersInFlight);
      highest = Math.max(highest, remaining);
      last = { remaining, at: now() };
    },
    pauseMs,
    async wait(signal, onPause) {
      if (pauseMs() === 0) return;
      await runLimited(
        serial,
        async () => {
          const ms = pauseMs();
          if (ms === 0) return;
          onPause(ms, Math.floor(estimatedRemaining()));
          await sleepOrAbort(ms, signal);
        },
        signal,
      );
    },
  };
}

/**
 * Callers waiting on one signal, and the one `abort` listener that tells them all: a sync queues
 * a request per module behind the concurrency limit, and a listener each would pass Node's
 * limit of ten per signal (`MaxListenersExceededWarning`) on any large course.
 */
const abortWaiters = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `onAbort` once `signal` aborts; returns the unsubscribe. */
function whenAborted(signal: AbortSignal, onAbort: () => void): () => void {
  let waiters = abortWaiters.get(signal);
  if (!waiters) {
    const created = new Set<() => void>();
    waiters = created;
    abortWaiters.set(signal, created);
    signal.addEventListener(
      'abort',
      () => {
        abortWaiters.delete(signal);
        for (const waiter of created) waiter();
      },
      { once: true },
    );
  }
  waiters.add(onAbort);
  return () => waiters.delete(onAbort);
}

/**
 * Runs `fn` through a p-limit queue, but rejects with the caller's abort reason as soon as
 * `signal` aborts, even while still queued behind other callers' requests.
 */
export function runLimited<T>(
  limit: LimitFunction,
  fn: () => Promise<T>,
  signal: AbortSignal | undefined,
): Promise<T> {
  if (!signal) return limit(fn);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const unsubscribe = whenAborted(signal, () => reject(signal.reason));
    limit(() => {
      signal.throwIfAborted();
      return fn();
    }).then(
      (value) => {
        unsubscribe();
        resolve(value);
      },
      (error: unknown) => {
        unsubscribe();
        reject(error);
      },
    );
  });
}

/** `sleep` that rejects with the caller's own abort reason, like fetch does, not a timers AbortError. */
export async function sleepOrAbort(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, signal);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw error;
  }
}

/**
 * Exponential backoff. Server errors use full jitter (spreads retries of parallel requests);
 * throttling keeps at least half the step, because a near-zero wait just burns another request
 * against an empty bucket.
 */
export function backoffDelayMs(options: {
  attempt: number;
  baseMs: number;
  capMs: number;
  throttled: boolean;
  random?: () => number;
}): number {
  const random = options.random ?? Math.random;
  const step = Math.min(options.capMs, options.baseMs * 2 ** options.attempt);
  return Math.round(options.throttled ? step / 2 + (random() * step) / 2 : random() * step);
}
