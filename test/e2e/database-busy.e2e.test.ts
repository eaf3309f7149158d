import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { syncDemo } from '../helpers/demo-account.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/** Another process's connection holding SQLite's write lock (as a long write in a worker would). */
function holdWriteLock(path: string) {
  const other = new Database(path);
  other.exec('BEGIN IMMEDIATE');
  return () => {
    other.exec('ROLLBACK');
    other.close();
  };
}

describe('a database locked by another process for longer than the busy timeout', () => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  it('answers writes 503 db.busy with Retry-After, keeps reads working and loses nothing', async () => {
    t = await createTestApp({ config: { storage: { busyTimeoutMs: 50 } } });
    await syncDemo(t.app, [101]);
    const before = (await t.app.inject({ method: 'GET', url: '/courses/101/modules' })).json();

    const release = holdWriteLock(t.config.storage.dbPath);
    try {
      for (const url of ['/courses/101/modules/refresh', '/me/courses/refresh', '/items/10001/summarize']) {
        const response = await t.app.inject({ method: 'POST', url });
        expect(response.statusCode, url).toBe(503);
        expect(response.headers['retry-after']).toBe('1');
        expect(response.json()).toEqual({
          error: { code: 'db.busy', message: 'The database is busy with other work; try again in a moment.' },
        });
      }
      // WAL: readers never wait for the writer.
      const read = await t.app.inject({ method: 'GET', url: '/courses/101/modules' });
      expect(read.statusCode).toBe(200);
      expect(read.json()).toEqual(before);
    } finally {
      release();
    }

    expect((await t.app.inject({ method: 'GET', url: '/courses/101/modules' })).json()).toEqual(before);
    const again = await t.app.inject({ method: 'POST', url: '/courses/101/modules/refresh' });
    expect(again.statusCode).toBe(200);
    expect(t.deps.db.$client.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(t.logs.join('\n')).not.toMatch(/"level":50/);
  });
});
