import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { type ItemRow, items, type JobRow, jobs } from '../../src/db/schema.ts';
import { type FakeCanvasState, panoptoGuid } from '../fakes/fake-canvas-server.ts';
import type { FakePanopto } from '../fakes/fake-panopto-server.ts';
import { readServiceDb, type ServiceProcess, useServiceProcesses } from '../helpers/service-process.ts';
import { LECTURE_LINES, srt } from '../helpers/srt.ts';
import { waitFor } from '../helpers/wait-for.ts';

const COURSES = [8001, 8002, 8003];
const MODULES_PER_COURSE = 2;
const LECTURES_PER_MODULE = 6;
/** Every sixth lecture is a private session: its jobs fail for good and mark the item FAILED. */
const isPrivate = (itemId: number) => itemId % 6 === 0;
const DRIVE_MS = 12_000;

/** Three courses of Panopto lectures, some private, for a fake Canvas and a fake Panopto. */
function account(panopto: FakePanopto): { state: FakeCanvasState; moduleIds: number[]; itemIds: number[] } {
  const moduleIds: number[] = [];
  const itemIds: number[] = [];
  const state: FakeCanvasState = {
    courses: COURSES.map((courseId, c) => ({
      id: courseId,
      name: `Course ${c + 1}`,
      course_code: `C${c + 1}`,
      workflow_state: 'available',
      term: null,
      pages: [],
      modules: Array.from({ length: MODULES_PER_COURSE }, (_, m) => {
        const moduleId = courseId * 10 + m;
        moduleIds.push(moduleId);
        return {
          id: moduleId,
          name: `Week ${m + 1}`,
          items: Array.from({ length: LECTURES_PER_MODULE }, (_, l) => {
            const itemId = moduleId * 100 + l + 1;
            itemIds.push(itemId);
            const guid = panoptoGuid(itemId);
            panopto.sessions.set(
              guid,
              isPrivate(itemId)
                ? { kind: 'login' }
                : { kind: 'srt', body: srt(LECTURE_LINES.map((line) => `${line} Lecture ${itemId}.`)) },
            );
            return {
              id: itemId,
              title: `Lecture ${l + 1}`,
              type: 'ExternalUrl',
              external_url: `${panopto.origin}/Panopto/Pages/Viewer.aspx?id=${guid}`,
            };
          }),
        };
      }),
    })),
  };
  return { state, moduleIds, itemIds };
}

/** What an item's status must be once its last finished job is known. */
function statusesAllowedAfter(job: JobRow): string[] | null {
  if (job.state === 'cancelled') return null;
  if (job.state === 'failed') return ['FAILED'];
  return job.kind === 'summarize' ? ['SUMMARY_READY'] : ['TRANSCRIPT_READY', 'SUMMARY_READY'];
}

describe('the API and two workers on one data folder, under load', () => {
  const processes = useServiceProcesses();

  it('answers no 5xx, logs no lock error and keeps every job and item status in step', async () => {
    const { moduleIds, itemIds, dataDir, env } = await processes.startAccount(account, {
      JOB_CONCURRENCY: '3',
      RUN_WORKER: 'false',
    });
    const api = await processes.startApi(env);
    const workers = [processes.start('src/worker.ts', env), processes.start('src/worker.ts', env)];
    const everyone: ServiceProcess[] = [api, ...workers];

    const statuses: Array<{ what: string; status: number; body: string }> = [];
    const send = async (method: 'GET' | 'POST', path: string) => {
      const response = await fetch(`${api.url}${path}`, { method });
      const body = await response.text();
      statuses.push({ what: `${method} ${path}`, status: response.status, body });
      return { status: response.status, body };
    };

    await send('POST', '/me/courses/refresh');
    for (const courseId of COURSES) await send('POST', `/courses/${courseId}/modules/refresh`);

    const deadline = Date.now() + DRIVE_MS;
    const until = async (step: (round: number) => Promise<unknown>) => {
      for (let round = 0; Date.now() < deadline; round += 1) await step(round);
    };
    const readers = Array.from({ length: 16 }, (_, reader) =>
      until((round) =>
        (round + reader) % 2 === 0
          ? send('GET', `/modules/${moduleIds[(round + reader) % moduleIds.length]}/items`)
          : send('GET', `/items/${itemIds[(round * 7 + reader) % itemIds.length]}`),
      ),
    );
    const refreshes = Array.from({ length: 2 }, (_, lane) =>
      until((round) => send('POST', `/courses/${COURSES[(round + lane) % COURSES.length]}/modules/refresh`)),
    );
    const bulk = until(async (round) => {
      const courseId = COURSES[round % COURSES.length];
      await send(
        'POST',
        `/courses/${courseId}/${round % 2 === 0 ? 'summarize' : 'fetch-transcript'}?force=true`,
      );
      await new Promise((resolve) => setTimeout(resolve, 150));
    });
    await Promise.all([...readers, ...refreshes, bulk]);

    const refreshCount = statuses.filter((entry) => entry.what.endsWith('/modules/refresh')).length;
    expect(refreshCount).toBeGreaterThan(20);
    const serverErrors = statuses.filter((entry) => entry.status >= 500);
    expect.soft(serverErrors.slice(0, 3)).toEqual([]);

    // Let the workers drain the queue, then read the outcome straight from the database.
    const readDb = <T>(read: (db: Db) => T) => readServiceDb(dataDir, read);
    await waitFor(
      () =>
        readDb((db) => db.select().from(jobs).all()).every(
          (job) => !['queued', 'running'].includes(job.state),
        ),
      { timeoutMs: 30_000, intervalMs: 200, what: 'the queue to drain' },
    );
    const allJobs = readDb((db) => db.select().from(jobs).all());
    const allItems = readDb((db) => db.select().from(items).all());

    for (const service of everyone) {
      expect.soft(service.output()).not.toMatch(/SQLITE_BUSY|database is locked|db\.busy|hook threw/i);
    }
    expect(allJobs.length).toBeGreaterThan(itemIds.length);
    // Healthy fakes, no crash: every job ran exactly one attempt and ended as expected.
    const unexpected = allJobs.filter(
      (job) =>
        job.attempts !== 1 ||
        (job.state === 'failed' && job.errorCode !== 'panopto.login_required') ||
        job.state === 'cancelled',
    );
    expect
      .soft(
        unexpected.map(({ id, kind, state, attempts, errorCode }) => ({
          id,
          kind,
          state,
          attempts,
          errorCode,
        })),
      )
      .toEqual([]);

    const lastFinished = new Map<number, JobRow>();
    for (const job of allJobs) {
      if (job.itemId === null || !job.finishedAt) continue;
      const previous = lastFinished.get(job.itemId);
      if (!previous?.finishedAt || previous.finishedAt.getTime() <= job.finishedAt.getTime()) {
        lastFinished.set(job.itemId, job);
      }
    }
    const mismatched = allItems.flatMap((item: ItemRow) => {
      const job = lastFinished.get(item.id);
      const allowed = job ? statusesAllowedAfter(job) : null;
      return allowed && !allowed.includes(item.status)
        ? [{ item: item.id, status: item.status, job: job?.id, kind: job?.kind, state: job?.state }]
        : [];
    });
    expect.soft(mismatched).toEqual([]);
    expect(
      allItems
        .filter((item) => isPrivate(item.id))
        .every((item) => item.errorCode === 'panopto.login_required'),
    ).toBe(true);
  }, 90_000);
});
