import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeDb, migrate, openDb } from '../src/db/client.ts';
import { createJobsRepository } from '../src/jobs/jobs.repository.ts';
import { seedItems } from '../src/jobs/jobs.test-utils.ts';
import { createJobRunner, type JobHandler } from '../src/jobs/runner.ts';
import { createSilentLogger } from '../src/shared/logger.ts';

const JOB_COUNT = 1_000;
const CONCURRENCY = 2;

const noop: JobHandler = async () => {};

/** Enqueues one job per transaction (as the API does), then drains them with the real runner. */
async function runDurable(): Promise<{ enqueueMs: number; runMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'canvas-notes-queue-bench-'));
  const db = openDb(join(dir, 'bench.sqlite'));
  try {
    migrate(db);
    const itemIds = seedItems(db, { count: JOB_COUNT });
    const repository = createJobsRepository({ db });
    const enqueueStart = performance.now();
    for (const itemId of itemIds) {
      db.transaction((tx) =>
        repository.enqueue(tx, {
          kind: 'summarize',
          itemId,
          payload: { item_id: itemId },
          maxAttempts: 3,
          now: new Date(),
        }),
      );
    }
    const enqueueMs = performance.now() - enqueueStart;
    const runner = createJobRunner({
      repository,
      handlers: { fetch_transcript: noop, summarize: noop },
      logger: createSilentLogger(),
      concurrency: CONCURRENCY,
      jobTimeoutMs: 30_000,
      leaseMs: 30_000,
      pollIntervalMs: 1_000,
      heartbeatMs: 10_000,
      retry: { baseMs: 1, maxMs: 10 },
    });
    const runStart = performance.now();
    await runner.runUntilEmpty();
    const runMs = performance.now() - runStart;
    const succeeded = repository.countByState().succeeded;
    if (succeeded !== JOB_COUNT) throw new Error(`expected ${JOB_COUNT} succeeded jobs, got ${succeeded}`);
    return { enqueueMs, runMs };
  } finally {
    closeDb(db);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The floor: the same no-op jobs through an array with the same concurrency, no durability. */
async function runInMemory(): Promise<number> {
  const queue = Array.from({ length: JOB_COUNT }, () => noop);
  const start = performance.now();
  const worker = async () => {
    for (let handler = queue.shift(); handler; handler = queue.shift()) await handler({} as never);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return performance.now() - start;
}

const perSecond = (ms: number) => Math.round((JOB_COUNT / ms) * 1_000);

/**
 * Throughput of the durable SQLite queue (file DB, WAL, real runner) against an in-memory array,
 * both with concurrency 2 and no-op handlers. The durable figure includes enqueue time.
 */
export async function benchQueue(): Promise<{
  name: string;
  lines: string[];
  figures: Record<string, number>;
}> {
  await runDurable(); // warm-up: JIT, SQLite page cache, module loading
  const { enqueueMs, runMs } = await runDurable();
  const memoryMs = await runInMemory();
  const durableMs = enqueueMs + runMs;
  return {
    name: 'queue',
    lines: [
      `durable queue: ${JOB_COUNT} no-op jobs, concurrency ${CONCURRENCY}: enqueue ${enqueueMs.toFixed(0)} ms + run ${runMs.toFixed(0)} ms`,
      `durable:   ${perSecond(durableMs)} jobs/s (run only: ${perSecond(runMs)} jobs/s)`,
      `in-memory: ${perSecond(memoryMs)} jobs/s`,
      `ratio in-memory/durable: ${(durableMs / memoryMs).toFixed(0)}x`,
    ],
    figures: {
      queue_jobs: JOB_COUNT,
      queue_enqueue_ms: Math.round(enqueueMs),
      queue_run_ms: Math.round(runMs),
      queue_durable_jobs_per_s: perSecond(durableMs),
      queue_durable_run_only_jobs_per_s: perSecond(runMs),
      queue_in_memory_jobs_per_s: perSecond(memoryMs),
      queue_durable_slowdown_vs_in_memory: Math.round(durableMs / memoryMs),
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await benchQueue();
  process.stdout.write(`${result.lines.join('\n')}\n`);
}
