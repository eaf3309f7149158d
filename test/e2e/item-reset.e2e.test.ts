import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_RECORDINGS } from '../../src/demo/demo-transcripts.ts';
import { createFakeFetch } from '../../src/transcripts/providers/fake.provider.ts';
import { syncDemo } from '../helpers/demo-account.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { waitFor } from '../helpers/wait-for.ts';

describe('POST /items/{id}/reset', () => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  const start = async (options: Parameters<typeof createTestApp>[0] = {}) => {
    t = await createTestApp(options);
    await syncDemo(t.app, [101, 102]);
  };
  const post = (url: string) => t.app.inject({ method: 'POST', url });
  const get = (url: string) => t.app.inject({ method: 'GET', url });
  // The transcript, its cues and the notes.
  const files = () => [
    join(t.dataDir, 'transcripts', '10001.txt'),
    join(t.dataDir, 'transcripts', '10001.json'),
    join(t.dataDir, 'summaries', '10001.md'),
  ];

  it('forgets the transcript and notes, files and records, and returns the item DISCOVERED', async () => {
    await start();
    await post('/items/10001/summarize');
    await t.deps.runner.runUntilEmpty();
    expect(files().map(existsSync)).toEqual([true, true, true]);
    const before = (await get('/items/10001')).json();
    expect(before.media_sources.map((source: { status: string }) => source.status)).toEqual(['ready']);

    const response = await post('/items/10001/reset');
    expect(response.statusCode).toBe(200);
    const item = response.json();
    expect(item).toEqual({
      ...before,
      status: 'DISCOVERED',
      transcript_path: null,
      summary_path: null,
      job: null,
      artifacts: [],
      // The recording is still there, as found at sync, with no outcome yet.
      media_sources: before.media_sources.map((source: object) => ({
        ...source,
        status: 'found',
        error_code: null,
        error: null,
      })),
      updated_at: expect.any(String),
    });
    expect((await get('/items/10001')).json()).toEqual(item);
    expect(files().map(existsSync)).toEqual([false, false, false]);
    expect((await get('/items/10001/artifacts')).json()).toEqual({ artifacts: [] });
    expect((await get('/items/10001/transcript')).json().error.code).toBe('transcript.not_ready');
    expect((await get('/items/10001/summary')).json().error.code).toBe('summary.not_ready');

    await post('/items/10001/summarize');
    await t.deps.runner.runUntilEmpty();
    expect((await get('/items/10001')).json().status).toBe('SUMMARY_READY');
  });

  it('clears the error of a FAILED item', async () => {
    await start();
    await post('/items/20002/fetch-transcript');
    await t.deps.runner.runUntilEmpty();
    expect((await get('/items/20002')).json()).toMatchObject({
      status: 'FAILED',
      error_code: expect.any(String),
    });

    expect((await get('/items/20002')).json().media_sources).toMatchObject([
      { provider: 'zoom', status: 'failed', error_code: 'zoom.credentials_required' },
    ]);

    const item = (await post('/items/20002/reset')).json();
    expect(item).toMatchObject({ status: 'DISCOVERED', error: null, error_code: null, job: null });
    expect(item.media_sources).toMatchObject([
      { provider: 'zoom', status: 'found', error_code: null, error: null },
    ]);
  });

  it('succeeds when the files are already gone from the data folder', async () => {
    await start();
    await post('/items/10001/summarize');
    await t.deps.runner.runUntilEmpty();
    for (const file of files()) rmSync(file);

    const response = await post('/items/10001/reset');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'DISCOVERED',
      transcript_path: null,
      summary_path: null,
    });
  });

  it('cancels a job still queued for the item, so nothing is fetched afterwards', async () => {
    await start();
    const queued = (await post('/items/10001/summarize')).json().job;
    expect(queued.state).toBe('queued');

    const response = await post('/items/10001/reset');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'DISCOVERED', job: null });
    expect(t.deps.repositories.jobs.get(queued.id)?.state).toBe('cancelled');

    await t.deps.runner.runUntilEmpty();
    expect((await get('/items/10001')).json()).toMatchObject({ status: 'DISCOVERED', transcript_path: null });
    expect(files().map(existsSync)).toEqual([false, false, false]);
  });

  it('refuses a reset or an upload with 409 item.job_running while a job runs for the item, and changes nothing', async () => {
    // Once `slow`, a transcript fetch takes long enough to be caught running; closing the app aborts it.
    let slow = false;
    await start({
      overrides: {
        providerFetches: {
          panopto: {
            fetch: (ref, context) =>
              createFakeFetch(DEMO_RECORDINGS, { delayMs: slow ? 30_000 : 0 }).fetch(ref, context),
          },
        },
      },
    });
    await post('/items/10001/summarize');
    await t.deps.runner.runUntilEmpty();
    const summarized = (await get('/items/10001')).json();
    expect(summarized.status).toBe('SUMMARY_READY');

    slow = true;
    await post('/items/10001/fetch-transcript?force=true');
    t.deps.runner.start();
    const running = await waitFor(
      async () => {
        const job = (await get('/items/10001')).json().job;
        return job?.state === 'running' ? job : undefined;
      },
      { what: 'the fetch job to run' },
    );

    const response = await post('/items/10001/reset');
    expect(response.statusCode).toBe(409);
    expect(response.json()).toEqual({
      error: { code: 'item.job_running', message: expect.stringContaining(String(running.id)) },
    });
    // An upload is refused the same way: the running job would record over it.
    const upload = await t.app.inject({
      method: 'PUT',
      url: '/items/10001/transcript',
      payload: 'A transcript typed up by hand.',
      headers: { 'content-type': 'text/plain' },
    });
    expect(upload.statusCode).toBe(409);
    expect(upload.json().error.code).toBe('item.job_running');
    const after = (await get('/items/10001')).json();
    expect(after).toEqual({
      ...summarized,
      job: expect.objectContaining({ id: running.id, state: 'running' }),
    });
    expect(files().map(existsSync)).toEqual([true, true, true]);
  });
});
