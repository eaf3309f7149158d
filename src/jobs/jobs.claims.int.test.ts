import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { closeDb, migrate, openDb } from '../db/client.ts';
import { createJobsRepository } from './jobs.repository.ts';
import { seedItems } from './jobs.test-utils.ts';

const WORKER = fileURLToPath(new URL('./claim-worker.fixture.ts', import.meta.url));
const JOB_COUNT = 300;

type ClaimWorker = {
  /** Resolves once the worker has opened the database and waits for `start()`. */
  ready: Promise<void>;
  start: () => void;
  /** The job ids this worker claimed. */
  claimed: Promise<number[]>;
};

function spawnClaimWorker(dbPath: string, name: string): ClaimWorker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, dbPath, name], {
    cwd: process.cwd(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let markReady = (): void => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (stdout.startsWith('ready\n')) markReady();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const claimed = new Promise<number[]>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0 && last.startsWith('[')) resolve(JSON.parse(last) as number[]);
      else reject(new Error(`claim worker ${name} exited with ${code}: ${stderr}`));
    });
  });
  return {
    // A worker that dies before it is ready fails the barrier instead of hanging it.
    ready: Promise.race([ready, claimed.then(() => {})]),
    start: () => child.stdin.end('go\n'),
    claimed,
  };
}

it('never hands the same job to two worker processes racing on one database file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jobs-claims-'));
  const path = join(dir, 'db.sqlite');
  const db = openDb(path);
  try {
    migrate(db);
    const repository = createJobsRepository({ db });
    for (const itemId of seedItems(db, { count: JOB_COUNT })) {
      repository.enqueue(db, {
        kind: 'summarize',
        itemId,
        payload: { item_id: itemId },
        maxAttempts: 1,
        now: new Date(),
      });
    }
    const workers = ['a', 'b'].map((name) => spawnClaimWorker(path, name));
    // Start both only once both have loaded, however slow process start-up is on the machine.
    await Promise.all(workers.map((worker) => worker.ready));
    for (const worker of workers) worker.start();
    const claims = await Promise.all(workers.map((worker) => worker.claimed));
    // No assertion that both workers got work: SQLite's busy handler is not fair, so one worker
    // can legitimately take every job.
    const all = claims.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(JOB_COUNT);
    expect(repository.countByState().succeeded).toBe(JOB_COUNT);
  } finally {
    closeDb(db);
    rmSync(dir, { recursive: true, force: true });
  }
});
