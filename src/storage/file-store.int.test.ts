import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createFsFileStore,
  createMemoryFileStore,
  cuesKey,
  type FileStore,
  summaryKey,
  transcriptKey,
  writeAllThenRecord,
  writeThenRecord,
} from './file-store.ts';

function runFileStoreContract(name: string, setup: () => { store: FileStore; cleanup: () => void }) {
  describe(`${name} file store`, () => {
    let store: FileStore;
    let cleanup: () => void;
    beforeEach(() => {
      ({ store, cleanup } = setup());
    });
    afterEach(() => cleanup());

    it('reads back what it wrote and replaces on a second write', async () => {
      await store.write(transcriptKey(7), 'first');
      await store.write(transcriptKey(7), 'second');
      expect(await store.read(transcriptKey(7))).toBe('second');
    });

    it('answers null for a missing file and tolerates removing one', async () => {
      expect(await store.read(summaryKey(9))).toBeNull();
      await expect(store.remove(summaryKey(9))).resolves.toBeUndefined();
    });

    it('refuses keys that could escape the data folder', async () => {
      for (const key of [
        '../etc/passwd',
        'transcripts/../../x.txt',
        '/abs/1.txt',
        'transcripts/1.txt/..',
        'a/b',
      ]) {
        await expect(store.write(key, 'x')).rejects.toMatchObject({ code: 'storage.invalid_key' });
      }
    });
  });
}

runFileStoreContract('memory', () => ({ store: createMemoryFileStore(), cleanup: () => {} }));

