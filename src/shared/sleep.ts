import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms`, rejecting early with an AbortError when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return delay(ms, undefined, signal ? { signal } : undefined);
}
