import { useState } from 'preact/hooks';
import { api, downloads } from '../api.ts';
import type { Item, Job } from '../api-types.ts';
import { DownloadLink } from '../components/download-link.tsx';
import { Announce, Loading } from '../components/page-status.tsx';
import { ErrorNote } from '../components/status.tsx';
import { bulkText, dateText, STATUS_LABELS, syncText } from '../format.ts';
import { useAction, useLiveEvents, useResource } from '../hooks.ts';
import { routes } from '../router.ts';
import {
  activeOnly,
  applyEvent,
  type CourseData,
  mergeCourse,
  withJob,
  withModuleItems,
} from './course-state.ts';
import { ModuleSection } from './module-section.tsx';

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

/** `#/courses/:id`: the course's modules and items, live, with syncs, summaries and exports. */
export function CourseView({ id }: { id: number }) {
  const data = useResource(() => loadCourse(id), id, mergeCourse);
  const [result, setResult] = useState('');

  useLiveEvents((event) => {
    const current = data.data;
    if (!current) return;
    if (applyEvent(current, event, id) === false) {
      void data.reload();
      return;
    }
    // Applied to the latest state, not this render's: events can come faster than renders.
    data.set((shown) => {
      const next = shown && applyEvent(shown, event, id);
      return next || shown;
    });
  });

  const addJobs = (jobs: Job[]) =>
    data.set((current) => current && { ...current, jobs: jobs.reduce(withJob, current.jobs) });
  const setModuleItems = (moduleId: number, items: Item[]) =>
    data.set((current) => current && withModuleItems(current, moduleId, items));

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
  const { course, modules, items } = current;
  const jobs = activeOnly(current.jobs);
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
        <DownloadLink href={downloads.courseNotes(id)}>All notes (.md)</DownloadLink>
        <DownloadLink href={downloads.courseVault(id)}>Obsidian vault (.zip)</DownloadLink>
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
