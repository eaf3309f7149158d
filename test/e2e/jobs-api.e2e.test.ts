import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeSummarizer } from '../../src/summarize/fake.summarizer.ts';
import { type JobsEnv, startJobsEnv } from '../helpers/jobs-env.ts';
import { COURSE_ID } from '../helpers/lecture-course.ts';

type Job = { id: number; item_id: number; kind: string; state: string; attempts: number };

describe('the jobs API', () => {
  let env: JobsEnv;
  beforeEach(async () => {
    env = await startJobsEnv({ lectures: 3, overrides: () => ({ summarizer: createFakeSummarizer() }) });
  });
  afterEach(async () => {
    await env.close();
  });

  const lecture = (index: number) => env.course.lectureIds[index] ?? 0;

  it('lists jobs newest first, filtered by state, kind, item and course, one page at a time', async () => {
    const first = (await env.post(`/items/${lecture(0)}/fetch-transcript`)).json().job as Job;
    const second = (await env.post(`/items/${lecture(1)}/summarize`)).json().job as Job;
    const third = (await env.post(`/items/${lecture(2)}/fetch-transcript`)).json().job as Job;

    const all = (await env.get('/jobs')).json();
    expect(all).toMatchObject({ total: 3, limit: 50, offset: 0 });
    expect(all.jobs.map((job: Job) => job.id)).toEqual([third.id, second.id, first.id]);

    const page = (await env.get('/jobs?limit=1&offset=1')).json();
    expect(page).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(page.jobs.map((job: Job) => job.id)).toEqual([second.id]);

    const ids = async (query: string) =>
      (await env.get(`/jobs?${query}`)).json().jobs.map((job: Job) => job.id);
    expect(await ids('kind=fetch_transcript')).toEqual([third.id, first.id]);
    expect(await ids(`item_id=${lecture(1)}`)).toEqual([second.id]);
    expect(await ids(`course_id=${COURSE_ID}&kind=summarize`)).toEqual([second.id]);
    expect(await ids('course_id=424242')).toEqual([]);
    expect(await ids('state=queued')).toHaveLength(3);

    await env.t.deps.runner.runUntilEmpty();
    expect(await ids('state=queued')).toEqual([]);
    expect(await ids('state=succeeded')).toHaveLength(3);
  });

  it('shows one job with its attempts, progress, error and timestamps', async () => {
    const { job } = (await env.post(`/items/${lecture(0)}/summarize`)).json();
    expect(job).toMatchObject({
      state: 'queued',
      attempts: 0,
      progress: null,
      error: null,
      started_at: null,
    });
    await env.t.deps.runner.runUntilEmpty();
    const response = await env.get(`/jobs/${job.id}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      id: job.id,
      item_id: lecture(0),
      kind: 'summarize',
      state: 'succeeded',
      attempts: 1,
      max_attempts: env.t.config.jobs.maxAttempts,
      progress: { current: 1, total: 1, message: 'Writing fake notes' },
      error: null,
      started_at: expect.any(String),
      finished_at: expect.any(String),
    });
  });

  it('answers 400 with the error shape for every bad filter, never a 5xx', async () => {
    const bad = [
      'state=done',
      'state=queued&state=failed',
      'kind=transcribe',
      'limit=0',
      'limit=201',
      'limit=ten',
      'limit=1e2',
      'offset=-1',
      'offset=1.5',
      'item_id=abc',
      'course_id=0',
    ];
    for (const query of bad) {
      const response = await env.get(`/jobs?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json(), query).toEqual({
        error: { code: 'request.invalid_querystring', message: expect.any(String) },
      });
    }
    expect((await env.get('/jobs?limit=200&offset=0')).statusCode).toBe(200);
  });

  it('answers 404 jobs.not_found for an unknown job and 400 for a malformed id', async () => {
    for (const [method, url] of [
      ['GET', '/jobs/:id'],
      ['POST', '/jobs/:id/cancel'],
      ['POST', '/jobs/:id/retry'],
    ] as const) {
      const unknown = await env.t.app.inject({ method, url: url.replace(':id', '424242') });
      expect(unknown.statusCode, url).toBe(404);
      expect(unknown.json().error.code).toBe('jobs.not_found');
      const malformed = await env.t.app.inject({ method, url: url.replace(':id', '1e3') });
      expect(malformed.statusCode, url).toBe(400);
      expect(malformed.json().error.code).toBe('request.invalid_params');
    }
  });

  it('cancels a queued job at once so that it never runs, and refuses to cancel it twice', async () => {
    const { job } = (await env.post(`/items/${lecture(0)}/fetch-transcript`)).json();
    const cancelled = await env.post(`/jobs/${job.id}/cancel`);
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json().job).toMatchObject({
      id: job.id,
      state: 'cancelled',
      finished_at: expect.any(String),
    });

    await env.t.deps.runner.runUntilEmpty();
    expect(env.panopto.requests).toEqual([]);
    expect((await env.get(`/jobs/${job.id}`)).json()).toMatchObject({ state: 'cancelled', attempts: 0 });
    expect((await env.get(`/items/${lecture(0)}`)).json()).toMatchObject({ status: 'DISCOVERED', job: null });

    const again = await env.post(`/jobs/${job.id}/cancel`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('jobs.not_cancellable');
  });

  it('retries a cancelled job with a fresh budget, then refuses to retry a job that succeeded', async () => {
    const { job } = (await env.post(`/items/${lecture(0)}/fetch-transcript`)).json();
    await env.post(`/jobs/${job.id}/cancel`);
    const retried = await env.post(`/jobs/${job.id}/retry`);
    expect(retried.statusCode).toBe(202);
    expect(retried.json().job).toMatchObject({ id: job.id, state: 'queued', attempts: 0, error: null });

    await env.t.deps.runner.runUntilEmpty();
    expect((await env.get(`/jobs/${job.id}`)).json()).toMatchObject({ state: 'succeeded', attempts: 1 });
    expect((await env.get(`/items/${lecture(0)}`)).json().status).toBe('TRANSCRIPT_READY');

    const refused = await env.post(`/jobs/${job.id}/retry`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('jobs.not_retryable');
    const finished = await env.post(`/jobs/${job.id}/cancel`);
    expect(finished.statusCode).toBe(409);
    expect(finished.json().error.code).toBe('jobs.not_cancellable');
  });

  it('answers a retry with the job already active for the same item instead of a second one', async () => {
    const { job: old } = (await env.post(`/items/${lecture(0)}/fetch-transcript`)).json();
    await env.post(`/jobs/${old.id}/cancel`);
    const { job: fresh } = (await env.post(`/items/${lecture(0)}/fetch-transcript`)).json();
    expect(fresh.id).not.toBe(old.id);
    const retried = await env.post(`/jobs/${old.id}/retry`);
    expect(retried.statusCode).toBe(202);
    expect(retried.json().job).toMatchObject({ id: fresh.id, state: 'queued' });
    expect((await env.get(`/jobs?item_id=${lecture(0)}&state=queued`)).json().total).toBe(1);
  });

  it('describes every jobs route in the OpenAPI document', async () => {
    const paths = Object.keys((await env.get('/docs/json')).json().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/jobs',
        '/jobs/{id}',
        '/jobs/{id}/cancel',
        '/jobs/{id}/retry',
        '/courses/{id}/progress',
        '/courses/{id}/summarize',
        '/courses/{id}/fetch-transcript',
        '/modules/{id}/summarize',
        '/modules/{id}/fetch-transcript',
      ]),
    );
  });
});
