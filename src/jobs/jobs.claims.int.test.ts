import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { closeDb, migrate, openDb } from '../db/client.ts';
import { createJobsRepository } from './jobs.repository.ts';
import { seedItems } from './jobs.test-utils.ts';

const run = promisify(execFile);
const WORKER = fileURLToPath(new URL('./claim-worker.fixture.ts', import.meta.url));
const JOB_COUNT = 300;

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
    // Both processes load first and then start claiming at the same instant.
    const startAt = String(Date.now() + 1_500);
    const workers = ['a', 'b'].map((name) =>
      run(process.execPath, ['--import', 'tsx', WORKER, path, startAt, name], { cwd: process.cwd() }),
    );
    const claims = (await Promise.all(workers)).map(({ stdout }) => JSON.parse(stdout) as number[]);
    const all = claims.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(JOB_COUNT);
    expect(claims.every((ids) => ids.length > 0)).toBe(true);
    expect(repository.countByState().succeeded).toBe(JOB_COUNT);
  } finally {
    closeDb(db);
    rmSync(dir, { recursive: true, force: true });
  }
});
