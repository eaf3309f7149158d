import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toStorageError } from '../../src/storage/storage.errors.ts';
import { type JobsEnv, startJobsEnv } from '../helpers/jobs-env.ts';

/** The error Linux gives for a write to a full disk, from a real write (to /dev/full). */
function realEnospc(): Error {
  try {
    writeFileSync('/dev/full', 'x');
  } catch (error) {
    return error as Error;
  }
  throw new Error('/dev/full accepted a write');
}

describe('a data folder that refuses writes', () => {
  let env: JobsEnv;
  afterEach(async () => {
    await env.close();
  });

  it('fails notes that cannot be written with storage.not_writable naming the folder, keeping the transcript', async () => {
    env = await startJobsEnv({ lectures: 1 });
    const [id = 0] = env.course.lectureIds;
    await env.post(`/items/${id}/fetch-transcript`);
    await env.t.deps.runner.runUntilEmpty();
    const transcript = readFileSync(join(env.t.dataDir, 'transcripts', `${id}.txt`), 'utf8');
    // A file where the summaries folder should be.
    rmSync(join(env.t.dataDir, 'summaries'), { recursive: true, force: true });
    writeFileSync(join(env.t.dataDir, 'summaries'), 'not a folder');

    const accepted = (await env.post(`/items/${id}/summarize`)).json();
    await env.t.deps.runner.runUntilEmpty();

    const job = (await env.get(`/jobs/${accepted.job.id}`)).json();
    const folder = join(env.t.dataDir, 'summaries');
    expect(job).toMatchObject({ state: 'failed', attempts: 1, error: { code: 'storage.not_writable' } });
    expect(job.error.message).toContain(folder);
    const item = (await env.get(`/items/${id}`)).json();
    expect(item).toMatchObject({
      status: 'TRANSCRIPT_READY',
      error_code: 'storage.not_writable',
      summary_path: null,
    });
    expect(item.error).toBe(job.error.message);
    const failed = (await env.get(`/jobs?item_id=${id}&state=failed`)).json();
    expect(failed.jobs.map((row: { id: number }) => row.id)).toEqual([accepted.job.id]);
    expect(readFileSync(join(env.t.dataDir, 'transcripts', `${id}.txt`), 'utf8')).toBe(transcript);
    expect(env.t.logs.join('\n')).not.toContain('internal.error');
  });

  it('retries a full disk as storage.full, then fails with it, the item keeping its transcript', async () => {
    env = await startJobsEnv({ lectures: 1 });
    const [id = 0] = env.course.lectureIds;
    // The disk fills up for notes: the store's own mapping of the real error is what jobs see.
    const files = env.t.deps.files;
    const stage = files.stage.bind(files);
    files.stage = async (key, content) => {
      if (key.startsWith('summaries/')) throw toStorageError(realEnospc(), 'data/summaries');
      return stage(key, content);
    };
    const accepted = (await env.post(`/items/${id}/summarize`)).json();
    await env.t.deps.runner.runUntilEmpty();

    const job = (await env.get(`/jobs/${accepted.job.id}`)).json();
    expect(job).toMatchObject({ state: 'failed', error: { code: 'storage.full' } });
    expect(job.attempts).toBe(env.t.config.jobs.maxAttempts);
    expect(job.error.message).toBe(
      'No space left to write in data/summaries: free some disk space, then run the job again.',
    );
    expect((await env.get(`/items/${id}`)).json()).toMatchObject({
      status: 'TRANSCRIPT_READY',
      error_code: 'storage.full',
    });
  });
});
