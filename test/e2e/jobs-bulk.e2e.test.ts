import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFakeSummarizer } from '../../src/summarize/fake.summarizer.ts';
import type { Summarizer } from '../../src/summarize/summarizer.ts';
import { type JobsEnv, startJobsEnv } from '../helpers/jobs-env.ts';
import { COURSE_ID, MODULE_ID, OTHER_MODULE_ID, READING_ID } from '../helpers/lecture-course.ts';

type Job = { id: number; item_id: number; kind: string; state: string };

describe('whole modules and courses at once', () => {
  let env: JobsEnv;
  beforeEach(async () => {
    // Lectures 1–3 in MODULE_ID (with the reading), lecture 4 in OTHER_MODULE_ID.
    env = await startJobsEnv({ lectures: 4, perModule: 3 });
  });
  afterEach(async () => {
    await env.close();
  });

  const itemIds = (jobs: Job[]) => jobs.map((job) => job.item_id);

  it('queues one job per recording of a module and skips items without one', async () => {
    const response = await env.post(`/modules/${MODULE_ID}/fetch-transcript`);
    expect(response.statusCode).toBe(202);
    const body = response.json();
    expect(itemIds(body.jobs)).toEqual(env.course.lectureIds.slice(0, 3));
    expect(body.jobs.every((job: Job) => job.kind === 'fetch_transcript' && job.state === 'queued')).toBe(
      true,
    );
    // A reading page is a source, but not a recording: bulk actions leave it out by default.
    expect(body.skipped).toEqual([{ item_id: READING_ID, reason: 'reading_excluded' }]);

    await env.t.deps.runner.runUntilEmpty();
    for (const id of env.course.lectureIds.slice(0, 3)) {
      const file = readFileSync(join(env.t.dataDir, 'transcripts', `${id}.txt`), 'utf8');
      expect(file).toBe(env.course.expectedTranscript(id));
    }
    expect((await env.get(`/items/${env.course.lectureIds[3]}`)).json().status).toBe('DISCOVERED');
    expect((await env.get(`/items/${READING_ID}`)).json().status).toBe('DISCOVERED');
  });

  it('covers readings too with ?include=readings', async () => {
    const response = await env.post(`/modules/${MODULE_ID}/fetch-transcript?include=readings`);
    expect(response.statusCode).toBe(202);
    const body = response.json();
    expect(itemIds(body.jobs)).toEqual([...env.course.lectureIds.slice(0, 3), READING_ID]);
    expect(body.skipped).toEqual([]);

    await env.t.deps.runner.runUntilEmpty();
    const reading = (await env.get(`/items/${READING_ID}`)).json();
    expect(reading).toMatchObject({ provider: 'reading', status: 'TRANSCRIPT_READY' });
    expect(readFileSync(reading.transcript_path, 'utf8')).toContain('Read chapter 2.');
  });

  it('summarizes a whole course, fetching transcripts on the way, and reports its progress', async () => {
    const before = (await env.get(`/courses/${COURSE_ID}/progress`)).json();
    expect(before).toEqual({
      course_id: COURSE_ID,
      total: 5,
      by_status: { DISCOVERED: 5, TRANSCRIPT_READY: 0, SUMMARY_READY: 0, FAILED: 0 },
      jobs: { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 },
    });

    const accepted = (await env.post(`/courses/${COURSE_ID}/summarize`)).json();
    expect(itemIds(accepted.jobs)).toEqual(env.course.lectureIds);
    expect((await env.get(`/courses/${COURSE_ID}/progress`)).json().jobs).toMatchObject({ queued: 4 });

    await env.t.deps.runner.runUntilEmpty();
    expect((await env.get(`/courses/${COURSE_ID}/progress`)).json()).toMatchObject({
      total: 5,
      by_status: { DISCOVERED: 1, SUMMARY_READY: 4 },
      jobs: { queued: 0, succeeded: 4 },
    });
  });

  it('skips items already done unless forced', async () => {
    await env.post(`/courses/${COURSE_ID}/fetch-transcript`);
    await env.t.deps.runner.runUntilEmpty();
    const requests = env.panopto.requests.length;

    const again = (await env.post(`/courses/${COURSE_ID}/fetch-transcript`)).json();
    expect(again.jobs).toEqual([]);
    expect(again.skipped).toEqual(
      expect.arrayContaining(env.course.lectureIds.map((id) => ({ item_id: id, reason: 'already_done' }))),
    );
    // Transcripts are there but notes are not: summarize still has work to do.
    expect((await env.post(`/modules/${OTHER_MODULE_ID}/summarize`)).json().jobs).toHaveLength(1);

    const forced = (await env.post(`/courses/${COURSE_ID}/fetch-transcript?force=true`)).json();
    expect(itemIds(forced.jobs)).toEqual(env.course.lectureIds);
    await env.t.deps.runner.runUntilEmpty();
    // Each forced fetch asks Panopto again: its DeliveryInfo, then its caption track.
    const refetched = env.panopto.requests.slice(requests);
    expect(refetched).toHaveLength(2 * env.course.lectureIds.length);
    for (const id of env.course.lectureIds) {
      expect(refetched.filter((r) => r.includes(`deliveryId=${env.course.guid(id)}`))).toHaveLength(2);
    }
  });

  it('returns the active jobs instead of queueing them twice', async () => {
    const [first = 0] = env.course.lectureIds;
    const single = (await env.post(`/items/${first}/summarize`)).json().job as Job;
    const one = (await env.post(`/courses/${COURSE_ID}/summarize`)).json().jobs as Job[];
    const two = (await env.post(`/courses/${COURSE_ID}/summarize`)).json().jobs as Job[];
    expect(one.map((job) => job.id)).toEqual(two.map((job) => job.id));
    expect(one[0]?.id).toBe(single.id);
    expect((await env.get('/jobs')).json().total).toBe(4);
  });

  it('answers 404 for an unknown module or course and 400 for a bad force flag', async () => {
    for (const [url, code] of [
      ['/modules/424242/summarize', 'module.not_found'],
      ['/modules/424242/fetch-transcript', 'module.not_found'],
      ['/courses/424242/summarize', 'course.not_found'],
      ['/courses/424242/fetch-transcript', 'course.not_found'],
    ] as const) {
      const response = await env.post(url);
      expect(response.statusCode, url).toBe(404);
      expect(response.json().error.code, url).toBe(code);
    }
    const progress = await env.get('/courses/424242/progress');
    expect(progress.statusCode).toBe(404);
    expect(progress.json().error.code).toBe('course.not_found');
    const bad = await env.post(`/courses/${COURSE_ID}/summarize?force=maybe`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('request.invalid_querystring');
    expect((await env.post('/courses/abc/summarize')).statusCode).toBe(400);
    expect((await env.get('/jobs')).json().total).toBe(0);
  });
});

describe('a bulk summarize after the notes settings changed', () => {
  it('redoes the notes made with other settings, without ?force, and only those', async () => {
    const fake = createFakeSummarizer();
    let settings = 'notes in English';
    const summarizer: Summarizer = {
      name: 'fake',
      get settingsKey() {
        return settings;
      },
      summarize: (input, options) => fake.summarize(input, options),
    };
    const env = await startJobsEnv({ lectures: 2, overrides: () => ({ summarizer }) });
    try {
      const summarizeCourse = async () => {
        const response = await env.post(`/courses/${COURSE_ID}/summarize`);
        expect(response.statusCode).toBe(202);
        await env.t.deps.runner.runUntilEmpty();
        return response.json();
      };
      await summarizeCourse();
      expect(fake.calls).toHaveLength(2);
      const again = await summarizeCourse();
      expect(again.jobs).toEqual([]);
      expect(fake.calls).toHaveLength(2);

      settings = 'notes in German';
      const redone = await summarizeCourse();
      expect(itemIdsOf(redone.jobs)).toEqual(env.course.lectureIds);
      expect(fake.calls).toHaveLength(4);
      // Now current again: skipped.
      expect((await summarizeCourse()).skipped).toEqual(
        expect.arrayContaining(env.course.lectureIds.map((id) => ({ item_id: id, reason: 'already_done' }))),
      );
      expect(fake.calls).toHaveLength(4);
    } finally {
      await env.close();
    }
  });
});

const itemIdsOf = (jobs: Job[]) => jobs.map((job) => job.item_id);
