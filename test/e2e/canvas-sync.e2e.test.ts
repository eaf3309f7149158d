import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeCanvas, findModule, panoptoGuid, startFakeCanvas } from '../fakes/fake-canvas-server.ts';
import type { FakePanopto } from '../fakes/fake-panopto-server.ts';
import { type CanvasEnv, startCanvasEnv } from '../helpers/canvas-env.ts';
import { LECTURE_LINES, srt } from '../helpers/srt.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const TOKEN = 'canvas-secret-token-7f3a9c';

describe('syncing a Canvas account', () => {
  let canvas: FakeCanvas;
  let panopto: FakePanopto;
  let t: TestApp;

  let env: CanvasEnv;

  beforeEach(async () => {
    env = await startCanvasEnv(TOKEN);
    ({ canvas, panopto, t } = env);
    panopto.sessions.set(panoptoGuid(41), { kind: 'srt', body: srt(LECTURE_LINES) });
  });
  afterEach(async () => {
    await env.close();
  });

  const post = (url: string) => t.app.inject({ method: 'POST', url });
  const get = (url: string) => t.app.inject({ method: 'GET', url });

  it('stores courses, modules and items in Canvas order with their recording providers', async () => {
    const courses = await post('/me/courses/refresh');
    expect(courses.statusCode).toBe(200);
    const ids = courses.json().courses.map((c: { id: number }) => c.id);
    expect(ids).toContain(48213);
    expect(ids).not.toContain(undefined);
    expect((await get('/me/courses')).json().courses).toEqual(courses.json().courses);

    const modules = await post('/courses/48213/modules/refresh');
    expect(modules.statusCode).toBe(200);
    expect(modules.json().modules.map((m: { id: number }) => m.id)).toEqual([902113, 902114, 902115]);
    expect(modules.json().sync.items.added).toBe(13);

    const items = (await get('/modules/902115/items')).json().items;
    expect(items.map((i: { id: number; provider: string | null }) => [i.id, i.provider])).toEqual([
      [5513001, 'panopto'],
      [5513002, 'zoom'],
      [5513003, null],
    ]);
    expect((await get('/courses/48213')).json().last_synced_at).not.toBeNull();
  });

  it('fetches Panopto captions into a transcript with time markers, then writes notes', async () => {
    await post('/me/courses/refresh');
    await post('/courses/48213/modules/refresh');
    const accepted = await post('/items/5513001/fetch-transcript');
    expect(accepted.statusCode).toBe(202);
    await t.deps.runner.runUntilEmpty();

    let item = (await get('/items/5513001')).json();
    expect(item).toMatchObject({ status: 'TRANSCRIPT_READY', summary_path: null });
    const transcript = readFileSync(join(t.dataDir, 'transcripts', '5513001.txt'), 'utf8');
    expect(transcript).toMatch(/^\[00:00:00\] Good morning\./);
    expect(transcript).toContain('sodium pump');
    // DeliveryInfo first (the session's languages), then that language's caption track as JSON;
    // GenerateSRT is only the fallback for a session DeliveryInfo cannot serve.
    const guid = panoptoGuid(41);
    expect(panopto.requests).toHaveLength(2);
    expect(panopto.requests.every((r) => r.includes('/Panopto/Pages/Viewer/DeliveryInfo.aspx'))).toBe(true);
    expect(panopto.requests.every((r) => r.includes(`deliveryId=${guid}`))).toBe(true);
    expect(panopto.requests[0]).not.toContain('getCaptions=true');
    expect(panopto.requests[1]).toContain('getCaptions=true');
    expect(panopto.requests.some((r) => r.includes('GenerateSRT.ashx'))).toBe(false);

    await post('/items/5513001/summarize');
    await t.deps.runner.runUntilEmpty();
    item = (await get('/items/5513001')).json();
    expect(item.status).toBe('SUMMARY_READY');
    expect(readFileSync(item.summary_path, 'utf8')).toMatch(
      /\n## Overview\n[\s\S]*\n## \[\d{2}:\d{2}:\d{2}\]/,
    );
  });

  it('marks a Panopto session that needs a login FAILED, with a clear error', async () => {
    panopto.sessions.set(panoptoGuid(41), { kind: 'login' });
    await post('/me/courses/refresh');
    await post('/courses/48213/modules/refresh');
    await post('/items/5513001/fetch-transcript');
    await t.deps.runner.runUntilEmpty();
    const item = (await get('/items/5513001')).json();
    expect(item).toMatchObject({
      status: 'FAILED',
      error_code: 'panopto.login_required',
      transcript_path: null,
    });
    expect(existsSync(join(t.dataDir, 'transcripts', '5513001.txt'))).toBe(false);
  });

  it('keeps statuses and notes of items that remain, and removes items gone from Canvas', async () => {
    await post('/me/courses/refresh');
    await post('/courses/48213/modules/refresh');
    await post('/items/5513001/fetch-transcript');
    await t.deps.runner.runUntilEmpty();

    const week4 = findModule(canvas.state, 48213, 902115);
    const lecture = week4.items.find((item) => item.id === 5513001);
    if (!lecture) throw new Error('fixture changed');
    lecture.title = 'Lecture 4.1 – Ion channels (Panopto)';
    week4.items = week4.items.filter((item) => item.id !== 5513003);
    week4.items.push({ id: 5513009, title: 'Problem Set 4b', type: 'Assignment', content_id: 1299009 });

    const second = await post('/courses/48213/modules/refresh');
    expect(second.statusCode).toBe(200);
    expect(second.json().sync.items).toEqual({ added: 1, updated: 1, removed: 1, unchanged: 11 });
    const item = (await get('/items/5513001')).json();
    expect(item).toMatchObject({ title: 'Lecture 4.1 – Ion channels (Panopto)', status: 'TRANSCRIPT_READY' });
    expect(item.transcript_path).not.toBeNull();
    expect((await get('/items/5513003')).statusCode).toBe(404);
    expect((await get('/items/5513009')).json().status).toBe('DISCOVERED');
  });

  it('leaves the cache exactly as it was when a refresh fails half-way', async () => {
    canvas.settings.inlineItemsThreshold = 3;
    await post('/me/courses/refresh');
    await post('/courses/48213/modules/refresh');
    const before = (await get('/modules/902114/items')).json();
    const modulesBefore = (await get('/courses/48213/modules')).json();

    findModule(canvas.state, 48213, 902113).items.pop();
    const renamed = findModule(canvas.state, 48213, 902114).items[1];
    if (renamed) renamed.title = 'Renamed';
    canvas.failAlways(/\/modules\/902114\/items/, { kind: 'server-error', status: 500 });

    const failed = await post('/courses/48213/modules/refresh');
    expect(failed.statusCode).toBe(502);
    expect(failed.json().error.code).toBe('canvas.unavailable');
    expect((await get('/modules/902114/items')).json()).toEqual(before);
    expect((await get('/courses/48213/modules')).json()).toEqual(modulesBefore);
    expect((await get('/modules/902113/items')).json().items).toHaveLength(4);
  });

  // The requests that read the course's structure; the rest are content discovery.
  const STRUCTURE_KINDS = new Set(['courses', 'course', 'modules', 'module', 'module_items']);
  const structureRequests = () => canvas.requests.filter((r) => STRUCTURE_KINDS.has(r.kind));
  const discoveryRequests = () => canvas.requests.filter((r) => !STRUCTURE_KINDS.has(r.kind));
  /** The fixture's File items point at files the fake does not hold; give them their metadata. */
  const addFixtureFiles = () => {
    for (const [id, name] of [
      [771201, 'Slides_Week1.pdf'],
      [771234, 'Slides_Week3.pdf'],
    ] as const) {
      canvas.content.addFile(48213, {
        id,
        display_name: name,
        content_type: 'application/pdf',
        content: '%PDF',
      });
    }
  };

  it('uses no more Canvas requests than the minimum for a full sync', async () => {
    canvas.settings.inlineItemsThreshold = 3;
    addFixtureFiles();
    await post('/me/courses/refresh');
    canvas.requests.length = 0;
    await post('/courses/48213/modules/refresh');
    // One modules page (fewer than 100 modules) plus one items call per module whose items were
    // left out: weeks 1 and 3 have more than three items, week 4 has exactly three.
    expect(structureRequests().map((r) => r.path)).toEqual(
      expect.arrayContaining([
        '/api/v1/courses/48213/modules',
        '/api/v1/courses/48213/modules/902113/items',
        '/api/v1/courses/48213/modules/902114/items',
      ]),
    );
    expect(structureRequests()).toHaveLength(3);
    // Content discovery: one read per Page or File item (two of each), and nothing else.
    expect(
      discoveryRequests()
        .map((r) => r.path)
        .sort(),
    ).toEqual([
      '/api/v1/courses/48213/files/771201',
      '/api/v1/courses/48213/files/771234',
      '/api/v1/courses/48213/pages/course-overview',
      '/api/v1/courses/48213/pages/week-3-lecture-notes',
    ]);
  });

  it('reads no page or file again on a re-sync with nothing changed, only the Pages index', async () => {
    canvas.settings.inlineItemsThreshold = 3;
    addFixtureFiles();
    await post('/me/courses/refresh');
    await post('/courses/48213/modules/refresh');
    canvas.requests.length = 0;
    const again = await post('/courses/48213/modules/refresh');
    expect(again.json().sync.items).toEqual({ added: 0, updated: 0, removed: 0, unchanged: 13 });
    expect(structureRequests()).toHaveLength(3);
    expect(discoveryRequests().map((r) => r.path)).toEqual(['/api/v1/courses/48213/pages']);
    expect(canvas.count('page')).toBe(0);
    expect(canvas.count('file')).toBe(0);
    // What the first sync found is kept: the page embedding lecture 3.1 still names it.
    expect((await get('/items/5512004')).json().provider).toBe('panopto');
  });

  it('makes one job of two triggers of the same action', async () => {
    await post('/me/courses/refresh');
    await post('/courses/48213/modules/refresh');
    const first = (await post('/items/5513001/summarize')).json().job;
    const second = (await post('/items/5513001/summarize')).json().job;
    expect(second.id).toBe(first.id);
    expect((await get('/items/5513001')).json().job).toMatchObject({ id: first.id, state: 'queued' });
  });
});

