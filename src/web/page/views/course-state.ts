import type { Course, Item, Job, Module } from '../api-types.ts';
import { isActive } from '../format.ts';
import type { LiveEvent } from '../live.ts';
import { isOlder, jobAfter, newer } from '../snapshots.ts';

/**
 * What the course view holds and how each answer or event changes it: pure, so the rules of
 * merging (snapshots.ts) are tested without a browser.
 */

export interface CourseData {
  course: Course;
  modules: Module[];
  items: Item[];
  /**
   * The newest job of each item the view has heard of. Finished ones stay (they are not shown) so
   * that a late copy of them as queued or running is known to be older.
   */
  jobs: Map<number, Job>;
}

/** The jobs map with `job` set as item `itemId`'s (`null`: it has none). */
function withSlot(jobs: Map<number, Job>, itemId: number, job: Job | null): Map<number, Job> {
  if ((jobs.get(itemId) ?? null) === job) return jobs;
  const next = new Map(jobs);
  if (job) next.set(itemId, job);
  else next.delete(itemId);
  return next;
}

/** The jobs map after hearing of `job` (from the stream or a POST's answer), unless it is older. */
export const withJob = (jobs: Map<number, Job>, job: Job): Map<number, Job> =>
  job.item_id === null ? jobs : withSlot(jobs, job.item_id, newer(jobs.get(job.item_id), job));

/** Only the queued and running jobs: what the rows and the progress line show. */
export const activeOnly = (jobs: ReadonlyMap<number, Job>): ReadonlyMap<number, Job> =>
  new Map([...jobs].filter(([, job]) => isActive(job)));

/**
 * A reload's answer merged into what is shown: items the stream updated meanwhile keep their newer
 * state, and so do jobs; the reload lists active jobs only, so one it leaves out has ended.
 */
export function mergeCourse(shown: CourseData | undefined, loaded: CourseData): CourseData {
  if (!shown) return loaded;
  const before = new Map(shown.items.map((item) => [item.id, item]));
  const items = loaded.items.map((item) => newer(before.get(item.id), item));
  let jobs = new Map<number, Job>();
  for (const item of items)
    jobs = withSlot(jobs, item.id, jobAfter(shown.jobs.get(item.id), loaded.jobs.get(item.id) ?? null));
  return { ...loaded, items, jobs };
}

const byPosition = (modules: Module[]) => {
  const order = new Map(modules.map((module) => [module.id, module.position]));
  return (a: Item, b: Item) =>
    (order.get(a.module_id) ?? 0) - (order.get(b.module_id) ?? 0) || a.position - b.position;
};

/** Applies one live event to what the view shows; false when only a reload can (a new module). */
export function applyEvent(data: CourseData, event: LiveEvent, courseId: number): CourseData | false {
  if (event.type === 'item') {
    const { job, ...item } = event.item;
    if (item.course_id !== courseId) return data;
    if (!data.modules.some((module) => module.id === item.module_id)) return false;
    if (
      isOlder(
        item,
        data.items.find((known) => known.id === item.id),
      )
    )
      return data;
    const items = [...data.items.filter((known) => known.id !== item.id), item].sort(
      byPosition(data.modules),
    );
    return { ...data, items, jobs: withSlot(data.jobs, item.id, jobAfter(data.jobs.get(item.id), job)) };
  }
  if (event.type === 'job') {
    const known = data.items.some((item) => item.id === event.job.item_id);
    return known ? { ...data, jobs: withJob(data.jobs, event.job) } : data;
  }
  if (event.type === 'item_removed') {
    if (event.removed.course_id !== courseId) return data;
    return { ...data, items: data.items.filter((item) => item.id !== event.removed.id) };
  }
  return false;
}

/** The items after a sync of one module answered `items`: those the stream made newer stay so. */
export function withModuleItems(data: CourseData, moduleId: number, items: Item[]): CourseData {
  const before = new Map(data.items.map((item) => [item.id, item]));
  const synced = items.map((item) => newer(before.get(item.id), item));
  return {
    ...data,
    items: [...data.items.filter((item) => item.module_id !== moduleId), ...synced].sort(
      byPosition(data.modules),
    ),
  };
}
