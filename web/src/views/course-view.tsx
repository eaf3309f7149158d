import { useState } from 'preact/hooks';
import { api, downloads } from '../api.ts';
import type { Course, Item, Job, Module } from '../api-types.ts';
import { Announce, Loading } from '../components/page-status.tsx';
import { ErrorNote } from '../components/status.tsx';
import { bulkText, dateText, isActive, STATUS_LABELS, syncText } from '../format.ts';
import { useAction, useLiveEvents, useResource } from '../hooks.ts';
import type { LiveEvent } from '../live.ts';
import { routes } from '../router.ts';
import { ModuleSection } from './module-section.tsx';

interface CourseData {
  course: Course;
  modules: Module[];
  items: Item[];
  /** The queued or running job of each item that has one. */
  jobs: Map<number, Job>;
}

async function loadCourse(id: number): Promise<CourseData> {
  const [course, modules, items, jobs] = await Promise.all([
    api.course(id),
    api.modules(id),
    api.courseItems(id),
    api.activeJobs(id),
  ]);
  return {
    course,
    modules: modules.modules,
    items,
    jobs: new Map(jobs.flatMap((job) => (job.item_id === null ? [] : [[job.item_id, job] as const]))),
  };
}

/** The jobs map after `job` changed: an active job shows, a finished one stops showing. */
function withJob(jobs: Map<number, Job>, job: Job): Map<number, Job> {
  if (job.item_id === null) return jobs;
  const next = new Map(jobs);
  const shown = jobs.get(job.item_id);
  if (isActive(job)) next.set(job.item_id, job);
  else if (!shown || shown.id === job.id) next.delete(job.item_id);
  return next;
}

const byPosition = (modules: Module[]) => {
  const order = new Map(modules.map((module) => [module.id, module.position]));
  return (a: Item, b: Item) =>
    (order.get(a.module_id) ?? 0) - (order.get(b.module_id) ?? 0) || a.position - b.position;
};

/** Applies one live event to what the view shows; false when only a reload can (a new module). */
function applyEvent(data: CourseData, event: LiveEvent, courseId: number): CourseData | false {
  if (event.type === 'item') {
    const { job, ...item } = event.item;
    if (item.course_id !== courseId) return data;
    if (!data.modules.some((module) => module.id === item.module_id)) return false;
    const items = [...data.items.filter((known) => known.id !== item.id), item].sort(
      byPosition(data.modules),
    );
    const jobs = job ? withJob(data.jobs, job) : data.jobs;
    return { ...data, items, jobs };
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

/** `#/courses/:id`: the course's modules and items, live, with syncs, summaries and exports. */
export function CourseView({ id }: { id: number }) {
  const data = useResource(() => loadCourse(id), id);
  const [result, setResult] = useState('');

  useLiveEvents((event) => {
    const current = data.data;
    if (!current) return;
    const next = applyEvent(current, event, id);
    if (next === false) void data.reload();
    else if (next !== current) data.set(() => next);
  });

  const addJobs = (jobs: Job[]) =>
    data.set((current) => current && { ...current, jobs: jobs.reduce(withJob, current.jobs) });
  const setModuleItems = (moduleId: number, items: Item[]) =>
    data.set(
      (current) =>
        current && {
          ...current,
          items: [...current.items.filter((item) => item.module_id !== moduleId), ...items].sort(
            byPosition(current.modules),
          ),
        },
    );

  const sync = useAction(async () => {
    setResult('');
    const answer = await api.refreshCourse(id);
    await data.reload();
    setResult(`Modules: ${syncText(answer.sync.modules)}. Items: ${syncText(answer.sync.items)}.`);
  });
  const summarize = useAction(async () => {
    setResult('');
    const answer = await api.summarizeCourse(id);
    addJobs(answer.jobs);
    setResult(bulkText(answer));
  });

  const current = data.data;
  if (!current) {
    return (
      <>
        <Breadcrumbs />
        <h1>Course {id}</h1>
        {data.error ? <ErrorNote error={data.error} /> : <Loading what="the course" />}
      </>
    );
  }
  const { course, modules, items, jobs } = current;
  return (
    <>
      <Breadcrumbs />
      <h1>{course.name}</h1>
      <p class="muted">
        {[course.course_code, course.term_name].filter(Boolean).join(' · ')} · synced{' '}
        {dateText(course.last_synced_at)}
      </p>
      <div class="toolbar">
        <button type="button" onClick={() => sync.start()} disabled={sync.pending}>
          {sync.pending ? 'Syncing course…' : 'Sync course from Canvas'}
        </button>
        <button
          type="button"
          onClick={() => summarize.start()}
          disabled={summarize.pending || items.length === 0}
        >
          Summarize all recordings
        </button>
        <a class="button-link" href={downloads.courseNotes(id)} download>
          All notes (.md)
        </a>
        <a class="button-link" href={downloads.courseVault(id)} download>
          Obsidian vault (.zip)
        </a>
        <Announce>{result}</Announce>
      </div>
      <ErrorNote error={sync.error ?? summarize.error ?? data.error} />
      <Progress items={items} jobs={jobs} />
      {modules.length === 0 ? (
        <p class="muted">No modules yet: sync the course to fetch its modules and items from Canvas.</p>
      ) : (
        modules.map((module) => (
          <ModuleSection
            key={module.id}
            module={module}
            items={items.filter((item) => item.module_id === module.id)}
            jobs={jobs}
            onItems={setModuleItems}
            onJobs={addJobs}
          />
        ))
      )}
    </>
  );
}

function Breadcrumbs() {
  return (
    <nav aria-label="Breadcrumb" class="breadcrumbs">
      <a href={routes.courses()}>Courses</a>
    </nav>
  );
}

/** "4 with a recording or reading. Notes ready: 1 · Not fetched yet: 3 · In progress: 1" */
function Progress({ items, jobs }: { items: Item[]; jobs: ReadonlyMap<number, Job> }) {
  const counted = items.filter((item) => item.type !== 'SubHeader' && item.provider !== null);
  if (counted.length === 0) return null;
  const by = (status: Item['status']) => counted.filter((item) => item.status === status).length;
  const parts = (['SUMMARY_READY', 'TRANSCRIPT_READY', 'FAILED', 'DISCOVERED'] as const)
    .filter((status) => by(status) > 0)
    .map((status) => `${STATUS_LABELS[status]}: ${by(status)}`);
  if (jobs.size > 0) parts.push(`In progress: ${jobs.size}`);
  return (
    <p class="progress-summary">
      {counted.length} with a recording or reading. {parts.join(' · ')}
    </p>
  );
}
