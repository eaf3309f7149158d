import {
  createJobCancelledError,
  createJobInterruptedError,
  createJobLeaseLostError,
  createJobTimeoutError,
} from './jobs.errors.ts';

/** Why the runner aborted a handler's signal. */
export type AbortCause = 'timeout' | 'cancel' | 'shutdown' | 'lease_lost';

const ABORT_REASONS: Record<AbortCause, () => Error> = {
  timeout: () => createJobTimeoutError(),
  cancel: () => createJobCancelledError(),
  shutdown: () => createJobInterruptedError(),
  lease_lost: () => createJobLeaseLostError(),
};

export type Settled = { ok: true } | { ok: false; error: unknown; abandoned?: boolean };

/**
 * Waits for the handler; once the signal aborts, waits at most `graceMs` more so that a handler
 * that ignores its signal cannot hold a concurrency slot (or a shutdown) forever.
 */
export function settle(run: Promise<void>, signal: AbortSignal, graceMs: number): Promise<Settled> {
  const outcome = run.then(
    (): Settled => ({ ok: true }),
    (error: unknown): Settled => ({ ok: false, error }),
  );
  const abandoned = new Promise<Settled>((resolve) => {
    const onAbort = () => {
      const timer = setTimeout(() => resolve({ ok: false, error: signal.reason, abandoned: true }), graceMs);
      void outcome.finally(() => clearTimeout(timer));
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([outcome, abandoned]);
}

/** The AppError a handler sees as `signal.reason` for each cause (see `JobContext.signal`). */
export function abortReason(cause: AbortCause): Error {
  return ABORT_REASONS[cause]();
}