let root = '';
runFileStoreContract('fs', () => {
  root = mkdtempSync(join(tmpdir(), 'file-store-'));
  return {
    store: createFsFileStore({ root }),
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
});

describe('fs file store', () => {
  it('writes atomically, leaving no temporary file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'file-store-'));
    try {
      const store = createFsFileStore({ root: dir });
      await store.write(summaryKey(3), '# Notes\n');
      expect(readFileSync(join(dir, 'summaries', '3.md'), 'utf8')).toBe('# Notes\n');
      expect(readdirSync(join(dir, 'summaries'))).toEqual(['3.md']);
      expect(store.displayPath(summaryKey(3))).toBe(join(dir, 'summaries', '3.md'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fs file store sweep', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'file-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Temporary files as a killed writer leaves them: just made, one of them empty. */
  function leftovers() {
    mkdirSync(join(dir, 'summaries'), { recursive: true });
    mkdirSync(join(dir, 'transcripts'), { recursive: true });
    const paths = {
      two: join(dir, 'transcripts', '2.txt.0a1b2c3d4e5f.tmp'),
      three: join(dir, 'summaries', '3.md.ffeeddccbbaa.tmp'),
      four: join(dir, 'transcripts', '4.txt.123456abcdef.tmp'),
    };
    writeFileSync(paths.two, 'half a transc');
    writeFileSync(paths.three, '');
    writeFileSync(paths.four, 'being written');
    return paths;
  }

  it('removes every temporary file whose item has no running job, however fresh, and no real file', async () => {
    const store = createFsFileStore({ root: dir });
    await store.write(transcriptKey(1), 'kept');
    leftovers();
    const asked: number[] = [];
    const removed = await store.sweepTemporary({
      inUse: (itemId) => {
        asked.push(itemId);
        return itemId === 4;
      },
    });
    expect(removed).toBe(2);
    expect(asked.sort()).toEqual([2, 3, 4]);
    expect(readdirSync(join(dir, 'transcripts')).sort()).toEqual(['1.txt', '4.txt.123456abcdef.tmp']);
    expect(readdirSync(join(dir, 'summaries'))).toEqual([]);
    expect(await store.read(transcriptKey(1))).toBe('kept');
  });

  it("limits the sweep to the given items (a reclaimed job's)", async () => {
    const store = createFsFileStore({ root: dir });
    const paths = leftovers();
    expect(await store.sweepTemporary({ itemIds: [3], inUse: () => false })).toBe(1);
    expect(readdirSync(join(dir, 'summaries'))).toEqual([]);
    expect(readFileSync(paths.two, 'utf8')).toBe('half a transc');
  });
});

describe('writeThenRecord', () => {
  const withStores = (name: string, run: (store: FileStore) => Promise<void>) => {
    it(`${name} (memory)`, () => run(createMemoryFileStore()));
    it(`${name} (fs)`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'file-store-'));
      try {
        await run(createFsFileStore({ root: dir }));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  };

  withStores('leaves the previous file untouched when recording fails', async (store) => {
    await store.write(summaryKey(4), 'old notes');
    await expect(
      writeThenRecord(store, summaryKey(4), 'new notes', () => {
        throw new Error('database busy');
      }),
    ).rejects.toThrow('database busy');
    expect(await store.read(summaryKey(4))).toBe('old notes');
  });

  withStores('puts the file in place only when the record publishes it', async (store) => {
    const result = await writeThenRecord(store, summaryKey(5), 'notes', (publish) => {
      publish();
      return 'recorded';
    });
    expect(result).toBe('recorded');
    expect(await store.read(summaryKey(5))).toBe('notes');
    await expect(
      writeThenRecord(store, summaryKey(6), 'never', () => {
        throw new Error('gone');
      }),
    ).rejects.toThrow('gone');
    expect(await store.read(summaryKey(6))).toBeNull();
  });

  withStores('puts the previous file back when the record fails after publishing', async (store) => {
    await store.write(summaryKey(8), 'old notes');
    await expect(
      writeThenRecord(store, summaryKey(8), 'new notes', (publish) => {
        publish();
        // As a commit the full disk refuses.
        throw new Error('SQLITE_FULL');
      }),
    ).rejects.toThrow('SQLITE_FULL');
    expect(await store.read(summaryKey(8))).toBe('old notes');
    await expect(
      writeThenRecord(store, summaryKey(9), 'never', (publish) => {
        publish();
        throw new Error('SQLITE_FULL');
      }),
    ).rejects.toThrow('SQLITE_FULL');
    expect(await store.read(summaryKey(9))).toBeNull();
  });

  withStores('replaces a set of files whole or not at all', async (store) => {
    await store.write(cuesKey(10), 'old cues');
    await store.write(transcriptKey(10), 'old text');
    const contents = [
      { key: cuesKey(10), content: 'new cues' },
      { key: transcriptKey(10), content: 'new text' },
    ];
    await expect(
      writeAllThenRecord(store, contents, (publish) => {
        publish();
        throw new Error('lease lost');
      }),
    ).rejects.toThrow('lease lost');
    expect([await store.read(cuesKey(10)), await store.read(transcriptKey(10))]).toEqual([
      'old cues',
      'old text',
    ]);
    await writeAllThenRecord(store, contents, (publish) => publish());
    expect([await store.read(cuesKey(10)), await store.read(transcriptKey(10))]).toEqual([
      'new cues',
      'new text',
    ]);
  });

  it('leaves no temporary file behind when recording fails after publishing, or succeeds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'file-store-'));
    try {
      const store = createFsFileStore({ root: dir });
      await store.write(transcriptKey(11), 'old');
      await expect(
        writeThenRecord(store, transcriptKey(11), 'new', (publish) => {
          publish();
          throw new Error('SQLITE_FULL');
        }),
      ).rejects.toThrow('SQLITE_FULL');
      expect(readdirSync(join(dir, 'transcripts'))).toEqual(['11.txt']);
      await writeThenRecord(store, transcriptKey(11), 'newer', (publish) => publish());
      expect(readdirSync(join(dir, 'transcripts'))).toEqual(['11.txt']);
      expect(readFileSync(join(dir, 'transcripts', '11.txt'), 'utf8')).toBe('newer');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves no temporary file behind when recording fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'file-store-'));
    try {
      const store = createFsFileStore({ root: dir });
      await expect(
        writeThenRecord(store, transcriptKey(7), 'text', () => {
          throw new Error('lease lost');
        }),
      ).rejects.toThrow('lease lost');
      expect(readdirSync(join(dir, 'transcripts'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
