import { describe, expect, it } from 'vitest';
import { isAppError } from '../shared/errors.ts';
import { toStorageError } from './storage.errors.ts';

const fsError = (code: string) => Object.assign(new Error(`${code}: something`), { code });

describe('toStorageError', () => {
  it('makes a full disk or quota the transient storage.full, naming the folder', () => {
    for (const code of ['ENOSPC', 'EDQUOT']) {
      const error = toStorageError(fsError(code), 'data/summaries');
      expect(error).toMatchObject({ code: 'storage.full', statusCode: 507, transient: true });
      expect((error as Error).message).toContain('data/summaries');
    }
  });

  it('makes a folder that cannot be written the permanent storage.not_writable, saying why', () => {
    const cases: Record<string, string> = {
      EACCES: 'permission denied',
      EROFS: 'read-only',
      ENOTDIR: 'a file stands where a folder should be',
      EEXIST: 'a file stands where a folder should be',
    };
    for (const [code, why] of Object.entries(cases)) {
      const error = toStorageError(fsError(code), 'data/transcripts');
      expect(error).toMatchObject({ code: 'storage.not_writable', transient: false });
      expect((error as Error).message).toContain(why);
      expect((error as Error).message).toContain('data/transcripts');
    }
  });

  it('leaves other errors as they are', () => {
    const io = fsError('EIO');
    expect(toStorageError(io, 'data')).toBe(io);
    const plain = new Error('no code');
    expect(toStorageError(plain, 'data')).toBe(plain);
    expect(isAppError(toStorageError(plain, 'data'))).toBe(false);
  });
});
