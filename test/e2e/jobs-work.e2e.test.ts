import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakeSummarizer, type FakeSummarizer } from '../../src/summarize/fake.summarizer.ts';
import type { FakePanopto } from '../fakes/fake-panopto-server.ts';
import { type JobsEnv, startJobsEnv } from '../helpers/jobs-env.ts';
import { MODULE_ID } from '../helpers/lecture-course.ts';
import { waitFor } from '../helpers/wait-for.ts';

/** Wraps fetch to see the Panopto requests in flight and to act once each has been answered. */
function panoptoProbe() {
  const probe = {
    inFlight: 0,
    maxInFlight: 0,
    afterResponse: (_url: string, _status: number) => {},
    fetch:
      (panopto: FakePanopto): typeof fetch =>
      async (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        if (!url.startsWith(panopto.origin)) return fetch(input, init);
        probe.inFlight += 1;
        probe.maxInFlight = Math.max(probe.maxInFlight, probe.inFlight);
        try {
          const response = await fetch(input, init);
          probe.afterResponse(url, response.status);
          return response;
        } finally {
          probe.inFlight -= 1;
        }
      },
  };
  return probe;
}

describe('jobs doing the work', () => {
  let env: JobsEnv;
  afterEach(async () => {
    await env.close();
  });

  const transcriptFile = (itemId: number) => join(env.t.dataDir, 'transcripts', `${itemId}.txt`);

  it('never runs more jobs at once than JOB_CONCURRENCY, and does use every slot', async () => {
    const probe = panoptoProbe();
    env = await startJobsEnv({ lectures: 6, concurrency: 2, overrides: (p) => ({ fetch: probe.fetch(p) }) });
    env.course.serveAll(env.panopto, (body) => ({ kind: 'slow', ms: 120, body }));
    const accepted = await env.post(`/modules/${MODULE_ID}/fetch-transcript`);
    expect(accepted.json().jobs).toHaveLength(6);

    await env.t.deps.runner.runUntilEmpty();
    expect(probe.maxInFlight).toBe(2);
    expect((await env.get('/jobs?state=succeeded')).json().total).toBe(6);
  });

  it('retries a transient Panopto 500 and succeeds on the second attempt', async () => {
    const probe = panoptoProbe();
    env = await startJobsEnv({ lectures: 1, overrides: (p) => ({ fetch: probe.fetch(p) }) });
    const [id = 0] = env.course.lectureIds;
    env.panopto.sessions.set(env.course.guid(id), { kind: 'error', status: 500 });
    probe.afterResponse = (_url, status) => {
      if (status === 500)
        env.panopto.sessions.set(env.course.guid(id), { kind: 'srt', body: env.course.captions(id) });
    };
    const { job } = (await env.post(`/items/${id}/fetch-transcript`)).json();
    await env.t.deps.runner.runUntilEmpty();

    expect((await env.get(`/jobs/${job.id}`)).json()).toMatchObject({
      state: 'succeeded',
      attempts: 2,
      error: null,
    });
    // Attempt 1: DeliveryInfo answers 500. Attempt 2: DeliveryInfo, then the caption track.
    expect(env.panopto.requests).toHaveLength(3);
    expect(env.panopto.requests.every((r) => r.includes('/Panopto/Pages/Viewer/DeliveryInfo.aspx'))).toBe(
      true,
    );
    expect(env.panopto.requests.map((r) => r.includes('getCaptions=true'))).toEqual([false, false, true]);
    expect((await env.get(`/items/${id}`)).json()).toMatchObject({ status: 'TRANSCRIPT_READY', error: null });
  });

  it('does not retry a login page, and marks the item FAILED with the error', async () => {
    env = await startJobsEnv({ lectures: 1 });
    const [id = 0] = env.course.lectureIds;
    env.panopto.sessions.set(env.course.guid(id), { kind: 'login' });
    const { job } = (await env.post(`/items/${id}/fetch-transcript`)).json();
    await env.t.deps.runner.runUntilEmpty();

    expect((await env.get(`/jobs/${job.id}`)).json()).toMatchObject({
      state: 'failed',
      attempts: 1,
      // The message says how to get past the login: copy the browser's cookie into PANOPTO_COOKIE.
      error: { code: 'panopto.login_required', message: expect.stringMatching(/log in.*PANOPTO_COOKIE/) },
      finished_at: expect.any(String),
    });
    // DeliveryInfo's ErrorCode 2 settles it: no caption request, no GenerateSRT fallback.
    expect(env.panopto.requests).toHaveLength(1);
    expect(env.panopto.requests[0]).toContain('/Panopto/Pages/Viewer/DeliveryInfo.aspx');
    expect((await env.get(`/items/${id}`)).json()).toMatchObject({
      status: 'FAILED',
      error_code: 'panopto.login_required',
      transcript_path: null,
    });
  });

  it('aborts a running job on cancel, leaving neither a transcript file nor its record', async () => {
    env = await startJobsEnv({ lectures: 1 });
    const [id = 0] = env.course.lectureIds;
    env.panopto.sessions.set(env.course.guid(id), {
      kind: 'slow',
      ms: 10_000,
      body: env.course.captions(id),
    });
    env.t.deps.runner.start();
    const { job } = (await env.post(`/items/${id}/fetch-transcript`)).json();
    await waitFor(async () => (await env.get(`/jobs/${job.id}`)).json().state === 'running', {
      what: 'running',
    });
    await waitFor(() => env.panopto.requests.length === 1, {
      what: 'the first Panopto request (DeliveryInfo)',
    });

    const startedAt = Date.now();
    const cancel = await env.post(`/jobs/${job.id}/cancel`);
    expect(cancel.statusCode).toBe(202);
    expect(cancel.json().job).toMatchObject({ id: job.id, state: 'running' });
    const ended = await waitFor(
      async () => {
        const current = (await env.get(`/jobs/${job.id}`)).json();
        return current.state !== 'running' && current;
      },
      { what: 'the cancel' },
    );
    expect(ended).toMatchObject({ state: 'cancelled', attempts: 1, finished_at: expect.any(String) });
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    expect(existsSync(transcriptFile(id))).toBe(false);
    expect(env.t.deps.repositories.artifacts.listForItem(id)).toEqual([]);
    expect((await env.get(`/items/${id}`)).json()).toMatchObject({
      status: 'DISCOVERED',
      transcript_path: null,
    });
  });

  it('reuses notes made from an unchanged transcript instead of calling the LLM again, unless forced', async () => {
    const summarizer: FakeSummarizer = createFakeSummarizer();
    env = await startJobsEnv({ lectures: 1, overrides: () => ({ summarizer }) });
    const [id = 0] = env.course.lectureIds;
    const summarize = async (query = '') => {
      const accepted = await env.post(`/items/${id}/summarize${query}`);
      expect(accepted.statusCode).toBe(202);
      await env.t.deps.runner.runUntilEmpty();
      return (await env.get(`/jobs/${accepted.json().job.id}`)).json();
    };

    expect(await summarize()).toMatchObject({ state: 'succeeded' });
    expect(summarizer.calls).toHaveLength(1);
    const item = (await env.get(`/items/${id}`)).json();
    expect(item.status).toBe('SUMMARY_READY');

    expect(await summarize()).toMatchObject({ state: 'succeeded' });
    expect(summarizer.calls).toHaveLength(1);
    const bulk = await env.post(`/modules/${MODULE_ID}/summarize`);
    expect(bulk.json()).toMatchObject({
      jobs: [],
      skipped: expect.arrayContaining([{ item_id: id, reason: 'already_done' }]),
    });

    expect(await summarize('?force=true')).toMatchObject({ state: 'succeeded' });
    expect(summarizer.calls).toHaveLength(2);
    const forced = await env.post(`/modules/${MODULE_ID}/summarize?force=true`);
    expect(forced.json().jobs).toHaveLength(1);
    await env.t.deps.runner.runUntilEmpty();
    expect(summarizer.calls).toHaveLength(3);
    // The transcript itself was fetched once (DeliveryInfo, then its caption track): forcing
    // notes does not refetch captions.
    expect(env.panopto.requests).toHaveLength(2);
    expect(env.panopto.requests[1]).toContain('getCaptions=true');
  });
});
