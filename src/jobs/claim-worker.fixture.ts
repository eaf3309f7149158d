/**
 * A second process for the cross-process claim test: opens the database file in argv[2], prints
 * `ready`, waits for a line on stdin (the parent's start barrier), then claims and completes jobs
 * until none is left and prints the ids it claimed as JSON on a last line. It yields for a
 * millisecond between claims so that the other worker gets a chance at the write lock; SQLite's
 * busy handler is not fair, so either worker may still end up with every job.
 */
import { once } from 'node:events';
import { setTimeout as delay } from 'node:timers/promises';
import { closeDb, openDb } from '../db/client.ts';
import { createJobsRepository } from './jobs.repository.ts';

const [, , dbPath, name] = process.argv;
const db = openDb(dbPath ?? '');
const repository = createJobsRepository({ db });
process.stdout.write('ready\n');
await once(process.stdin, 'data');
process.stdin.destroy();
const claimed: number[] = [];
for (let round = 0; ; round += 1) {
  const jobs = repository.claimBatch({
    now: new Date(),
    leaseMs: 60_000,
    claimId: `${name}-${round}`,
    limit: 2,
  });
  if (jobs.length === 0 && repository.countByState().queued === 0) break;
  for (const job of jobs) {
    claimed.push(job.id);
    repository.complete(job.id, job.claimId ?? '', new Date());
  }
  await delay(1);
}
closeDb(db);
process.stdout.write(`${JSON.stringify(claimed)}\n`);
