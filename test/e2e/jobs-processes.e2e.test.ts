import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { artifacts, items, type JobRow, jobs } from '../../src/db/schema.ts';
import { sha256 } from '../../src/shared/hash.ts';
import { checkTimes } from '../../src/summarize/notes.times.ts';
import { notesFromCues } from '../../src/summarize/notes-input.ts';
import { createOfflineSummarizer } from '../../src/summarize/offline.summarizer.ts';
import type { SummarizeInput } from '../../src/summarize/summarizer.ts';
import type { FakePanopto, FakePanoptoSession } from '../fakes/fake-panopto-server.ts';
import { COURSE_ID, type LectureCourse, lectureCourse } from '../helpers/lecture-course.ts';
import { call, readServiceDb, type ServiceProcess, useServiceProcesses } from '../helpers/service-process.ts';
import { waitFor } from '../helpers/wait-for.ts';

type ApiJob = { id: number; item_id: number; state: string; started_at: string | null };
type JobPage = { jobs: ApiJob[]; total: number };

/** The service's own child processes: a real `src/main.ts` / `src/worker.ts` on a temp DATA_DIR. */
describe('jobs across crashes, shutdowns and a separate worker process', () => {
  const processes = useServiceProcesses();
  let panopto: FakePanopto | undefined;

  async function setUp(options: {
    lectures: number;
    session: (body: string) => FakePanoptoSession;
    env?: Record<string, string>;
  }) {
    const started = await processes.startAccount(
      (fake) => {
        const course = lectureCourse({ panoptoOrigin: fake.origin, lectures: options.lectures });
        course.serveAll(fake, options.session);
        return { course, state: course.state };
      },
      { JOB_CONCURRENCY: '2', JOB_LEASE_MS: '1500', ...options.env },
    );
    panopto = started.panopto;
    const { course, env, dataDir } = started;
    return { course, env, dataDir };
  }

  async function sync(api: ServiceProcess) {
    await call(api, 'POST', '/me/courses/refresh');
    await call(api, 'POST', `/courses/${COURSE_ID}/modules/refresh`);
  }

  const readDb = readServiceDb;

  const jobsOf = (path: string) => (api: ServiceProcess) => call<JobPage>(api, 'GET', path);

  it('finishes every job exactly once with intact files, however often the process is killed', async () => {
    const {
      course,
      env,
      dataDir: dir,
    } = await setUp({
      lectures: 12,
      session: (body) => ({ kind: 'slow', ms: 450, body }),
      // Each crash charges the jobs it interrupts one attempt; leave room for all of them.
      env: { JOB_MAX_ATTEMPTS: '10' },
    });
    let api = await processes.startApi(env);
    await sync(api);
    await call(api, 'POST', `/courses/${COURSE_ID}/fetch-transcript`);
    await call(api, 'POST', `/courses/${COURSE_ID}/summarize`);

    const interrupted: number[] = [];
    for (let cycle = 0; cycle < 3; cycle += 1) {
      const since = new Date(Date.now() - 50).toISOString();
      // Kill only once this process has claimed work itself, not while it sees stale claims.
      await waitFor(
        async () =>
          (await jobsOf('/jobs?state=running')(api)).jobs.some((job) => (job.started_at ?? '') > since),
        { timeoutMs: 10_000, intervalMs: 20, what: `a job running in process ${cycle + 1}` },
      );
      await delay(Math.floor(Math.random() * 300));
      api.child.kill('SIGKILL');
      await api.exited;
      interrupted.push(
        readDb(
          dir,
          (db) =>
            db
              .select()
              .from(jobs)
              .all()
              .filter((j) => j.state === 'running').length,
        ),
      );
      api = await processes.startApi(env);
    }

    await waitFor(
      async () => {
        const { jobs: states } = await call<{ jobs: Record<string, number> }>(
          api,
          'GET',
          `/courses/${COURSE_ID}/progress`,
        );
        return states.queued === 0 && states.running === 0;
      },
      { timeoutMs: 20_000, intervalMs: 50, what: 'the queue to drain' },
    );
    api.child.kill('SIGTERM');
    expect(await api.exited, api.output()).toEqual({ code: 0, signal: null });

    // Every kill interrupted work, and that work was claimed again after its lease expired.
    expect(
      interrupted.every((count) => count > 0),
      JSON.stringify(interrupted),
    ).toBe(true);
    const rows = readDb(dir, (db) => ({
      jobs: db.select().from(jobs).all(),
      artifacts: db.select().from(artifacts).all(),
      items: db.select().from(items).all(),
    }));
    expect(rows.jobs.some((job) => job.attempts > 1)).toBe(true);
    expect(rows.jobs).toHaveLength(2 * course.lectureIds.length);
    for (const kind of ['fetch_transcript', 'summarize'] as const) {
      const ofKind = rows.jobs.filter((job: JobRow) => job.kind === kind);
      expect(ofKind.map((job) => job.itemId).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(course.lectureIds);
      expect(ofKind.map((job) => [job.itemId, job.state, job.errorCode])).toEqual(
        ofKind.map((job) => [job.itemId, 'succeeded', null]),
      );
    }
    await expectIntactFiles(dir, course, rows);
  }, 45_000);

  async function expectIntactFiles(
    dir: string,
    course: LectureCourse,
    rows: { artifacts: (typeof artifacts.$inferSelect)[]; items: (typeof items.$inferSelect)[] },
  ) {
    const offline = createOfflineSummarizer();
    // No temporary file outlives the attempt that wrote it, killed or not.
    const listed = (folder: string) => readdirSync(join(dir, folder)).sort();
    // Each transcript's text and, beside it, its cues.
    expect(listed('transcripts')).toEqual(course.lectureIds.flatMap((id) => [`${id}.json`, `${id}.txt`]));
    expect(listed('summaries')).toEqual(course.lectureIds.map((id) => `${id}.md`));
    for (const id of course.lectureIds) {
      const item = rows.items.find((row) => row.id === id);
      expect(item?.status).toBe('SUMMARY_READY');
      const transcript = readFileSync(join(dir, 'transcripts', `${id}.txt`), 'utf8');
      expect(transcript).toBe(course.expectedTranscript(id));
      const summary = readFileSync(join(dir, 'summaries', `${id}.md`), 'utf8');
      const cues = readFileSync(join(dir, 'transcripts', `${id}.json`), 'utf8');
      // The offline notes of exactly this transcript, its times checked (links aside).
      const input = notesFromCues(item?.title ?? '', cues)?.input;
      expect(input).toBeDefined();
      const notes = (await offline.summarize(input as SummarizeInput, {})).text;
      const unlinked = summary.replace(/(\[\d{2}:\d{2}:\d{2}\])\([^)]*\)/g, '$1');
      expect(unlinked).toBe(`${checkTimes(notes, input?.range ?? null, null).markdown.trimEnd()}\n`);
      expect(JSON.parse(cues).item_id).toBe(id);
      const recorded = rows.artifacts.filter((row) => row.itemId === id);
      expect(recorded.map((row) => [row.kind, row.contentHash]).sort()).toEqual([
        ['cues', sha256(cues)],
        ['summary', sha256(summary)],
        ['transcript', sha256(transcript)],
      ]);
      // The cues were written with this very text.
      expect(recorded.find((row) => row.kind === 'cues')?.sourceHash).toBe(sha256(transcript));
    }
  }

  it('on SIGTERM stops claiming, lets a job finish within the grace, requeues the rest and exits 0', async () => {
    const {
      course,
      env,
      dataDir: dir,
    } = await setUp({
      lectures: 4,
      session: (body) => ({ kind: 'slow', ms: 60_000, body }),
      env: { JOB_SHUTDOWN_GRACE_MS: '2500' },
    });
    const [quick = 0, stuck = 0] = course.lectureIds;
    panopto?.sessions.set(course.guid(quick), { kind: 'slow', ms: 800, body: course.captions(quick) });
    const api = await processes.startApi(env);
    await sync(api);
    for (const id of course.lectureIds) await call(api, 'POST', `/items/${id}/fetch-transcript`);
    await waitFor(async () => (await jobsOf('/jobs?state=running')(api)).total === 2, {
      what: 'two running jobs',
    });

    api.child.kill('SIGTERM');
    expect(await api.exited, api.output()).toEqual({ code: 0, signal: null });

    const byItem = new Map(readDb(dir, (db) => db.select().from(jobs).all()).map((job) => [job.itemId, job]));
    expect(byItem.get(quick)).toMatchObject({ state: 'succeeded', attempts: 1 });
    // Over the grace: aborted and handed back without charging the attempt.
    expect(byItem.get(stuck)).toMatchObject({ state: 'queued', attempts: 0 });
    for (const id of course.lectureIds.slice(2)) {
      expect(byItem.get(id)).toMatchObject({ state: 'queued', attempts: 0, startedAt: null });
    }
    for (const file of [`${quick}.txt`, `${quick}.json`]) {
      expect(existsSync(join(dir, 'transcripts', file)), file).toBe(true);
    }
    for (const file of [`${stuck}.txt`, `${stuck}.json`]) {
      expect(existsSync(join(dir, 'transcripts', file)), file).toBe(false);
    }
  });

  it('runs jobs in `npm run worker` while the API runs with RUN_WORKER=false, cancels included', async () => {
    const { course, env } = await setUp({
      lectures: 3,
      session: (body) => ({ kind: 'srt', body }),
      env: { RUN_WORKER: 'false' },
    });
    const [slow = 0] = course.lectureIds;
    panopto?.sessions.set(course.guid(slow), { kind: 'slow', ms: 60_000, body: course.captions(slow) });
    const api = await processes.startApi(env);
    expect(await call(api, 'GET', '/health')).toMatchObject({ worker: 'external' });
    await sync(api);
    const { jobs: queued } = await call<{ jobs: ApiJob[] }>(
      api,
      'POST',
      `/courses/${COURSE_ID}/fetch-transcript`,
    );
    expect(queued).toHaveLength(3);
    await delay(300);
    expect((await jobsOf('/jobs?state=queued')(api)).total).toBe(3);

    processes.start('src/worker.ts', env);
    const others = queued.filter((job) => job.item_id !== slow);
    await waitFor(async () => (await jobsOf('/jobs?state=succeeded')(api)).total === others.length, {
      timeoutMs: 15_000,
      intervalMs: 50,
      what: 'the worker to finish',
    });
    const slowJob = queued.find((job) => job.item_id === slow);
    await waitFor(async () => (await call<ApiJob>(api, 'GET', `/jobs/${slowJob?.id}`)).state === 'running');
    // The API cannot abort the worker's job itself; the worker sees the flag at its next heartbeat.
    expect((await call<{ job: ApiJob }>(api, 'POST', `/jobs/${slowJob?.id}/cancel`)).job.state).toBe(
      'running',
    );
    await waitFor(
      async () => (await call<ApiJob>(api, 'GET', `/jobs/${slowJob?.id}`)).state === 'cancelled',
      {
        timeoutMs: 3_000,
        what: 'the worker to honour the cancel',
      },
    );
    for (const id of course.lectureIds) {
      const item = await call<{ status: string; transcript_path: string | null }>(api, 'GET', `/items/${id}`);
      expect(item.status).toBe(id === slow ? 'DISCOVERED' : 'TRANSCRIPT_READY');
      expect(item.transcript_path === null).toBe(id === slow);
    }
  });
});
