import type { DbOrTx } from '../db/client.ts';

/**
 * Throws when the caller (a job attempt) may no longer record its result: aborted, or its job
 * was taken over. Run before writing the files and again inside the recording transaction.
 */
export type CommitGuard = (tx: DbOrTx) => void;

export function checkCurrent(
  tx: DbOrTx,
  options: { signal?: AbortSignal; assertCurrent?: CommitGuard },
): void {
  options.signal?.throwIfAborted();
  options.assertCurrent?.(tx);
}
