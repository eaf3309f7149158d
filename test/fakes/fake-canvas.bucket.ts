import { performance } from 'node:perf_hooks';

/**
 * Canvas's request throttle as a fake (shared reference §A4): one leaky bucket per token. Each
 * request reserves `upfrontCost` on arrival and is refused when that would lift the bucket over
 * `capacity` (Canvas's high-water mark); on its answer the reservation is swapped for the
 * request's real cost. The bucket leaks `leakPerSecond` all the while, and every answer reports
 * `capacity - count`, so a client sees its quota shrink as it puts more requests in flight.
 */
export type LeakyBucketOptions = {
  /** The high-water mark. Canvas: 600 in the open-source defaults, 700 on hosted Canvas. */
  capacity?: number;
  /** Canvas's `outflow`: 10 units a second. */
  leakPerSecond?: number;
  /** Reserved while a request is in flight. Canvas: 50. */
  upfrontCost?: number;
  /**
   * Charged for good once answered. Canvas charges CPU + database seconds (a fraction to a few
   * units for a listing); 1 keeps a sync of a few hundred requests draining the quota visibly.
   */
  costPerRequest?: number;
  /** `403` (Canvas's text/plain "Rate Limit Exceeded", the default) or `429` with `Retry-After`. */
  refuseWith?: 403 | 429;
  /** `Retry-After` of a 429. Default: the whole seconds until the bucket has leaked room. */
  retryAfterSeconds?: number;
  now?: () => number;
};

export type BucketRefusal = { status: 403 } | { status: 429; retryAfterSeconds: number };

/** One request's place in the bucket: refused, or admitted and settled once answered. */
export type BucketTicket =
  | { admitted: false; refusal: BucketRefusal }
  | {
      admitted: true;
      /** Swaps the reservation for the real cost; returns `X-Rate-Limit-Remaining`. Idempotent. */
      settle(): number;
    };

export type LeakyBucket = {
  admit(): BucketTicket;
  /** `capacity - count` right now. */
  remaining(): number;
  costPerRequest: number;
};

export function createLeakyBucket(options: LeakyBucketOptions = {}): LeakyBucket {
  const capacity = options.capacity ?? 700;
  const leakPerSecond = options.leakPerSecond ?? 10;
  const upfrontCost = options.upfrontCost ?? 50;
  const costPerRequest = options.costPerRequest ?? 1;
  const now = options.now ?? (() => performance.now());
  let count = 0;
  let at = now();

  const leak = () => {
    const t = now();
    count = Math.max(0, count - ((t - at) / 1000) * leakPerSecond);
    at = t;
  };
  const remaining = () => {
    leak();
    return Math.max(0, capacity - count);
  };

  return {
    costPerRequest,
    remaining,
    admit() {
      leak();
      if (count + upfrontCost > capacity) {
        if (options.refuseWith !== 429) return { admitted: false, refusal: { status: 403 } };
        const wait = options.retryAfterSeconds ?? Math.ceil((count + upfrontCost - capacity) / leakPerSecond);
        return { admitted: false, refusal: { status: 429, retryAfterSeconds: Math.max(0, wait) } };
      }
      count += upfrontCost;
      let settled = false;
      return {
        admitted: true,
        settle() {
          if (!settled) {
            settled = true;
            leak();
            count = Math.max(0, count - upfrontCost + costPerRequest);
          }
          return remaining();
        },
      };
    },
  };
}
