import { describe, expect, it } from 'vitest';
import type { ItemDetail, Job } from './api-types.ts';
import { isOlder, itemAfter, jobAfter, newer } from './snapshots.ts';

const at = (second: number) => new Date(Date.UTC(2026, 8, 1, 10, 0, second)).toISOString();

const job = (state: Job['state'], second: number, id = 1): Job => ({
  id,
  item_id: 10,
  kind: 'summarize',
  state,
  attempts: state === 'queued' ? 0 : 1,
  max_attempts: 3,
  progress: null,
  error: null,
  updated_at: at(second),
});

const item = (status: ItemDetail['status'], second: number, current: Job | null): ItemDetail => ({
  id: 10,
  course_id: 1,
  module_id: 2,
  position: 1,
  type: 'ExternalUrl',
  title: 'Lecture',
  indent: 0,
  canvas_url: null,
  provider: 'panopto',
  status,
  error: null,
  error_code: null,
  transcript_path: status === 'DISCOVERED' ? null : 'transcripts/10.md',
  summary_path: status === 'SUMMARY_READY' ? 'summaries/10.md' : null,
  media_links: [],
  updated_at: at(second),
  job: current,
});

describe('isOlder and newer', () => {
  it('keep what is shown against an older snapshot, and take a newer one or a tie', () => {
    expect(isOlder(job('queued', 1), job('succeeded', 5))).toBe(true);
    expect(isOlder(job('succeeded', 5), job('queued', 1))).toBe(false);
    expect(isOlder(job('running', 5), job('running', 5))).toBe(false);
    expect(isOlder(job('queued', 1), null)).toBe(false);

    const done = job('succeeded', 5);
    expect(newer(done, job('queued', 1))).toBe(done);
    const running = job('running', 6);
    expect(newer(done, running)).toBe(running);
    expect(newer(undefined, running)).toBe(running);
  });
});

describe('jobAfter', () => {
  it('ignores a late "queued" of a job already seen finished', () => {
    expect(jobAfter(job('succeeded', 5), job('queued', 1))?.state).toBe('succeeded');
  });

  it('takes a newer job, of the same id or another', () => {
    expect(jobAfter(job('queued', 1), job('running', 2))?.state).toBe('running');
    expect(jobAfter(job('succeeded', 5), job('queued', 9, 2))?.id).toBe(2);
  });

  it('ends an active job that a snapshot no longer names, and keeps a finished one to compare with', () => {
    expect(jobAfter(job('running', 2), null)).toBeNull();
    const failed = job('failed', 4);
    expect(jobAfter(failed, null)).toBe(failed);
    expect(jobAfter(undefined, null)).toBeNull();
  });
});

describe('itemAfter', () => {
  it('ignores an item snapshot older than the one shown, job and all', () => {
    const shown = item('SUMMARY_READY', 8, null);
    expect(itemAfter(shown, item('TRANSCRIPT_READY', 3, job('running', 3)))).toBe(shown);
  });

  it("takes a newer item's fields but keeps the newer of the two jobs", () => {
    const shown = item('DISCOVERED', 1, job('running', 7));
    const next = itemAfter(shown, item('DISCOVERED', 2, job('queued', 2)));
    expect(next.updated_at).toBe(at(2));
    expect(next.job?.state).toBe('running');
  });

  it('keeps a finished job beside a newer item that has none active', () => {
    const done = job('succeeded', 9);
    const next = itemAfter(item('TRANSCRIPT_READY', 9, done), item('TRANSCRIPT_READY', 9, null));
    expect(next.job).toBe(done);
    // So the POST's "queued" that answers after all of it changes nothing.
    expect(newer(next.job, job('queued', 1))).toBe(done);
  });

  it('takes the first snapshot as it is', () => {
    const first = item('DISCOVERED', 1, job('queued', 1));
    expect(itemAfter(undefined, first)).toEqual(first);
  });
});
