import Database from 'better-sqlite3';
import { AppError, createErrorFactory, isAppError } from '../shared/errors.ts';

/**
 * Another process (a worker beside the API) held SQLite's write lock for longer than the busy
 * timeout. Nothing was written; the same request or job step succeeds once the lock is free.
 */
export const createDatabaseBusyError = createErrorFactory({
  code: 'db.busy',
  statusCode: 503,
  message: 'The database is busy with other work; try again in a moment.',
  transient: true,
});

const BUSY_CODES = /^SQLITE_(BUSY|LOCKED)/;

/** Whether `error` (or an error it wraps) is SQLite saying the database is locked. */
export function isDatabaseBusy(error: unknown): boolean {
  for (let current = error; current instanceof Error; current = current.cause) {
    if (isAppError(current)) return current.code === createDatabaseBusyError.code;
    if (current instanceof Database.SqliteError && BUSY_CODES.test(current.code)) return true;
  }
  return false;
}

/** A lock error as the transient `db.busy` AppError (with Retry-After); anything else unchanged. */
export function asDatabaseBusy(error: unknown): unknown {
  if (error instanceof AppError || !isDatabaseBusy(error)) return error;
  return createDatabaseBusyError({ cause: error, retryAfterSeconds: 1 });
}
