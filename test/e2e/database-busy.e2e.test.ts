import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { syncDemo } from '../helpers/demo-account.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Another connection in this process holding SQLite's write lock. */
async function holdWriteLockHere(path: string) {
  const other = new Database(path);
  other.exec('BEGIN IMMEDIATE');
  return async () => {
    other.exec('ROLLBACK');
    other.close();
  };
}

/**
 * Another process holding SQLite's write lock, as a worker process's long write (or a backup
 * tool) would: it takes `BEGIN EXCLUSIVE`, says so, and rolls back when its stdin closes.
 */
async function holdWriteLockInChild(path: string) {
  const script = `
    const db = new (require('better-sqlite3'))(process.argv[1]);
    db.exec('BEGIN EXCLUSIVE');
    process.stdout.write('locked\\n');
    process.stdin.on('end', () => { db.exec('ROLLBACK'); db.close(); process.exit(0); });
    process.stdin.resume();`;
  const child = spawn(process.execPath, ['-e', script, path], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  expect(String(chunk)).toBe('locked\n');
  return async () => {
    const exited = once(child, 'exit');
    child.stdin.end();
    expect(await exited).toEqual([0, null]);
  };
}

describe('a database locked by another process for longer than the busy timeout', () => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  it.each([
    { holder: 'another process', holdWriteLock: holdWriteLockInChild },
    { holder: 'another connection of this process', holdWriteLock: holdWriteLockHere },
  ])(
    'held by $holder: answers writes 503 db.busy with Retry-After, keeps reads working and loses nothing',
    async ({ holdWriteLock }) => {
      t = await createTestApp({ config: { storage: { busyTimeoutMs: 50 } } });
      await syncDemo(t.app, [101]);
      const before = (await t.app.inject({ method: 'GET', url: '/courses/101/modules' })).json();

      const release = await holdWriteLock(t.config.storage.dbPath);
      try {
        for (const url of ['/courses/101/modules/refresh', '/me/courses/refresh', '/items/10001/summarize']) {
          const response = await t.app.inject({ method: 'POST', url });
          expect(response.statusCode, url).toBe(503);
          expect(response.headers['retry-after']).toBe('1');
          expect(response.json()).toEqual({
            error: {
              code: 'db.busy',
              message: 'The database is busy with other work; try again in a moment.',
            },
          });
        }
        // WAL: readers never wait for the writer.
        const read = await t.app.inject({ method: 'GET', url: '/courses/101/modules' });
        expect(read.statusCode).toBe(200);
        expect(read.json()).toEqual(before);
      } finally {
        await release();
      }

      expect((await t.app.inject({ method: 'GET', url: '/courses/101/modules' })).json()).toEqual(before);
      const again = await t.app.inject({ method: 'POST', url: '/courses/101/modules/refresh' });
      expect(again.statusCode).toBe(200);
      expect(t.deps.db.$client.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(t.logs.join('\n')).not.toMatch(/"level":50/);
    },
  );
});
