import { useState } from 'preact/hooks';
import { api } from '../api.ts';
import { Announce, Loading } from '../components/page-status.tsx';
import { ErrorNote } from '../components/status.tsx';
import { dateText, syncText } from '../format.ts';
import { useAction, useResource } from '../hooks.ts';
import { routes } from '../router.ts';

/** `#/`: the cached courses, and a sync that fetches them from Canvas. */
export function CoursesView() {
  const courses = useResource(() => api.courses().then((body) => body.courses), 'courses');
  const [result, setResult] = useState('');
  const sync = useAction(async () => {
    setResult('');
    const answer = await api.refreshCourses();
    courses.set(() => answer.courses);
    setResult(`Courses synced: ${syncText(answer.sync.courses)}.`);
  });

  return (
    <>
      <h1>Your courses</h1>
      <div class="toolbar">
        <button type="button" onClick={() => sync.start()} disabled={sync.pending}>
          {sync.pending ? 'Syncing courses…' : 'Sync courses from Canvas'}
        </button>
        <Announce>{result}</Announce>
      </div>
      <ErrorNote error={sync.error} />
      <ErrorNote error={courses.error} />
      {courses.data === undefined ? (
        !courses.error && <Loading what="courses" />
      ) : courses.data.length === 0 ? (
        <p class="muted">No courses yet: sync to fetch them from Canvas.</p>
      ) : (
        <ul class="cards">
          {courses.data.map((course) => (
            <li key={course.id} class="card">
              <a class="card-title" href={routes.course(course.id)}>
                {course.name}
              </a>
              <p class="muted">
                {[course.course_code, course.term_name].filter(Boolean).join(' · ')}
                {course.course_code || course.term_name ? ' · ' : ''}
                {course.last_synced_at
                  ? `modules synced ${dateText(course.last_synced_at)}`
                  : 'modules not synced yet'}
              </p>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
