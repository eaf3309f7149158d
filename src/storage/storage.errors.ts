import { createErrorFactory } from '../shared/errors.ts';

export const invalidStorageKey = createErrorFactory({
  code: 'storage.invalid_key',
  statusCode: 500,
  message: 'Refused a storage key outside the data folder.',
});

/** The disk (or the user's quota) is full. Transient: freeing space lets the retry succeed. */
export const createStorageFullError = createErrorFactory({
  code: 'storage.full',
  statusCode: 507,
  message: 'The data folder is full.',
  transient: true,
});

/**
 * The data folder cannot be written: read-only, no permission, or a file where a folder should
 * be. Permanent: nothing changes until somebody fixes the folder.
 */
export const createStorageNotWritableError = createErrorFactory({
  code: 'storage.not_writable',
  statusCode: 507,
  message: 'The data folder cannot be written.',
});

const FULL = new Set(['ENOSPC', 'EDQUOT']);
const NOT_WRITABLE: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  EEXIST: 'a file stands where a folder should be',
  ENOTDIR: 'a file stands where a folder should be',
  EISDIR: 'a folder stands where a file should be',
};

/**
 * A file-system error of a write under `folder` (as the user configured DATA_DIR) as a clear
 * `storage.*` error naming the folder and what to do; anything else is returned unchanged.
 */
export function toStorageError(error: unknown, folder: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (!code) return error;
  if (FULL.has(code)) {
    return createStorageFullError({
      message: `No space left to write in ${folder}: free some disk space, then run the job again.`,
      cause: error,
    });
  }
  const why = NOT_WRITABLE[code];
  if (why) {
    return createStorageNotWritableError({
      message: `Cannot write in ${folder} (${why}): fix the folder or DATA_DIR, then run the job again.`,
      cause: error,
    });
  }
  return error;
}
