import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFsFileStore, createMemoryFileStore } from './file-store.ts';

/** Keys built from the pieces traversals are made of, and arbitrary text. */
const hostileKey = fc.oneof(
  fc
    .tuple(fc.constantFrom('transcripts', 'summaries'), fc.nat(), fc.constantFrom('txt', 'md', 'json'))
    .map(([folder, id, ext]) => `${folder}/${id}.${ext}`),
  fc
    .array(
      fc.constantFrom(
        '..',
        '.',
        '',
        '/',
        '\\',
        'transcripts',
        'summaries',
        'root-evil',
        '1.txt',
        '2.md',
        '3.json',
        '%2e%2e',
        '\u0000',
        'C:',
        '~',
        ' ',
        '\n',
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.join('')),
  fc
    .array(fc.constantFrom('..', 'transcripts', 'summaries', '1.txt', 'x'), { maxLength: 6 })
    .map((p) => p.join('/')),
  fc.string({ unit: 'binary', maxLength: 40 }),
  // Near the shape of real keys, so many are valid and the rest miss by little.
  fc
    .tuple(
      fc.constantFrom('transcripts', 'summaries', 'TRANSCRIPTS', '..', '', 'transcripts/..', 'a'),
      fc.constantFrom('/', '\\', '//'),
      fc.oneof(fc.nat().map(String), fc.constantFrom('-1', '1e3', '')),
      fc.constantFrom('.txt', '.md', '.json', '.exe', '.txt/..', ''),
    )
    .map((parts) => parts.join('')),
);

/** Every file under `dir`, relative to it. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path).map((inner) => join(name, inner)) : [name];
  });
}

describe('storage keys', () => {
  let parent: string;
  let root: string;
  beforeAll(() => {
    parent = mkdtempSync(join(tmpdir(), 'canvas-notes-keys-'));
    root = join(parent, 'root');
    mkdirSync(root);
    // A sibling sharing the root's name as a prefix: `startsWith(root)` alone would let it in.
    mkdirSync(join(parent, 'root-evil'));
  });
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('never resolves a key outside the root, and refuses what it does not resolve inside', async () => {
    const store = createFsFileStore({ root });
    const memory = createMemoryFileStore(root);
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(hostileKey, async (key) => {
        let path: string | undefined;
        try {
          path = store.displayPath(key);
        } catch (error) {
          expect((error as { code?: string }).code).toBe('storage.invalid_key');
        }
        // The memory store, which unit tests use in its place, accepts exactly the same keys.
        expect(() => memory.displayPath(key)).toSatisfy((call: () => void) => {
          try {
            call();
            return path !== undefined;
          } catch {
            return path === undefined;
          }
        });
        if (path === undefined) {
          await expect(store.write(key, 'x')).rejects.toMatchObject({ code: 'storage.invalid_key' });
          await expect(store.read(key)).rejects.toMatchObject({ code: 'storage.invalid_key' });
          await expect(store.remove(key)).rejects.toMatchObject({ code: 'storage.invalid_key' });
          return;
        }
        expect(resolve(path).startsWith(resolve(root) + sep), `${JSON.stringify(key)} → ${path}`).toBe(true);
        accepted += 1;
        await store.write(key, 'x');
        expect(await store.read(key)).toBe('x');
        await store.remove(key);
      }),
      { numRuns: 300 },
    );
    // Valid keys were generated too, so the property was not only about refusals.
    expect(accepted).toBeGreaterThan(20);
    // Nothing was written beside the root, and nothing was left inside it.
    expect(filesUnder(parent)).toEqual([]);
  });
});
