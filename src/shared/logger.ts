import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Redaction is a safety net: code never logs tokens on purpose, but request headers and error
 * objects can carry them.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.headers.authorization',
  'token',
  'apiKey',
  '*.token',
  '*.apiKey',
];

export function loggerOptions(level: string): LoggerOptions {
  return { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
}

/** Lines of info and below wait in memory until this many bytes are pending... */
const STDOUT_BUFFER_BYTES = 4096;
/** ...or until this many milliseconds have passed, whichever comes first. */
const STDOUT_FLUSH_MS = 200;

/**
 * Standard output (or `dest`, a descriptor or a path), written in batches. Every answered
 * request logs a line, and a write of its own for each was about a twelfth of what a cached
 * read cost; batched, a busy server writes once per 4 KiB. Nothing waits that matters in a
 * failure: a warning or worse is written at once with the lines before it (in order, as writes
 * here stay synchronous), what is pending is written when the process exits, and the rest
 * within `STDOUT_FLUSH_MS`. What a kill -9 or a crash of Node itself takes with it is at most
 * that much of request lines.
 */
export function createBatchedLogger(level: string, dest: number | string = 1): Logger {
  const stdout = pino.destination({
    dest,
    sync: true,
    minLength: STDOUT_BUFFER_BYTES,
    periodicFlush: STDOUT_FLUSH_MS,
  });
  process.once('exit', () => stdout.flushSync());
  const warn = pino.levels.values.warn as number;
  return pino(
    {
      ...loggerOptions(level),
      hooks: {
        logMethod(args, method, lineLevel) {
          method.apply(this, args);
          if (lineLevel >= warn) stdout.flush();
        },
      },
    },
    stdout,
  );
}

/** Without `destination`, the batched standard output above. */
export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return options.destination
    ? pino(loggerOptions(options.level), options.destination)
    : createBatchedLogger(options.level);
}

/** A logger that drops everything: the default for unit tests. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
