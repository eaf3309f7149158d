import { describe, expect, it, vi } from 'vitest';
import { createTestDb } from '../../db/db.test-utils.ts';
import { createItemsRepository } from '../../db/repositories/items.repository.ts';
import { createSilentLogger } from '../../shared/logger.ts';
import type { SummariesService } from '../../summarize/summaries.service.ts';
import { createJobsRepository } from '../jobs.repository.ts';
import { seedItems } from '../jobs.test-utils.ts';
import { createSummarizeJob } from './summarize.job.ts';

/** An item whose transcript fetch was claimed with a lease ending `leaseMs` from now. */
function setUp(leaseMs: number) {
  const db = createTestDb();
  const [itemId = 0] = seedItems(db, { count: 1 });
  const jobs = createJobsRepository({ db });
  const past = new Date(Date.now() - 1_000);
  jobs.enqueue(db, {
    kind: 'fetch_transcript',
    itemId,
    payload: { item_id: itemId },
    maxAttempts: 3,
    now: past,
  });
  const claimed = jobs.claimNext({ now: past, leaseMs: 1_000 + leaseMs, claimId: 'w1' });
  expect(claimed?.state).toBe('running');
  const summarize = vi.fn<SummariesService['summarize']>(async () => ({
    artifact: {} as never,
    reused: false,
  }));
  const handler = createSummarizeJob({
    items: createItemsRepository({ db }),
    jobs,
    summaries: { summarize },
  });
  const run = (signal: AbortSignal) =>
    handler({
      job: claimed ?? ({} as never),
      payload: { item_id: itemId },
      signal,
      reportProgress: () => {},
      logger: createSilentLogger(),
    });
  return { run, summarize };
}

describe('the summarize job', () => {
  it('waits for a transcript fetch that a live worker is running for the same item', async () => {
    const { run, summarize } = setUp(60_000);
    const signal = AbortSignal.timeout(400);
    const error = await run(signal).catch((thrown: unknown) => thrown);
    // It was still waiting when its own time ran out, not failing for another reason.
    expect(error).toBe(signal.reason);
    expect(summarize).not.toHaveBeenCalled();
  });

  it('does not wait for a fetch whose worker died (lease expired), so no slot waits on it forever', async () => {
    const { run, summarize } = setUp(-500);
    await run(AbortSignal.timeout(400));
    expect(summarize).toHaveBeenCalledTimes(1);
  });
});
