import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findCourse, findModule, panoptoGuid } from '../fakes/fake-canvas-server.ts';
import { type CanvasEnv, startCanvasEnv } from '../helpers/canvas-env.ts';
import { LECTURE_LINES, srt } from '../helpers/srt.ts';
import { waitFor } from '../helpers/wait-for.ts';

const TOKEN = 'sync-integrity-token';
const BIO = 48213;
const WEEK3 = 902114;
const WEEK4 = 902115;
const LECTURE = 5513001;

describe('the cache stays consistent when Canvas changes under running work', () => {
  let env: CanvasEnv;
  beforeEach(async () => {
    env = await startCanvasEnv(TOKEN);
    env.panopto.sessions.set(panoptoGuid(41), { kind: 'srt', body: srt(LECTURE_LINES) });
    await env.t.app.inject({ method: 'POST', url: '/me/courses/refresh' });
    await env.t.app.inject({ method: 'POST', url: `/courses/${BIO}/modules/refresh` });
  });
  afterEach(async () => {
    await env.close();
  });

  const post = (url: string) => env.t.app.inject({ method: 'POST', url });
  const get = (url: string) => env.t.app.inject({ method: 'GET', url });
  const fetchTranscript = async () => {
    await post(`/items/${LECTURE}/fetch-transcript`);
    await env.t.deps.runner.runUntilEmpty();
  };

  it('cancels the running job of an item a refresh removes, keeps the job, and leaves no file', async () => {
    env.panopto.sessions.set(panoptoGuid(41), { kind: 'slow', ms: 1_500, body: srt(LECTURE_LINES) });
    const job = (await post(`/items/${LECTURE}/fetch-transcript`)).json().job;
    env.t.deps.runner.start();
    await waitFor(async () => ((await get(`/jobs/${job.id}`)).json().state === 'running' ? true : undefined));

    const week4 = findModule(env.canvas.state, BIO, WEEK4);
    week4.items = week4.items.filter((item) => item.id !== LECTURE);
    expect((await post(`/courses/${BIO}/modules/refresh`)).json().sync.items.removed).toBe(1);

    const finished = await waitFor(async () => {
      const current = (await get(`/jobs/${job.id}`)).json();
      return current.state === 'running' ? undefined : current;
    });
    expect(finished).toMatchObject({ id: job.id, state: 'cancelled', item_id: null });
    expect((await get(`/items/${LECTURE}`)).statusCode).toBe(404);
    expect(existsSync(join(env.t.dataDir, 'transcripts', `${LECTURE}.txt`))).toBe(false);
    expect(existsSync(join(env.t.dataDir, 'transcripts', `${LECTURE}.json`))).toBe(false);
  });

  it('cancels, not fails, a summarize job waiting on the fetch of an item a refresh removes', async () => {
    env.panopto.sessions.set(panoptoGuid(41), { kind: 'slow', ms: 1_500, body: srt(LECTURE_LINES) });
    const fetch = (await post(`/items/${LECTURE}/fetch-transcript`)).json().job;
    const summarize = (await post(`/items/${LECTURE}/summarize`)).json().job;
    env.t.deps.runner.start();
    const state = async (id: number) => (await get(`/jobs/${id}`)).json().state;
    await waitFor(
      async () => (await state(fetch.id)) === 'running' && (await state(summarize.id)) === 'running',
    );

    const week4 = findModule(env.canvas.state, BIO, WEEK4);
    week4.items = week4.items.filter((item) => item.id !== LECTURE);
    await post(`/courses/${BIO}/modules/refresh`);

    for (const id of [fetch.id, summarize.id]) {
      await waitFor(async () => (await state(id)) !== 'running', { what: `job ${id} to finish` });
      expect((await get(`/jobs/${id}`)).json()).toMatchObject({ state: 'cancelled', item_id: null });
    }
  });

  it('keeps the notes of an item that moved to another module, whichever refresh sees it first', async () => {
    await fetchTranscript();
    const week3 = findModule(env.canvas.state, BIO, WEEK3);
    const week4 = findModule(env.canvas.state, BIO, WEEK4);
    const lecture = week4.items.find((item) => item.id === LECTURE);
    if (!lecture) throw new Error('fixture changed');
    week4.items = week4.items.filter((item) => item.id !== LECTURE);
    week3.items.push(lecture);

    // Refreshing the module it left first must not delete it and its transcript...
    const left = (await post(`/modules/${WEEK4}/items/refresh`)).json();
    expect(left.items.map((item: { id: number }) => item.id)).toContain(LECTURE);
    expect((await get(`/items/${LECTURE}`)).json()).toMatchObject({
      status: 'TRANSCRIPT_READY',
      module_id: WEEK4,
    });
    // ...and the course refresh moves it, keeping its status and file.
    await post(`/courses/${BIO}/modules/refresh`);
    const moved = (await get(`/items/${LECTURE}`)).json();
    expect(moved).toMatchObject({ status: 'TRANSCRIPT_READY', module_id: WEEK3 });
    expect(existsSync(moved.transcript_path)).toBe(true);
  });

  it('keeps an item that moved out of a module Canvas deleted', async () => {
    await fetchTranscript();
    const course = findCourse(env.canvas.state, BIO);
    const week4 = findModule(env.canvas.state, BIO, WEEK4);
    const lecture = week4.items.find((item) => item.id === LECTURE);
    if (!lecture) throw new Error('fixture changed');
    findModule(env.canvas.state, BIO, WEEK3).items.push(lecture);
    course.modules = course.modules.filter((module) => module.id !== WEEK4);

    const refresh = (await post(`/courses/${BIO}/modules/refresh`)).json();
    expect(refresh.sync.modules.removed).toBe(1);
    expect((await get(`/items/${LECTURE}`)).json()).toMatchObject({
      status: 'TRANSCRIPT_READY',
      module_id: WEEK3,
    });
  });

  it('treats a changed recording link as new work and fetches the new captions', async () => {
    await fetchTranscript();
    const lecture = findModule(env.canvas.state, BIO, WEEK4).items.find((item) => item.id === LECTURE);
    if (!lecture?.external_url) throw new Error('fixture changed');
    lecture.external_url = lecture.external_url.replace(panoptoGuid(41), panoptoGuid(42));
    env.panopto.sessions.set(panoptoGuid(42), { kind: 'srt', body: srt(['A different lecture on axons.']) });

    await post(`/courses/${BIO}/modules/refresh`);
    expect((await get(`/items/${LECTURE}`)).json().status).toBe('DISCOVERED');
    await fetchTranscript();
    const item = (await get(`/items/${LECTURE}`)).json();
    expect(item.status).toBe('TRANSCRIPT_READY');
    expect(readFileSync(item.transcript_path, 'utf8')).toContain('axons');
  });

  it('marks an item FAILED when its new recording cannot be fetched, and bulk actions do not skip it', async () => {
    await fetchTranscript();
    const lecture = findModule(env.canvas.state, BIO, WEEK4).items.find((item) => item.id === LECTURE);
    if (!lecture?.external_url) throw new Error('fixture changed');
    lecture.external_url = lecture.external_url.replace(panoptoGuid(41), panoptoGuid(43));
    env.panopto.sessions.set(panoptoGuid(43), { kind: 'login' });
    await post(`/courses/${BIO}/modules/refresh`);

    const bulk = (await post(`/modules/${WEEK4}/fetch-transcript`)).json();
    expect(bulk.jobs.map((job: { item_id: number }) => job.item_id)).toContain(LECTURE);
    await env.t.deps.runner.runUntilEmpty();
    const item = (await get(`/items/${LECTURE}`)).json();
    expect(item).toMatchObject({ status: 'FAILED', error_code: 'panopto.login_required' });
    expect((await get('/items?status=FAILED')).json().items.map((i: { id: number }) => i.id)).toContain(
      LECTURE,
    );
  });

  it('fetches again when the transcript file no longer matches its record', async () => {
    await fetchTranscript();
    const path = (await get(`/items/${LECTURE}`)).json().transcript_path;
    writeFileSync(path, 'half a transcr');
    await post(`/items/${LECTURE}/summarize`);
    await env.t.deps.runner.runUntilEmpty();
    expect(readFileSync(path, 'utf8')).toContain('sodium pump');
    expect((await get(`/items/${LECTURE}`)).json().status).toBe('SUMMARY_READY');
  });

  it('keeps a done item listed as done when a forced refetch fails, recording the error', async () => {
    await fetchTranscript();
    env.panopto.sessions.set(panoptoGuid(41), { kind: 'login' });
    await post(`/items/${LECTURE}/fetch-transcript?force=true`);
    await env.t.deps.runner.runUntilEmpty();
    const item = (await get(`/items/${LECTURE}`)).json();
    expect(item).toMatchObject({ status: 'TRANSCRIPT_READY', error_code: 'panopto.login_required' });
    expect(readFileSync(item.transcript_path, 'utf8')).toContain('sodium pump');
  });

  it('answers 404, not 500, when a concurrent refresh removed the module being refreshed', async () => {
    env.canvas.failNext(new RegExp(`/modules/${WEEK4}`), { kind: 'delay', ms: 2_000 });
    const slow = post(`/modules/${WEEK4}/items/refresh`);
    // Once Canvas holds the module request, the refresh has read the module and is fetching.
    await waitFor(() => env.canvas.requests.some((request) => request.path.includes(`/modules/${WEEK4}`)));
    // The course drops out of the user's list (Canvas still answers the module request).
    findCourse(env.canvas.state, BIO).restrictedByDate = true;
    expect((await post('/me/courses/refresh')).json().sync.courses.removed).toBe(1);

    const response = await slow;
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('module.not_found');
  });
});

