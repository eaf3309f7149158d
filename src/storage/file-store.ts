import { randomBytes } from 'node:crypto';
import { copyFileSync, linkSync, renameSync, rmSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, unlink } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { invalidStorageKey, toStorageError } from './storage.errors.ts';

/**
 * Files live under storage keys that we generate (`transcripts/42.txt`), never under paths a
 * caller supplies. Writes are atomic: a temporary file in the same folder is written, flushed
 * and renamed over the target, so a reader or a crash never sees half a file. A write that the
 * disk refuses throws `storage.full` or `storage.not_writable` (see `storage.errors.ts`).
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
   * Deletes the temporary files that a killed process left behind mid-write, whatever their
   * age: every one whose item is not `inUse` (has no job running now, in any process; asked
   * after the folder is listed, so a write that starts later is never touched). `itemIds`
   * limits the sweep to those items. Returns how many were removed.
   */
  sweepTemporary(options: SweepOptions): Promise<number>;
}

export interface SweepOptions {
  inUse: (itemId: number) => boolean;
  itemIds?: readonly number[];
}

export interface StagedFile {
  /** Puts the file in place (one rename), keeping the file it replaced until `discard()`. */
  publish(): void;
  /** Undoes `publish()`: puts back the file it replaced, or removes the new one if none was. */
  revert(): void;
  /** Drops the staged content, and the replaced file `publish()` kept. */
  discard(): Promise<void>;
}

const TEMP_SUFFIX = '.tmp';
const FOLDERS = ['transcripts', 'summaries'];
/** `42.txt.<hex>.tmp`: the item id leads, as in every storage key. */
const TEMP_NAME = /^([0-9]+)\.[a-z]+\.[0-9a-f]+\.tmp$/;

const KEY_PATTERN = /^[a-z]+\/[0-9]+\.(txt|md|json)$/;

export const transcriptKey = (itemId: number) => `transcripts/${itemId}.txt`;
export const cuesKey = (itemId: number) => `transcripts/${itemId}.json`;
export const summaryKey = (itemId: number) => `summaries/${itemId}.md`;

