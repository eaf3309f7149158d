import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { toStorageError } from '../../src/storage/storage.errors.ts';
import { createFakeSummarizer } from '../../src/summarize/fake.summarizer.ts';
import type { Summarizer } from '../../src/summarize/summarizer.ts';
import { type JobsEnv, startJobsEnv } from '../helpers/jobs-env.ts';
import { srt } from '../helpers/srt.ts';

/**
 * The data folder refusing the writes of a forced redo, when the item already holds a transcript
 * and notes: the job fails with the storage error, the item keeps what it had (status, records,
 * files byte for byte) and no temporary file is left.
 *
 * Tests run as root, which ignores a read-only mode, so the refusal is the real errno error
 * mapped by the store's own `toStorageError`, thrown by the store for the refused files. A
 * transcript is two files: the cues are really staged first, so their temporary file must be
 * discarded when the text is refused.
 */

function erofs(path: string): Error {
  return Object.assign(new Error(`EROFS: read-only file system, open '${path}'`), {
    code: 'EROFS',
    errno: -30,
    syscall: 'open',
    path,
  });
}

/** The error Linux gives for a write to a full disk, from a real write (to /dev/full). */
function enospc(): Error {
  try {
    writeFileSync('/dev/full', 'x');
  } catch (error) {
    return error as Error;
  }
  throw new Error('/dev/full accepted a write');
}

/** Notes that differ on every run, so a forced redo that got through would show in the file. */
function changingSummarizer(): Summarizer {
  const fake = createFakeSummarizer();
  let run = 0;
  return {
    name: fake.name,
    settingsKey: fake.settingsKey,
    async summarize(input, options) {
      run += 1;
      const result = await fake.summarize(input, options);
      return { ...result, text: `${result.text}\n\nRun ${run}.` };
    },
  };
}

const READ_ONLY = { disk: 'read-only', code: 'storage.not_writable', error: (path: string) => erofs(path) };
const FULL = { disk: 'full', code: 'storage.full', error: () => enospc() };
/** Each redo, the folder it writes in, and the file of it the disk refuses. */
const REFETCH = { action: 'fetch-transcript', folder: 'transcripts', refusedFile: '.txt' };
const RESUMMARIZE = { action: 'summarize', folder: 'summaries', refusedFile: '.md' };
/**
 * `write`: the refused file cannot be written at all. `rename`: it is written, but cannot be put
 * in place after the cues already were (an EROFS remount, an I/O error between the two renames).
 */
const CASES = [
  ...[READ_ONLY, FULL].flatMap((disk) =>
    [REFETCH, RESUMMARIZE].map((redo) => ({ ...disk, ...redo, at: 'write' as const })),
  ),
  { ...READ_ONLY, ...REFETCH, at: 'rename' as const },
];

describe('a data folder that refuses the writes of a forced redo', () => {
  let env: JobsEnv;
  afterEach(async () => {
    await env.close();
  });

  const folders = () => {
    const files: Record<string, string> = {};
    for (const folder of ['transcripts', 'summaries']) {
      for (const name of readdirSync(join(env.t.dataDir, folder))) {
        files[`${folder}/${name}`] = readFileSync(join(env.t.dataDir, folder, name), 'utf8');
      }
    }
    return files;
  };

  it.each(CASES)(
    'a $disk disk refusing a $at fails a forced $action with $code, keeping the earlier files',
    async (c) => {
      env = await startJobsEnv({ lectures: 1, overrides: () => ({ summarizer: changingSummarizer() }) });
      const [id = 0] = env.course.lectureIds;
      await env.post(`/items/${id}/summarize`);
      await env.t.deps.runner.runUntilEmpty();
      const before = (await env.get(`/items/${id}`)).json();
      expect(before.status).toBe('SUMMARY_READY');
      const filesBefore = folders();
      expect(Object.keys(filesBefore).sort()).toEqual([
        `summaries/${id}.md`,
        `transcripts/${id}.json`,
        `transcripts/${id}.txt`,
      ]);
      // The recording changed, so a refetch that got through would write other words.
      env.panopto.sessions.set(env.course.guid(id), {
        kind: 'srt',
        body: srt(['Another lecture altogether.']),
      });

      const files = env.t.deps.files;
      const stage = files.stage.bind(files);
      let refused = 0;
      let staged = 0;
      files.stage = async (key, content) => {
        const refusal = () =>
          toStorageError(c.error(join(env.t.dataDir, key)), join(env.t.dataDir, c.folder));
        if (key !== `${c.folder}/${id}${c.refusedFile}`) {
          staged += 1;
          return stage(key, content);
        }
        refused += 1;
        if (c.at === 'write') throw refusal();
        const written = await stage(key, content);
        return {
          ...written,
          publish: () => {
            throw refusal();
          },
        };
      };
      const accepted = (await env.post(`/items/${id}/${c.action}?force=true`)).json();
      await env.t.deps.runner.runUntilEmpty();

      const job = (await env.get(`/jobs/${accepted.job.id}`)).json();
      expect(job).toMatchObject({ state: 'failed', error: { code: c.code } });
      expect(job.error.message).toContain(`in ${join(env.t.dataDir, c.folder)}`);
      // Every attempt got as far as writing (notes made, captions read) and was refused there.
      expect(refused).toBe(job.attempts);
      const after = (await env.get(`/items/${id}`)).json();
      expect(after).toMatchObject({ status: 'SUMMARY_READY', error_code: c.code, error: job.error.message });
      // Nothing of the new run was recorded: the same records, the same files, byte for byte.
      expect(after.artifacts).toEqual(before.artifacts);
      expect(folders()).toEqual(filesBefore);
      // A refetch really staged (and at a refused rename, published) the cues before the text was
      // refused; their temporary files went and the earlier cues are back.
      expect(staged).toBe(c.action === 'fetch-transcript' ? job.attempts : 0);
      expect((await env.get(`/items/${id}/transcript`)).body).toBe(filesBefore[`transcripts/${id}.txt`]);
      expect((await env.get(`/items/${id}/summary`)).body).toBe(filesBefore[`summaries/${id}.md`]);
    },
  );
});
