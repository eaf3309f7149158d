import { randomBytes } from 'node:crypto';
import { renameSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { createErrorFactory } from '../shared/errors.ts';

/**
 * Files live under storage keys that we generate (`transcripts/42.txt`), never under paths a
 * caller supplies. Writes are atomic: a temporary file in the same folder is written, flushed
 * and renamed over the target, so a reader or a crash never sees half a file.
 */
export interface FileStore {
  /** Writes `content` under `key` atomically. */
  write(key: string, content: string): Promise<void>;
  /**
   * Writes `content` beside `key` without putting it in place yet. `publish()` then puts it in
   * place synchronously (one rename), so it can run inside a database transaction; `discard()`
   * drops it. See `writeThenRecord`.
   */
  stage(key: string, content: string): Promise<StagedFile>;
  /** The content, or `null` when there is no such file. */
  read(key: string): Promise<string | null>;
  /** Deletes the file; a missing file is not an error. */
  remove(key: string): Promise<void>;
  /** The path of `key` as the user configured DATA_DIR (relative when DATA_DIR is). */
  displayPath(key: string): string;
  /**
   * Deletes temporary files that a killed process left behind mid-write. Only files older than
   * `olderThanMs` go: a worker in another process may be writing a fresh one right now.
   * Returns how many were removed.
   */
  sweepTemporary(olderThanMs?: number): Promise<number>;
}

export interface StagedFile {
  publish(): void;
  discard(): Promise<void>;
}

/** No write takes anywhere near this long, so an older temporary file is an orphan. */
const TEMP_FILE_MAX_AGE_MS = 60 * 60_000;
const TEMP_SUFFIX = '.tmp';
const FOLDERS = ['transcripts', 'summaries'];

export const invalidStorageKey = createErrorFactory({
  code: 'storage.invalid_key',
  statusCode: 500,
  message: 'Refused a storage key outside the data folder.',
});

const KEY_PATTERN = /^[a-z]+\/[0-9]+\.(txt|md|json)$/;

export const transcriptKey = (itemId: number) => `transcripts/${itemId}.txt`;
export const summaryKey = (itemId: number) => `summaries/${itemId}.md`;

export function createFsFileStore({ root }: { root: string }): FileStore {
  const absoluteRoot = resolve(root);

  const resolveKey = (key: string) => {
    const target = resolve(absoluteRoot, key);
    if (!KEY_PATTERN.test(key) || !target.startsWith(absoluteRoot + sep)) {
      throw invalidStorageKey({ message: `Refused storage key "${key}".` });
    }
    return target;
  };

  async function stage(key: string, content: string): Promise<StagedFile> {
    const target = resolveKey(key);
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
    try {
      const handle = await open(temp, 'wx');
      try {
        await handle.writeFile(content, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return {
      publish: () => renameSync(temp, target),
      discard: () => rm(temp, { force: true }),
    };
  }

  return {
    async write(key, content) {
      const staged = await stage(key, content);
      try {
        staged.publish();
      } catch (error) {
        await staged.discard();
        throw error;
      }
    },
    stage,
    async read(key) {
      try {
        return await readFile(resolveKey(key), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async remove(key) {
      try {
        await unlink(resolveKey(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    },
    displayPath(key) {
      resolveKey(key);
      return join(root, ...key.split('/'));
    },
    async sweepTemporary(olderThanMs = TEMP_FILE_MAX_AGE_MS) {
      let removed = 0;
      const cutoff = Date.now() - olderThanMs;
      for (const folder of FOLDERS) {
        const dir = join(absoluteRoot, folder);
        const names = await readdir(dir).catch(() => [] as string[]);
        for (const name of names.filter((candidate) => candidate.endsWith(TEMP_SUFFIX))) {
          const path = join(dir, name);
          const info = await stat(path).catch(() => null);
          if (info && info.mtimeMs < cutoff) {
            await rm(path, { force: true });
            removed += 1;
          }
        }
      }
      return removed;
    },
  };
}

/** Same contract in memory, for unit tests. */
export function createMemoryFileStore(root = 'data'): FileStore & { files: Map<string, string> } {
  const files = new Map<string, string>();
  const check = (key: string) => {
    if (!KEY_PATTERN.test(key)) throw invalidStorageKey({ message: `Refused storage key "${key}".` });
  };
  return {
    files,
    async write(key, content) {
      check(key);
      files.set(key, content);
    },
    async stage(key, content) {
      check(key);
      return { publish: () => void files.set(key, content), discard: async () => {} };
    },
    async read(key) {
      check(key);
      return files.get(key) ?? null;
    },
    async remove(key) {
      check(key);
      files.delete(key);
    },
    displayPath(key) {
      check(key);
      return relative('.', join(root, key)) || key;
    },
    async sweepTemporary() {
      return 0;
    },
  };
}

/**
 * Writes a file and records it together. The content is staged first (the slow part, outside
 * any transaction); `record` then runs the recording transaction and calls `publish` as its
 * last step, which renames the file into place. A record that throws (a guard saying this
 * attempt lost its job, a database error) rolls back and leaves the previous file untouched;
 * concurrent attempts publish in the order their transactions hold SQLite's write lock, so the
 * file in place is always the one the committed row describes. Only a crash between the rename
 * and the commit can leave a file ahead of its row, which readers detect by its content hash.
 */
export async function writeThenRecord<T>(
  files: FileStore,
  key: string,
  content: string,
  record: (publish: () => void) => T,
): Promise<T> {
  const staged = await files.stage(key, content);
  try {
    return record(() => staged.publish());
  } catch (error) {
    await staged.discard().catch(() => undefined);
    throw error;
  }
}
