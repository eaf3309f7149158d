import { isAppError } from './errors.ts';
import { createLogger, type Logger } from './logger.ts';

/**
 * Runs `stop` once on SIGTERM or SIGINT, then exits 0. If stopping hangs (a client holding a
 * connection open, a handler ignoring its abort), the process exits 1 after `forceAfterMs`
 * rather than living on half-stopped.
 */
export function exitOnSignal(logger: Logger, stop: () => Promise<void>, forceAfterMs: number): void {
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Not unref'd: a stop stuck on a promise nothing else keeps alive must still exit 1.
    setTimeout(() => {
      logger.error({ forceAfterMs }, 'shutdown took too long; exiting');
      process.exit(1);
    }, forceAfterMs);
    try {
      await stop();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', (signal) => void shutdown(signal));
  process.once('SIGINT', (signal) => void shutdown(signal));
}

/** Reports a failed start (an invalid config as its one-line message) and exits 1. */
export function exitOnStartupError(what: string) {
  return (error: unknown): never => {
    const logger = createLogger({ level: 'info' });
    if (isAppError(error) && error.code === 'config.invalid') logger.fatal(error.message);
    else logger.fatal({ err: error }, `${what} failed to start`);
    process.exit(1);
  };
}
