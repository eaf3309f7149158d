import { isAppError } from '../shared/errors.ts';

export type RetryDelayOptions = {
  /** The ceiling of the first retry's delay. */
  baseMs: number;
  /** The largest ceiling, whatever the attempt number. */
  maxMs: number;
  /** A source of [0, 1); injectable so tests can pin the jitter. */
  random?: () => number;
};

/**
 * Delay before the retry that follows failed attempt number `attempt` (1-based): exponential
 * backoff with full jitter, `random() * min(maxMs, baseMs * 2^(attempt-1))`. Full jitter spreads
 * the retries of jobs that failed together (a Canvas outage) instead of re-synchronising them.
 * When the error carries `retryAfterSeconds` (a 429/503 Retry-After), the delay is at least that:
 * the remote told us when it will accept us again, so it is not capped by `maxMs`.
 * See https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/
 */
export function computeRetryDelay(attempt: number, options: RetryDelayOptions, error?: unknown): number {
  const random = options.random ?? Math.random;
  const exponent = Math.max(0, attempt - 1);
  // 2 ** 1024 is Infinity, and min() turns it back into maxMs, so large attempts are safe.
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** exponent);
  const jittered = Math.floor(random() * ceiling);
  const retryAfterMs = isAppError(error) && error.retryAfterSeconds ? error.retryAfterSeconds * 1000 : 0;
  return Math.max(jittered, retryAfterMs);
}

/**
 * Whether another attempt may succeed.
 *
 * - `AppError`s say so themselves (`transient`): the boundary modules know their failures.
 * - An `AbortError` means somebody cancelled the work on purpose, so it is not retried.
 * - Anything else is an error nobody classified: typically a network failure from a library
 *   (`fetch failed`, ECONNRESET, a `TimeoutError`) or, less often, a bug. We count it as
 *   transient: retries are bounded by `max_attempts` and backed off, so a bug costs a few
 *   wasted attempts, while treating a network blip as permanent would fail the item for the user.
 */
export function isTransient(error: unknown): boolean {
  if (isAppError(error)) return error.transient;
  if (error instanceof Error && error.name === 'AbortError') return false;
  return true;
}
