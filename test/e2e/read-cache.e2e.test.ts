import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { syncDemo } from '../helpers/demo-account.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * The read cache (src/http/read-cache.ts): a GET answered again without building it while the
 * database is unchanged, and built afresh after any write, by this process or another.
 */
describe('the read cache', () => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers });

  /** Counts the builds of `GET /items/{id}`, and can run `during` in the middle of one. */
  function countDetailBuilds(during?: () => void) {
    const build = t.deps.services.items.getDetail;
    return vi.spyOn(t.deps.services.items, 'getDetail').mockImplementation((id) => {
      const detail = build(id);
      during?.();
      return detail;
    });
  }

  it('answers the same bytes and headers again without building the answer', async () => {
    t = await createTestApp();
    await syncDemo(t.app, [101]);
    const builds = countDetailBuilds();
    const first = await get('/items/10001');
    const again = await get('/items/10001');
    expect(first.statusCode).toBe(200);
    expect(builds).toHaveBeenCalledTimes(1);
    expect(again.body).toBe(first.body);
    const { date: _d1, ...firstHeaders } = first.headers;
    const { date: _d2, ...againHeaders } = again.headers;
    expect(againHeaders).toEqual(firstHeaders);
    expect(againHeaders['content-type']).toBe('application/json; charset=utf-8');
    expect(againHeaders['content-security-policy']).toContain("default-src 'none'");
    // A HEAD is not answered from it, and still has no body.
    const head = await t.app.inject({ method: 'HEAD', url: '/items/10001' });
    expect([head.statusCode, head.body]).toEqual([200, '']);
  });

  it('answers only requests the key check and the Host guard let through', async () => {
    const key = 'k'.repeat(40);
    t = await createTestApp({ config: { auth: { apiKey: key } } });
    const authorization = `Bearer ${key}`;
    const courses = await t.app.inject({
      method: 'POST',
      url: '/me/courses/refresh',
      headers: { authorization },
    });
    expect(courses.statusCode).toBe(200);
    expect((await get('/courses', { authorization })).statusCode).toBe(200);
    expect((await get('/courses', { authorization })).statusCode).toBe(200);
    const without = await get('/courses');
    expect([without.statusCode, without.json().error.code]).toEqual([401, 'auth.missing_key']);
    const wrongHost = await get('/courses', { authorization, host: 'evil.example' });
    expect([wrongHost.statusCode, wrongHost.json().error.code]).toEqual([403, 'request.host_not_allowed']);
  });

  it('builds the answer again after a write through the API', async () => {
    t = await createTestApp();
    await syncDemo(t.app, [101]);
    expect((await get('/items/10001')).json().status).toBe('DISCOVERED');
    expect((await get('/items/10001')).json().status).toBe('DISCOVERED');
    expect((await t.app.inject({ method: 'POST', url: '/items/10001/summarize' })).statusCode).toBe(202);
    const queued = (await get('/items/10001')).json();
    expect(queued.job?.state).toBe('queued');
    await t.deps.runner.runUntilEmpty();
    const done = (await get('/items/10001')).json();
    expect([done.status, done.job]).toEqual(['SUMMARY_READY', null]);
    const modules = (await get('/courses/101/modules')).json().modules as { id: number }[];
    const listed = (await get(`/modules/${modules[0]?.id}/items`)).json().items as {
      id: number;
      status: string;
    }[];
    expect(listed.find((item) => item.id === 10001)?.status).toBe('SUMMARY_READY');
  });

  it('builds the answer again after another process commits a write', async () => {
    t = await createTestApp();
    await syncDemo(t.app, [101]);
    const builds = countDetailBuilds();
    expect((await get('/items/10001')).json().title).not.toBe('Renamed by a worker');
    const worker = new Database(t.config.storage.dbPath);
    try {
      worker.prepare("update items set title = 'Renamed by a worker' where id = 10001").run();
    } finally {
      worker.close();
    }
    expect((await get('/items/10001')).json().title).toBe('Renamed by a worker');
    expect(builds).toHaveBeenCalledTimes(2);
  });

  it('does not keep an answer built while another process committed', async () => {
    t = await createTestApp();
    await syncDemo(t.app, [101]);
    const worker = new Database(t.config.storage.dbPath);
    let writes = 0;
    try {
      // The first build reads the old title; the write lands before the answer is sent.
      countDetailBuilds(() => {
        if (writes++ === 0)
          worker.prepare("update items set title = 'Renamed mid-build' where id = 10001").run();
      });
      expect((await get('/items/10001')).json().title).not.toBe('Renamed mid-build');
      expect((await get('/items/10001')).json().title).toBe('Renamed mid-build');
    } finally {
      worker.close();
    }
  });

  it('answers 304 without a body while the ETag it gave is current, and 200 once anything changed', async () => {
    t = await createTestApp();
    await syncDemo(t.app, [101]);
    const first = await get('/items/10001');
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^W\/"[\w-]+\.\d+\.\d+"$/);
    expect(first.headers['cache-control']).toBe('no-cache');
    const unchanged = await get('/items/10001', { 'if-none-match': etag });
    expect([unchanged.statusCode, unchanged.body, unchanged.headers.etag]).toEqual([304, '', etag]);
    // A list of tags, one of them current, is enough.
    expect((await get('/items/10001', { 'if-none-match': `W/"old", ${etag}` })).statusCode).toBe(304);
    // A reload asks for the answer whatever the tag; a tag of another process never matches.
    const reload = await get('/items/10001', { 'if-none-match': etag, 'cache-control': 'no-cache' });
    expect([reload.statusCode, reload.body]).toEqual([200, first.body]);
    const otherProcess = etag.replace(/^W\/"[\w-]+\./, 'W/"0ther-pr0c.');
    expect((await get('/items/10001', { 'if-none-match': otherProcess })).statusCode).toBe(200);
    // The tag is the database's state, so one URL's tag is no licence for an answer not kept.
    const missing = await get('/items/999999', { 'if-none-match': etag });
    expect([missing.statusCode, missing.headers.etag]).toEqual([404, undefined]);

    await t.app.inject({ method: 'POST', url: '/items/10001/summarize' });
    const changed = await get('/items/10001', { 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.json().job?.state).toBe('queued');
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('keeps no error answer', async () => {
    t = await createTestApp();
    await syncDemo(t.app, [101]);
    const builds = countDetailBuilds();
    expect((await get('/items/999999')).statusCode).toBe(404);
    expect((await get('/items/999999')).statusCode).toBe(404);
    expect(builds).toHaveBeenCalledTimes(2);
    expect((await get('/items/not-an-id')).statusCode).toBe(400);
  });

  it('keeps a search and its filters apart, and searches again after new notes', async () => {
    t = await createTestApp();
    await syncDemo(t.app, [101]);
    // Said in the demo's first lecture, and in no title.
    const search = (query: string) => get(`/search?q=${encodeURIComponent(query)}`);
    expect((await search('phospholipid')).json().total).toBe(0);
    await t.app.inject({ method: 'POST', url: '/courses/101/summarize' });
    await t.deps.runner.runUntilEmpty();
    const after = (await search('phospholipid')).json();
    expect(after.total).toBeGreaterThan(0);
    const builds = vi.spyOn(t.deps.services.search, 'search');
    expect((await search('phospholipid')).json()).toEqual(after);
    expect(builds).toHaveBeenCalledTimes(0);
    const other = (await search('bilayer')).json();
    expect(other.results[0]?.snippet).toContain('<mark>bilayer</mark>');
    expect(builds).toHaveBeenCalledTimes(1);
  });

  it('keeps no more than its budget, dropping the least recently read answer', async () => {
    // The three answers' sizes, as kept (body and URL), from an app without the cache.
    t = await createTestApp({ config: { http: { readCacheBytes: 0 } } });
    await syncDemo(t.app, [101]);
    const sizes = await Promise.all(
      [10001, 10002, 10003].map(
        async (id) => Buffer.byteLength((await get(`/items/${id}`)).body) + `/items/${id}`.length,
      ),
    );
    await t.close();
    const [a = 0, b = 0, c = 0] = sizes;
    // Room for any two of them, not for all three.
    const budget = Math.max(a + b, a + c, b + c);
    expect(budget).toBeLessThan(a + b + c);
    t = await createTestApp({ config: { http: { readCacheBytes: budget } } });
    await syncDemo(t.app, [101]);
    const builds = countDetailBuilds();
    await get('/items/10001');
    await get('/items/10002');
    await get('/items/10001');
    expect(builds).toHaveBeenCalledTimes(2);
    // A third answer does not fit beside the two: the least recently read (10002) goes.
    await get('/items/10003');
    await get('/items/10001');
    expect(builds).toHaveBeenCalledTimes(3);
    await get('/items/10002');
    expect(builds).toHaveBeenCalledTimes(4);
  });

  it('is off with READ_CACHE_MB=0', async () => {
    t = await createTestApp({ config: { http: { readCacheBytes: 0 } } });
    await syncDemo(t.app, [101]);
    const builds = countDetailBuilds();
    await get('/items/10001');
    await get('/items/10001');
    expect(builds).toHaveBeenCalledTimes(2);
  });
});
