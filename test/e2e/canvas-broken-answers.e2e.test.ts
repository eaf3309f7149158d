import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  buildFixture,
  type FakeCanvas,
  type FakeCanvasFault,
  type FakeCanvasRequest,
  findCourse,
  findModule,
  panoptoGuid,
  startFakeCanvas,
} from '../fakes/fake-canvas-server.ts';
import { type FakePanopto, startFakePanopto } from '../fakes/fake-panopto-server.ts';
import { snapshotCache } from '../helpers/cache-snapshot.ts';
import { LECTURE_LINES, srt } from '../helpers/srt.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * Canvas (or the network in front of it) answering badly in the middle of a refresh, after a
 * clean first sync: every case answers its own error, leaves every cached row and file as it
 * was, and the next clean refresh works.
 */

const TOKEN = 'broken-answers-token';
const BIO = 48213;
const WEEK1 = 902113;
const WEEK3 = 902114;
const WEEK4 = 902115;
const LECTURE = 5513001;
const TIMEOUT_MS = 250;

const LOGIN_PAGE =
  '<!DOCTYPE html><html><head><title>Log In to Canvas</title></head><body><form>secret-form</form></body></html>';
const PROXY_PAGE = '<html><body><h1>502 Bad Gateway</h1><p>nginx-proxy-page</p></body></html>';
const TRUNCATED_JSON = '[{"id":5512001,"title":"Lecture recor';

const FAULTS: Array<{ name: string; fault: FakeCanvasFault; status: number; code: string }> = [
  {
    name: 'does not answer within the timeout',
    fault: { kind: 'delay', ms: 3_000 },
    status: 504,
    code: 'canvas.timeout',
  },
  {
    name: 'closes the connection mid-body',
    fault: { kind: 'truncate-body', bytes: 20 },
    status: 502,
    code: 'canvas.unavailable',
  },
  {
    name: 'sends a complete answer of truncated JSON',
    fault: {
      kind: 'respond',
      status: 200,
      body: TRUNCATED_JSON,
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': String(Buffer.byteLength(TRUNCATED_JSON)),
      },
    },
    status: 502,
    code: 'canvas.bad_response',
  },
  {
    name: 'answers 200 with an HTML login page',
    fault: { kind: 'respond', status: 200, body: LOGIN_PAGE, headers: { 'Content-Type': 'text/html' } },
    status: 502,
    code: 'canvas.bad_response',
  },
  {
    name: 'answers 502 with an HTML proxy page',
    fault: { kind: 'respond', status: 502, body: PROXY_PAGE, headers: { 'Content-Type': 'text/html' } },
    status: 502,
    code: 'canvas.unavailable',
  },
];

describe('Canvas answering badly during a refresh', () => {
  let canvas: FakeCanvas;
  let panopto: FakePanopto;
  let t: TestApp;

  const post = (url: string) => t.app.inject({ method: 'POST', url });
  const get = (url: string) => t.app.inject({ method: 'GET', url });
  const transcriptFiles = () => {
    const dir = join(t.dataDir, 'transcripts');
    return Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')]));
  };

  beforeEach(async () => {
    panopto = await startFakePanopto();
    panopto.sessions.set(panoptoGuid(41), { kind: 'srt', body: srt(LECTURE_LINES) });
    canvas = await startFakeCanvas({
      token: TOKEN,
      inlineItemsThreshold: 3,
      state: buildFixture({ panoptoOrigin: panopto.origin }),
    });
    // One retry, to keep the timeout case short; retries themselves are the client's tests.
    t = await createTestApp({
      config: { demo: false, canvas: { baseUrl: canvas.baseUrl, token: TOKEN, timeoutMs: TIMEOUT_MS } },
      overrides: { canvasClient: { maxRetries: 1, retryBaseDelayMs: 2, maxRetryDelayMs: 20 } },
    });
    expect((await post('/me/courses/refresh')).statusCode).toBe(200);
    expect((await post(`/courses/${BIO}/modules/refresh`)).statusCode).toBe(200);
    await post(`/items/${LECTURE}/fetch-transcript`);
    await t.deps.runner.runUntilEmpty();
    expect((await get(`/items/${LECTURE}`)).json().status).toBe('TRANSCRIPT_READY');
  });
  afterEach(async () => {
    await t.close();
    await canvas.close();
    await panopto.close();
  });

  it.each(FAULTS)('when Canvas $name: answers $code and keeps the cache as it was', async (c) => {
    const before = await snapshotCache(t.app, [BIO]);
    // The snapshot holds the fetched transcript, so losing it would show.
    expect(JSON.stringify(before)).toContain('ion channels in the membrane');
    const filesBefore = transcriptFiles();
    // Canvas changed meanwhile, so any part of the refresh written before the fault would show:
    // a renamed course and item, and the lecture with the transcript gone.
    findCourse(canvas.state, BIO).name = 'Renamed course';
    const renamed = findModule(canvas.state, BIO, WEEK1).items[1];
    if (renamed) renamed.title = 'Renamed item';
    const week4 = findModule(canvas.state, BIO, WEEK4);
    week4.items = week4.items.filter((item) => item.id !== LECTURE);
    // The course list itself; and, for the course, a module read after others succeeded.
    const faulty = (request: FakeCanvasRequest) =>
      request.path === '/api/v1/courses' || request.path === `/api/v1/courses/${BIO}/modules/${WEEK3}/items`;
    canvas.failAlways(faulty, c.fault);

    for (const url of ['/me/courses/refresh', `/courses/${BIO}/modules/refresh`]) {
      const response = await post(url);
      expect(response.statusCode, url).toBe(c.status);
      expect(response.json().error.code, url).toBe(c.code);
      expect(response.json().error.message, url).toMatch(/Canvas/);
      // A body we could not use is never echoed back.
      expect(response.body).not.toMatch(/secret-form|nginx-proxy-page|Lecture recor/);
    }
    expect(canvas.requests.some(faulty)).toBe(true);

    expect(await snapshotCache(t.app, [BIO])).toEqual(before);
    expect(transcriptFiles()).toEqual(filesBefore);
    const health = await get('/health');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok', database: 'ok' });

    canvas.clearFaults();
    expect((await post('/me/courses/refresh')).statusCode).toBe(200);
    const again = await post(`/courses/${BIO}/modules/refresh`);
    expect(again.statusCode).toBe(200);
    expect(again.json().sync.items.removed).toBe(1);
    expect((await get(`/courses/${BIO}`)).json().name).toBe('Renamed course');
    expect((await get(`/items/${renamed?.id}`)).json().title).toBe('Renamed item');
    expect((await get(`/items/${LECTURE}`)).statusCode).toBe(404);
  });
});
