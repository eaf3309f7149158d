import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

describe('the built-in demo account', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('says it runs in demo mode on /health', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ok', mode: 'demo', demo: true, database: 'ok' });
  });

  it('goes from an empty cache to Markdown notes through the API alone', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/me/courses' })).json()).toEqual({ courses: [] });

    const courses = await t.app.inject({ method: 'POST', url: '/me/courses/refresh' });
    expect(courses.statusCode).toBe(200);
    expect(courses.json().courses.map((c: { id: number }) => c.id)).toContain(101);
    expect(courses.json().sync.courses.added).toBe(courses.json().courses.length);

    const modules = await t.app.inject({ method: 'POST', url: '/courses/101/modules/refresh' });
    expect(modules.statusCode).toBe(200);
    expect(modules.json().modules[0]).toMatchObject({ id: 1001, course_id: 101, position: 1 });

    const items = (await t.app.inject({ method: 'GET', url: '/modules/1001/items' })).json().items;
    const lecture = items.find((item: { id: number }) => item.id === 10001);
    expect(lecture).toMatchObject({ provider: 'panopto', status: 'DISCOVERED', transcript_path: null });
    expect(items.map((item: { position: number }) => item.position)).toEqual([1, 2, 3, 4, 5, 6]);
    // Discovery at sync: a reading page, a PDF reading and a page embedding a Panopto lecture.
    expect(items.map((item: { id: number; provider: string | null }) => [item.id, item.provider])).toEqual([
      [10000, null],
      [10001, 'panopto'],
      [10002, 'reading'],
      [10003, 'reading'],
      [10004, null],
      [10005, 'panopto'],
    ]);

    const accepted = await t.app.inject({ method: 'POST', url: '/items/10001/summarize' });
    expect(accepted.statusCode).toBe(202);
    expect(accepted.json().job).toMatchObject({ item_id: 10001, kind: 'summarize', state: 'queued' });

    await t.deps.runner.runUntilEmpty();

    const item = (await t.app.inject({ method: 'GET', url: '/items/10001' })).json();
    expect(item).toMatchObject({ status: 'SUMMARY_READY', error: null, job: null });
    expect(item.transcript_path).toBe(join(t.dataDir, 'transcripts', '10001.txt'));
    expect(item.summary_path).toBe(join(t.dataDir, 'summaries', '10001.md'));
    const transcript = readFileSync(item.transcript_path, 'utf8');
    expect(transcript).toMatch(/^\[00:00:0\d\]/);
    expect(transcript).toContain('phospholipid');
    const notes = readFileSync(item.summary_path, 'utf8');
    expect(notes).toMatch(/^# /);
    expect(notes).toContain('\n## Key terms\n');
  });

  it('marks a Zoom share link FAILED with a clear error', async () => {
    await t.app.inject({ method: 'POST', url: '/me/courses/refresh' });
    await t.app.inject({ method: 'POST', url: '/courses/102/modules/refresh' });
    const accepted = await t.app.inject({ method: 'POST', url: '/items/20002/fetch-transcript' });
    expect(accepted.statusCode).toBe(202);
    await t.deps.runner.runUntilEmpty();
    const item = (await t.app.inject({ method: 'GET', url: '/items/20002' })).json();
    expect(item).toMatchObject({
      provider: 'zoom',
      status: 'FAILED',
      error_code: 'zoom.credentials_required',
    });
    expect(item.error).toMatch(/Zoom/);
    expect(item.error).toMatch(/ZOOM_ACCOUNT_ID/);
    const job = (await t.app.inject({ method: 'GET', url: '/items/20002' })).json().job;
    expect(job).toBeNull();
  });

  it('says why the course-wide Panopto LTI link names no recording, and bulk actions skip it', async () => {
    await t.app.inject({ method: 'POST', url: '/me/courses/refresh' });
    await t.app.inject({ method: 'POST', url: '/courses/103/modules/refresh' });
    const item = (await t.app.inject({ method: 'GET', url: '/items/30002' })).json();
    expect(item).toMatchObject({
      provider: null,
      status: 'DISCOVERED',
      error_code: 'panopto.no_session_id',
      media_sources: [],
    });
    expect(item.error).toMatch(/course-wide Panopto link/);

    const bulk = await t.app.inject({ method: 'POST', url: '/courses/103/fetch-transcript' });
    expect(bulk.statusCode).toBe(202);
    expect(bulk.json().jobs.map((job: { item_id: number }) => job.item_id)).toEqual([30001]);
    expect(bulk.json().skipped).toEqual([{ item_id: 30002, reason: 'no_transcript_source' }]);

    const single = await t.app.inject({ method: 'POST', url: '/items/30002/fetch-transcript' });
    expect(single.statusCode).toBe(422);
    expect(single.json().error).toEqual({ code: 'transcript.no_source', message: item.error });
  });

  it('refuses to fetch a transcript for an item that links to no recording', async () => {
    await t.app.inject({ method: 'POST', url: '/me/courses/refresh' });
    await t.app.inject({ method: 'POST', url: '/courses/101/modules/refresh' });
    const response = await t.app.inject({ method: 'POST', url: '/items/10004/fetch-transcript' });
    expect(response.statusCode).toBe(422);
    expect(response.json()).toEqual({ error: { code: 'transcript.no_source', message: expect.any(String) } });
  });
});
