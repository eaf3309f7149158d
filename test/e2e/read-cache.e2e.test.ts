import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeDb, openDb } from '../../src/db/client.ts';
import { syncDemo } from '../helpers/demo-account.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/** Demo course 101's module and its first item (src/demo). */
const MODULE = 1001;
const ITEM = 10000;

const CACHED_READS = [
  `/modules/${MODULE}/items`,
  `/items/${ITEM}`,
  '/items?course_id=101',
  '/search?q=renamed',
];

describe('cached reads (src/http/read-cache.ts)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
    await syncDemo(t.app, [101]);
  });
  afterEach(async () => {
    await t.close();
  });

  const read = async (url: string) => {
    const response = await t.app.inject({ method: 'GET', url });
    expect(response.statusCode, url).toBe(200);
    return response;
  };

  it('answers a repeated read with the same body and headers', async () => {
    for (const url of CACHED_READS) {
      const first = await read(url);
      const again = await read(url);
      expect(again.body, url).toBe(first.body);
      const { date: _date, ...headers } = first.headers;
      const { date: _again, ...againHeaders } = again.headers;
      expect(againHeaders, url).toEqual(headers);
    }
  });

  it("shows this process's writes at once", async () => {
    for (const url of CACHED_READS) await read(url);
    t.deps.db.$client.prepare("update items set title = 'Renamed lecture' where id = ?").run(ITEM);
    expect((await read(`/items/${ITEM}`)).json().title).toBe('Renamed lecture');
    const listed = (await read(`/modules/${MODULE}/items`)).json().items;
    expect(listed.find((item: { id: number }) => item.id === ITEM).title).toBe('Renamed lecture');
  });

  it("shows another connection's writes (the worker process) at once", async () => {
    for (const url of CACHED_READS) await read(url);
    const worker = openDb(t.config.storage.dbPath);
    try {
      worker.$client.prepare("update items set title = 'Renamed elsewhere' where id = ?").run(ITEM);
    } finally {
      closeDb(worker);
    }
    expect((await read(`/items/${ITEM}`)).json().title).toBe('Renamed elsewhere');
    const page = (await read('/items?course_id=101')).json().items;
    expect(page.find((item: { id: number }) => item.id === ITEM).title).toBe('Renamed elsewhere');
  });
});
