import { setTimeout as delay } from 'node:timers/promises';

/**
 * Waits `ms`, rejecting early with the signal's own reason when it aborts (Node's timer
 * rejects with a generic AbortError, which would hide why: timeout, cancel or shutdown).
 */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  try {
    await delay(ms, undefined, signal ? { signal } : undefined);
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw error;
  }
}
