import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syncDemo } from '../helpers/demo-account.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

describe('messages of refused job actions', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
    await syncDemo(t.app, [101]);
  });
  afterEach(async () => {
    await t.close();
  });

  const post = (url: string) => t.app.inject({ method: 'POST', url });
  const queueTranscript = async (): Promise<number> =>
    (await post('/items/10001/fetch-transcript')).json().job.id;

  it('says a succeeded job has already succeeded when asked to retry or cancel it', async () => {
    const id = await queueTranscript();
    await t.deps.runner.runUntilEmpty();
    const retry = await post(`/jobs/${id}/retry`);
    expect(retry.statusCode).toBe(409);
    expect(retry.json().error).toEqual({
      code: 'jobs.not_retryable',
      message: `Job ${id} has already succeeded; only a failed or cancelled job can be retried.`,
    });
    const cancel = await post(`/jobs/${id}/cancel`);
    expect(cancel.statusCode).toBe(409);
    expect(cancel.json().error.message).toBe(`Job ${id} has already succeeded.`);
  });

  it('says a queued job is still queued when asked to retry it', async () => {
    const id = await queueTranscript();
    const retry = await post(`/jobs/${id}/retry`);
    expect(retry.statusCode).toBe(409);
    expect(retry.json().error.message).toBe(
      `Job ${id} is still queued; only a failed or cancelled job can be retried.`,
    );
  });

  it('says a cancelled job has already been cancelled when asked to cancel it again', async () => {
    const id = await queueTranscript();
    expect((await post(`/jobs/${id}/cancel`)).statusCode).toBe(200);
    const again = await post(`/jobs/${id}/cancel`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe(`Job ${id} has already been cancelled.`);
  });
});