describe('Canvas failures', () => {
  let canvas: FakeCanvas;
  let t: TestApp;
  afterEach(async () => {
    await t.close();
    await canvas.close();
  });

  it('answers 502 canvas.unauthorized for a rejected token, never echoing it', async () => {
    canvas = await startFakeCanvas({ token: 'the-right-token' });
    const wrong = 'wrong-token-d41d8cd98f';
    t = await createTestApp({ config: { demo: false, canvas: { baseUrl: canvas.baseUrl, token: wrong } } });
    const response = await t.app.inject({ method: 'POST', url: '/me/courses/refresh' });
    expect(response.statusCode).toBe(502);
    expect(response.json().error.code).toBe('canvas.unauthorized');
    expect(response.json().error.message).toMatch(/CANVAS_TOKEN/);
    expect(canvas.requests).toHaveLength(1);
    expect(canvas.requests[0]?.authorization).toBe(`Bearer ${wrong}`);
    expect(response.body).not.toContain(wrong);
    expect(t.logs.length).toBeGreaterThan(0);
    expect(t.logs.join('\n')).not.toContain(wrong);
  });

  it('answers 502 canvas.rate_limited with Retry-After when Canvas keeps throttling', async () => {
    canvas = await startFakeCanvas({ token: 'tok' });
    canvas.failAlways('/api/v1/courses', { kind: 'too-many-requests', retryAfterSeconds: 120 });
    t = await createTestApp({ config: { demo: false, canvas: { baseUrl: canvas.baseUrl, token: 'tok' } } });
    const response = await t.app.inject({ method: 'POST', url: '/me/courses/refresh' });
    expect(response.statusCode).toBe(502);
    expect(response.json().error.code).toBe('canvas.rate_limited');
    expect(response.headers['retry-after']).toBe('120');
  });

  it('answers 502 or 504 with its own code when Canvas cannot be reached', async () => {
    canvas = await startFakeCanvas();
    const baseUrl = canvas.baseUrl;
    await canvas.close();
    t = await createTestApp({ config: { demo: false, canvas: { baseUrl, token: 'x' } } });
    const response = await t.app.inject({ method: 'POST', url: '/me/courses/refresh' });
    expect([502, 504]).toContain(response.statusCode);
    expect(response.json().error.code).toMatch(/^canvas\.(unavailable|timeout)$/);
    canvas = await startFakeCanvas();
  });
});
