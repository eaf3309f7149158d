/**
 * A second process for the cross-process claim test: claims and completes jobs from the database
 * file in argv[2] until none is left, then prints the ids it claimed as JSON. Starts at the epoch
 * ms in argv[3] so that both workers race from the same moment.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { closeDb, openDb } from '../db/client.ts';
import { createJobsRepository } from './jobs.repository.ts';

const [, , dbPath, startAt, name] = process.argv;
const db = openDb(dbPath ?? '');
const repository = createJobsRepository({ db });
await delay(Math.max(0, Number(startAt) - Date.now()));
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
}
closeDb(db);
process.stdout.write(JSON.stringify(claimed));
