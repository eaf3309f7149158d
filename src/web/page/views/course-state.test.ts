import { describe, expect, it } from 'vitest';
import type { Item, Job } from '../api-types.ts';
import {
  activeOnly,
  applyEvent,
  type CourseData,
  mergeCourse,
  withJob,
  withModuleItems,
} from './course-state.ts';

const COURSE = 1;
const MODULE = 2;
const at = (second: number) => new Date(Date.UTC(2026, 8, 1, 10, 0, second)).toISOString();

const item = (id: number, status: Item['status'], second: number): Item => ({
  id,
  course_id: COURSE,
  module_id: MODULE,
  position: id,
  type: 'ExternalUrl',
  title: `Lecture ${id}`,
  indent: 0,
  canvas_url: null,
  provider: 'panopto',
  status,
  error: null,
  error_code: null,
  transcript_path: status === 'DISCOVERED' ? null : `transcripts/${id}.md`,
  summary_path: null,
  media_links: [],
  updated_at: at(second),
});

const job = (itemId: number, state: Job['state'], second: number, id = itemId * 100): Job => ({
  id,
  item_id: itemId,
  kind: 'fetch_transcript',
  state,
  attempts: 1,
  max_attempts: 3,
  progress: null,
  error: null,
  updated_at: at(second),
});

const course = (items: Item[], jobs: Job[] = []): CourseData => ({
  course: { id: COURSE, name: 'Course', course_code: null, term_name: null, last_synced_at: null },
  modules: [{ id: MODULE, course_id: COURSE, title: 'Week 1', position: 1, item_count: items.length }],
  items,
  jobs: new Map(jobs.map((one) => [one.item_id as number, one])),
});

/** What the view shows for item `id`: its status and its active job's state, if any. */
const shown = (data: CourseData, id: number) => ({
  status: data.items.find((one) => one.id === id)?.status,
  job: activeOnly(data.jobs).get(id)?.state ?? null,
});

describe('the course view state', () => {
  it('keeps what the stream said when a reload started before it answers after', () => {
    // The stream: job queued, running, done; the item has its transcript.
    let data = course([item(1, 'DISCOVERED', 1)]);
    for (const event of [job(1, 'queued', 2), job(1, 'running', 3), job(1, 'succeeded', 5)]) {
      data = applyEvent(data, { type: 'job', job: event }, COURSE) as CourseData;
    }
    data = applyEvent(
      data,
      { type: 'item', item: { ...item(1, 'TRANSCRIPT_READY', 5), job: null } },
      COURSE,
    ) as CourseData;
    expect(shown(data, 1)).toEqual({ status: 'TRANSCRIPT_READY', job: null });

    // A reload that read the database while the job was still queued.
    const late = mergeCourse(data, course([item(1, 'DISCOVERED', 1)], [job(1, 'queued', 2)]));
    expect(shown(late, 1)).toEqual({ status: 'TRANSCRIPT_READY', job: null });
  });

  it('ignores a POST answer that says queued after the stream said the job finished', () => {
    let data = course([item(1, 'DISCOVERED', 1)]);
    data = applyEvent(data, { type: 'job', job: job(1, 'succeeded', 5) }, COURSE) as CourseData;
    data = { ...data, jobs: [job(1, 'queued', 2)].reduce(withJob, data.jobs) };
    expect(shown(data, 1).job).toBeNull();
  });

  it('takes a newer reload: a job that finished unseen (polling) stops showing', () => {
    const data = course([item(1, 'DISCOVERED', 1)], [job(1, 'running', 3)]);
    expect(shown(data, 1).job).toBe('running');
    const reloaded = mergeCourse(data, course([item(1, 'TRANSCRIPT_READY', 6)]));
    expect(shown(reloaded, 1)).toEqual({ status: 'TRANSCRIPT_READY', job: null });
  });

  it('shows a new job of an item whose last one finished', () => {
    let data = course([item(1, 'TRANSCRIPT_READY', 5)], [job(1, 'succeeded', 5)]);
    data = { ...data, jobs: [job(1, 'queued', 8, 101)].reduce(withJob, data.jobs) };
    expect(shown(data, 1).job).toBe('queued');
  });

  it('ignores an older item event, and a module sync older than what the stream said', () => {
    let data = course([item(1, 'TRANSCRIPT_READY', 5), item(2, 'DISCOVERED', 1)]);
    const before = data;
    data = applyEvent(
      data,
      { type: 'item', item: { ...item(1, 'DISCOVERED', 1), job: null } },
      COURSE,
    ) as CourseData;
    expect(data).toBe(before);

    data = withModuleItems(data, MODULE, [
      item(1, 'DISCOVERED', 1),
      item(2, 'DISCOVERED', 1),
      item(3, 'DISCOVERED', 7),
    ]);
    expect(data.items.map((one) => [one.id, one.status])).toEqual([
      [1, 'TRANSCRIPT_READY'],
      [2, 'DISCOVERED'],
      [3, 'DISCOVERED'],
    ]);
  });

  it('asks for a reload on a refetch and for an item of a module it does not know', () => {
    const data = course([item(1, 'DISCOVERED', 1)]);
    expect(applyEvent(data, { type: 'refetch' }, COURSE)).toBe(false);
    const elsewhere = { ...item(9, 'DISCOVERED', 1), module_id: 99, job: null };
    expect(applyEvent(data, { type: 'item', item: elsewhere }, COURSE)).toBe(false);
  });
});
