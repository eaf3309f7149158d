import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type FakeCanvas,
  findCourse,
  findModule,
  generateItems,
  panoptoGuid,
} from '../fakes/fake-canvas-server.ts';
import type { FakePanopto } from '../fakes/fake-panopto-server.ts';
import { type CanvasEnv, startCanvasEnv } from '../helpers/canvas-env.ts';
import { LECTURE_LINES, srt } from '../helpers/srt.ts';
import type { TestApp } from '../helpers/test-app.ts';

const TOKEN = 'refresh-counts-token';

describe('refresh endpoints report what they added, updated and removed', () => {
  let canvas: FakeCanvas;
  let panopto: FakePanopto;
  let t: TestApp;

  let env: CanvasEnv;

  beforeEach(async () => {
    env = await startCanvasEnv(TOKEN);
    ({ canvas, panopto, t } = env);
  });
  afterEach(async () => {
    await env.close();
  });

  const post = (url: string) => t.app.inject({ method: 'POST', url });
  const get = (url: string) => t.app.inject({ method: 'GET', url });
  const ids = (rows: Array<{ id: number }>) => rows.map((row) => row.id);

  it('counts courses renamed, removed, added and unchanged on POST /me/courses/refresh', async () => {
    const first = await post('/me/courses/refresh');
    expect(first.statusCode).toBe(200);
    const stored = first.json().courses.length;
    expect(first.json().sync).toEqual({ courses: { added: stored, updated: 0, removed: 0, unchanged: 0 } });

    findCourse(canvas.state, 48214).name = 'HIST 110: World History I';
    canvas.state.courses = canvas.state.courses.filter((course) => course.id !== 48215);
    canvas.state.courses.push({
      ...findCourse(canvas.state, 48213),
      id: 48299,
      name: 'BIO 202',
      modules: [],
    });

    const second = await post('/me/courses/refresh');
    expect(second.statusCode).toBe(200);
    expect(second.json().sync.courses).toEqual({ added: 1, updated: 1, removed: 1, unchanged: stored - 2 });
    const courses = second.json().courses;
    expect(ids(courses)).toContain(48299);
    expect(ids(courses)).not.toContain(48215);
    expect(courses.find((course: { id: number }) => course.id === 48214).name).toBe(
      'HIST 110: World History I',
    );
    expect((await get('/courses')).json().courses).toEqual(courses);
    expect((await post('/me/courses/refresh')).json().sync.courses).toMatchObject({
      added: 0,
      updated: 0,
      removed: 0,
    });
  });

  it('keeps a course that left the Canvas list while it holds a transcript', async () => {
    panopto.sessions.set(panoptoGuid(101), { kind: 'srt', body: srt(LECTURE_LINES) });
    await post('/me/courses/refresh');
    await post('/courses/48214/modules/refresh');
    await post('/items/5521002/fetch-transcript');
    await t.deps.runner.runUntilEmpty();
    expect((await get('/items/5521002')).json().status).toBe('TRANSCRIPT_READY');

    canvas.state.courses = canvas.state.courses.filter((course) => ![48214, 48215].includes(course.id));
    const refreshed = await post('/me/courses/refresh');
    expect(refreshed.json().sync.courses.removed).toBe(1);
    expect(ids(refreshed.json().courses)).toContain(48214);
    expect(ids(refreshed.json().courses)).not.toContain(48215);
  });

  it('counts modules and items on POST /courses/{id}/modules/refresh', async () => {
    await post('/me/courses/refresh');
    const first = (await post('/courses/48213/modules/refresh')).json();
    expect(first.sync).toEqual({
      modules: { added: 3, updated: 0, removed: 0, unchanged: 0 },
      items: { added: 13, updated: 0, removed: 0, unchanged: 0 },
    });

    const course = findCourse(canvas.state, 48213);
    findModule(canvas.state, 48213, 902114).name = 'Week 3 – Membranes and lipids';
    course.modules = course.modules.filter((module) => module.id !== 902115);
    course.modules.push({ id: 902116, name: 'Week 5', items: generateItems({ count: 2, firstId: 5516001 }) });

    const second = await post('/courses/48213/modules/refresh');
    expect(second.statusCode).toBe(200);
    expect(second.json().sync).toEqual({
      modules: { added: 1, updated: 1, removed: 1, unchanged: 1 },
      items: { added: 2, updated: 0, removed: 3, unchanged: 10 },
    });
    expect(ids(second.json().modules)).toEqual([902113, 902114, 902116]);
    expect((await get('/modules/902115')).statusCode).toBe(404);
  });

  it('refreshes one module on POST /modules/{id}/items/refresh, with its item counts', async () => {
    await post('/me/courses/refresh');
    await post('/courses/48213/modules/refresh');
    const week4 = findModule(canvas.state, 48213, 902115);
    const [lecture] = week4.items;
    if (!lecture) throw new Error('fixture changed');
    lecture.title = 'Lecture 4.1 – Ion channels (Panopto)';
    week4.items = week4.items.filter((item) => item.id !== 5513003);
    week4.items.push({ id: 5513009, title: 'Problem Set 4b', type: 'Assignment', content_id: 1299009 });
    // Another module's change must not be picked up by this module's refresh.
    findModule(canvas.state, 48213, 902113).items.pop();

    const response = await post('/modules/902115/items/refresh');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.sync).toEqual({ items: { added: 1, updated: 1, removed: 1, unchanged: 1 } });
    expect(ids(body.items)).toEqual([5513001, 5513002, 5513009]);
    expect(body.items[0]).toMatchObject({
      title: 'Lecture 4.1 – Ion channels (Panopto)',
      provider: 'panopto',
    });
    expect((await get('/modules/902115/items')).json().items).toEqual(body.items);
    expect((await get('/modules/902113')).json().item_count).toBe(4);
    expect((await get('/items/5513003')).statusCode).toBe(404);
  });

  it('leaves the module exactly as it was when its item refresh fails half-way', async () => {
    // Over 100 items, so Canvas leaves them out of the module and pages through them.
    findModule(canvas.state, 48213, 902114).items.push(...generateItems({ count: 150, firstId: 5519001 }));
    await post('/me/courses/refresh');
    await post('/courses/48213/modules/refresh');
    const itemsBefore = (await get('/modules/902114/items')).json();
    const moduleBefore = (await get('/modules/902114')).json();
    expect(moduleBefore.item_count).toBe(156);

    const module = findModule(canvas.state, 48213, 902114);
    module.name = 'Renamed module';
    const renamed = module.items[1];
    if (renamed) renamed.title = 'Renamed';
    module.items.splice(2, 1);
    canvas.requests.length = 0;
    canvas.failAlways(/\/modules\/902114\/items\?.*page=bookmark/, { kind: 'server-error', status: 500 });

    const failed = await post('/modules/902114/items/refresh');
    expect(failed.statusCode).toBe(502);
    expect(failed.json().error.code).toBe('canvas.unavailable');
    // The first page was read before the second failed: the failure really was half-way.
    expect(canvas.requests.some((r) => r.path.endsWith('/items') && !r.url.includes('page=bookmark'))).toBe(
      true,
    );
    expect((await get('/modules/902114/items')).json()).toEqual(itemsBefore);
    expect((await get('/modules/902114')).json()).toEqual(moduleBefore);
  });
});
