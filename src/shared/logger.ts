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

export function createLogger(options: { level: string; destination?: pino.DestinationStream }): Logger {
  return options.destination
    ? pino(loggerOptions(options.level), options.destination)
    : pino(loggerOptions(options.level));
}

/** A logger that drops everything: the default for unit tests. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}