describe('a refresh that removes an item with a running job', () => {
  it('aborts the job at once rather than at its next heartbeat', async () => {
    // Heartbeats far apart: only the refresh telling the runner can stop the job quickly.
    const env = await startCanvasEnv(TOKEN, undefined, {
      runner: { pollIntervalMs: 10, heartbeatMs: 60_000, leaseMs: 180_000, retryBaseMs: 5 },
    });
    try {
      env.panopto.sessions.set(panoptoGuid(41), { kind: 'slow', ms: 30_000, body: srt(LECTURE_LINES) });
      await env.t.app.inject({ method: 'POST', url: '/me/courses/refresh' });
      await env.t.app.inject({ method: 'POST', url: `/courses/${BIO}/modules/refresh` });
      const job = (
        await env.t.app.inject({ method: 'POST', url: `/items/${LECTURE}/fetch-transcript` })
      ).json().job;
      env.t.deps.runner.start();
      const state = async () =>
        (await env.t.app.inject({ method: 'GET', url: `/jobs/${job.id}` })).json().state;
      await waitFor(async () => (await state()) === 'running');

      const week4 = findModule(env.canvas.state, BIO, WEEK4);
      week4.items = week4.items.filter((item) => item.id !== LECTURE);
      await env.t.app.inject({ method: 'POST', url: `/courses/${BIO}/modules/refresh` });
      await waitFor(async () => ((await state()) === 'cancelled' ? true : undefined), { timeoutMs: 10_000 });
    } finally {
      await env.close();
    }
  });
});