export function createFsFileStore({ root }: { root: string }): FileStore {
  const absoluteRoot = resolve(root);
  /** `root` as join() writes it before a file name: `data/`, `/srv/notes/`, or empty for `.`. */
  const displayPrefix = join(root, '_').slice(0, -1);

  const resolveKey = (key: string) => {
    const target = resolve(absoluteRoot, key);
    if (!KEY_PATTERN.test(key) || !target.startsWith(absoluteRoot + sep)) {
      throw invalidStorageKey({ message: `Refused storage key "${key}".` });
    }
    return target;
  };

  /** The folder of `key` as the user configured DATA_DIR, for error messages. */
  const folderOf = (key: string) => join(root, key.split('/')[0] ?? '');

  async function stage(key: string, content: string): Promise<StagedFile> {
    const target = resolveKey(key);
    const temp = `${target}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
    try {
      await mkdir(dirname(target), { recursive: true });
      const handle = await open(temp, 'wx');
      try {
        await handle.writeFile(content, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
    } catch (error) {
      await rm(temp, { force: true }).catch(() => undefined);
      throw toStorageError(error, folderOf(key));
    }
    // The file this one replaces, kept under a temporary name (so a sweep removes it after a
    // crash) until the record commits: a record that fails after publishing puts it back.
    const previous = `${target}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
    let kept = false;
    let published = false;
    return {
      publish: () => {
        try {
          kept = keepCopy(target, previous);
          renameSync(temp, target);
          published = true;
        } catch (error) {
          if (kept) rmSync(previous, { force: true });
          kept = false;
          throw toStorageError(error, folderOf(key));
        }
      },
      revert: () => {
        if (!published) return;
        if (kept) renameSync(previous, target);
        else rmSync(target, { force: true });
        published = false;
        kept = false;
      },
      discard: async () => {
        await rm(temp, { force: true });
        await rm(previous, { force: true });
      },
    };
  }

  return {
    async write(key, content) {
      const staged = await stage(key, content);
      try {
        staged.publish();
      } finally {
        await staged.discard();
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
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw toStorageError(error, folderOf(key));
      }
    },
    displayPath(key) {
      // What join(root, folder, name) gives, without resolving the path again: the item lists
      // ask this of every file they show.
      if (!KEY_PATTERN.test(key)) throw invalidStorageKey({ message: `Refused storage key "${key}".` });
      return displayPrefix + (sep === '/' ? key : key.replace('/', sep));
    },
    async sweepTemporary({ inUse, itemIds }) {
      const only = itemIds && new Set(itemIds);
      const orphans: Array<{ path: string; itemId: number }> = [];
      for (const folder of FOLDERS) {
        const dir = join(absoluteRoot, folder);
        const names = await readdir(dir).catch(() => [] as string[]);
        for (const name of names) {
          const itemId = Number(TEMP_NAME.exec(name)?.[1] ?? Number.NaN);
          if (Number.isSafeInteger(itemId) && (!only || only.has(itemId))) {
            orphans.push({ path: join(dir, name), itemId });
          }
        }
      }
      let removed = 0;
      const busy = new Map<number, boolean>();
      for (const { path, itemId } of orphans) {
        if (!busy.has(itemId)) busy.set(itemId, inUse(itemId));
        if (busy.get(itemId)) continue;
        await rm(path, { force: true });
        removed += 1;
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
      let previous: string | undefined;
      let published = false;
      return {
        publish: () => {
          previous = files.get(key);
          files.set(key, content);
          published = true;
        },
        revert: () => {
          if (!published) return;
          if (previous === undefined) files.delete(key);
          else files.set(key, previous);
          published = false;
        },
        discard: async () => {},
      };
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
      // Memory writes are atomic: nothing is ever left half-written.
      return 0;
    },
  };
}

/**
 * Writes a file and records it together. The content is staged first (the slow part, outside
 * any transaction); `record` then runs the recording transaction and calls `publish` as its
 * last step, which renames the file into place. A record that throws (a guard saying this
 * attempt lost its job, a database error, a commit the full disk refused after `publish`) rolls
 * back and leaves the previous file in place, put back if it was already replaced; concurrent
 * attempts publish in the order their transactions hold SQLite's write lock, so the file in
 * place is always the one the committed row describes. Only a crash between the rename and the
 * commit can leave a file ahead of its row, which readers detect by its content hash.
 */
export async function writeThenRecord<T>(
  files: FileStore,
  key: string,
  content: string,
  record: (publish: () => void) => T,
): Promise<T> {
  return writeAllThenRecord(files, [{ key, content }], record);
}

/**
 * `writeThenRecord` for several files that belong together (a transcript and its cues): all are
 * staged first, and `publish` moves them into place from inside the recording transaction. If
 * one cannot be put in place, or the record fails after, those already in place are put back:
 * the set is replaced whole or not at all.
 */
export async function writeAllThenRecord<T>(
  files: FileStore,
  contents: ReadonlyArray<{ key: string; content: string }>,
  record: (publish: () => void) => T,
): Promise<T> {
  const staged: StagedFile[] = [];
  try {
    for (const { key, content } of contents) staged.push(await files.stage(key, content));
    return record(() => {
      for (const file of staged) file.publish();
    });
  } catch (error) {
    // Before awaiting anything, so no other attempt in this process publishes in between.
    for (const file of [...staged].reverse()) {
      try {
        file.revert();
      } catch {
        // The file stays ahead of its row, as after a crash between the rename and the commit.
      }
    }
    throw error;
  } finally {
    await Promise.all(staged.map((file) => file.discard().catch(() => undefined)));
  }
}

/**
 * Keeps the file at `target` under `copy` (a hard link; a copy where the file system has none)
 * and says whether there was one. Throws when it cannot, so nothing is replaced without a way back.
 */
function keepCopy(target: string, copy: string): boolean {
  try {
    linkSync(target, copy);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'EMLINK') throw error;
  }
  copyFileSync(target, copy);
  return true;
}
