import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncDemo } from '../helpers/demo-account.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/** Every demo item, in course, module and item order. */
const ALL_IDS = [10000, 10001, 10002, 10003, 10004, 10005, 20001, 20002, 20003, 30001, 30002, 40001, 50001];

describe('reading the cached courses and modules', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('lists the cached courses on GET /courses, the same list as GET /me/courses', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/courses' })).json()).toEqual({ courses: [] });
    await t.app.inject({ method: 'POST', url: '/me/courses/refresh' });
    const response = await t.app.inject({ method: 'GET', url: '/courses' });
    expect(response.statusCode).toBe(200);
    const courses = response.json().courses;
    expect(courses.map((course: { id: number }) => course.id).sort()).toEqual([101, 102, 103, 104, 105]);
    expect(courses[0]).toMatchObject({ name: expect.any(String), course_code: expect.any(String) });
    expect((await t.app.inject({ method: 'GET', url: '/me/courses' })).json().courses).toEqual(courses);
  });

  it('answers GET /modules/{id} with its course, position and item count', async () => {
    await syncDemo(t.app, [101]);
    const response = await t.app.inject({ method: 'GET', url: '/modules/1001' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      id: 1001,
      course_id: 101,
      title: 'Week 1 – Membranes',
      position: 1,
      item_count: 6,
      last_synced_at: expect.any(String),
    });
    const missing = await t.app.inject({ method: 'GET', url: '/modules/2001' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('module.not_found');
  });
});

describe('GET /items', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
    await syncDemo(t.app);
  });
  afterEach(async () => {
    await t.close();
  });

  const list = async (query: string) => {
    const response = await t.app.inject({ method: 'GET', url: `/items${query}` });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { items: Array<{ id: number }>; total: number; limit: number; offset: number };
  };
  const ids = async (query: string) => (await list(query)).items.map((item) => item.id);

  it('lists every item in course, module and item order with the page bounds', async () => {
    const page = await list('');
    expect(page.items.map((item) => item.id)).toEqual(ALL_IDS);
    expect(page).toMatchObject({ total: 13, limit: 50, offset: 0 });
    expect(page.items[1]).toMatchObject({
      id: 10001,
      course_id: 101,
      module_id: 1001,
      provider: 'panopto',
      status: 'DISCOVERED',
      media_links: [{ provider: 'panopto', url: expect.stringContaining('/Panopto/Pages/Viewer.aspx?id=') }],
    });
    expect(page.items[0]).toMatchObject({ id: 10000, media_links: [] });
  });

  it('filters by course, module, provider and title, alone and combined', async () => {
    expect(await ids('?course_id=102')).toEqual([20001, 20002, 20003]);
    expect(await ids('?module_id=3001')).toEqual([30001, 30002]);
    expect(await ids('?provider=zoom')).toEqual([20002]);
    // 10005 embeds a lecture in its page; 30002, the course-wide Panopto LTI link, names none.
    expect(await ids('?provider=panopto')).toEqual([10001, 10005, 20001, 30001, 40001, 50001]);
    expect(await ids('?provider=reading')).toEqual([10002, 10003]);
    expect(await ids('?provider=none')).toEqual([10000, 10004, 20003, 30002]);
    for (const provider of ['youtube', 'canvas_media', 'upload']) {
      expect(await ids(`?provider=${provider}`), provider).toEqual([]);
    }
    expect(await ids('?search=RECORDING')).toEqual([10000, 10001, 20001, 20002, 30001, 40001, 50001]);
    expect(await ids('?search=recording&course_id=102&provider=panopto')).toEqual([20001]);
    expect(await ids('?course_id=101&module_id=2001')).toEqual([]);
    expect(await ids('?course_id=999')).toEqual([]);
  });

  it('takes % and _ in the search as themselves, not as wildcards', async () => {
    expect(await ids('?search=_')).toEqual([10003]);
    expect(await ids('?search=s_w')).toEqual([10003]);
    expect(await ids(`?search=${encodeURIComponent('%')}`)).toEqual([]);
    expect(await ids(`?search=${encodeURIComponent('e%t')}`)).toEqual([]);
    expect(await ids('?search=')).toEqual(ALL_IDS);
    expect(await ids('?search=%20%20')).toEqual(ALL_IDS);
    expect(await ids('?search=%20quiz%201%20')).toEqual([20003]);
  });

  it('filters by any of several statuses, repeated or comma-separated', async () => {
    await t.app.inject({ method: 'POST', url: '/items/10001/fetch-transcript' });
    await t.app.inject({ method: 'POST', url: '/items/20002/fetch-transcript' });
    await t.deps.runner.runUntilEmpty();

    expect(await ids('?status=FAILED')).toEqual([20002]);
    expect(await ids('?status=TRANSCRIPT_READY&status=FAILED')).toEqual([10001, 20002]);
    expect(await ids('?status=FAILED,TRANSCRIPT_READY')).toEqual([10001, 20002]);
    expect(await ids('?status=FAILED,%20TRANSCRIPT_READY&course_id=101')).toEqual([10001]);
    const discovered = await list('?status=DISCOVERED');
    expect(discovered.total).toBe(11);
    expect(discovered.items.map((item) => item.id)).not.toContain(10001);
  });

  it('pages through the list with limit and offset, counting every match', async () => {
    const first = await list('?limit=5');
    expect(first).toMatchObject({ total: 13, limit: 5, offset: 0 });
    expect(first.items.map((item) => item.id)).toEqual(ALL_IDS.slice(0, 5));
    expect(await ids('?limit=5&offset=5')).toEqual(ALL_IDS.slice(5, 10));
    expect(await ids('?limit=5&offset=10')).toEqual(ALL_IDS.slice(10));
    expect(await list('?limit=5&offset=100')).toMatchObject({ items: [], total: 13, offset: 100 });
    expect(await list('?limit=200')).toMatchObject({ limit: 200, total: 13 });
    expect(await list('?limit=1&provider=panopto')).toMatchObject({ total: 6, items: [{ id: 10001 }] });
  });

  it.each([
    ['limit=201', 'limit'],
    ['limit=0', 'limit'],
    ['limit=-1', 'limit'],
    ['limit=ten', 'limit'],
    ['limit=2.5', 'limit'],
    ['offset=-1', 'offset'],
    ['offset=1e3', 'offset'],
    ['status=DONE', 'status'],
    ['status=FAILED,done', 'status'],
    ['status=failed', 'status'],
    ['course_id=abc', 'course_id'],
    ['course_id=0', 'course_id'],
    ['course_id=1&course_id=2', 'course_id'],
    ['module_id=-5', 'module_id'],
    ['module_id=99999999999999999999', 'module_id'],
    ['provider=vimeo', 'provider'],
    ['provider=Panopto', 'provider'],
    [`search=${'x'.repeat(201)}`, 'search'],
    ['stauts=FAILED', 'stauts'],
  ])('answers 400 with the error shape to ?%s', async (query, field) => {
    const response = await t.app.inject({ method: 'GET', url: `/items?${query}` });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: { code: 'request.invalid_querystring', message: expect.stringContaining(field) },
    });
  });
});
