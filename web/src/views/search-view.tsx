import { api } from '../api.ts';
import { Loading } from '../components/page-status.tsx';
import { ErrorNote, StatusBadge } from '../components/status.tsx';
import { plural } from '../format.ts';
import { useResource } from '../hooks.ts';
import { sanitizeSnippet, webUrl } from '../markdown.ts';
import { routes } from '../router.ts';

const MATCHES = { title: 'Title', transcript: 'Said in the recording', notes: 'In the notes' } as const;

/** `#/search?q=…&course_id=…`: items whose title, transcript or notes hold the words. */
export function SearchView({ q, courseId }: { q: string; courseId: number | null }) {
  const query = q.trim();
  const courses = useResource(() => api.courses().then((body) => body.courses), 'courses');
  const answer = useResource(
    () => (query ? api.search(query, courseId) : Promise.resolve(null)),
    `${query}\u0000${courseId}`,
  );
  const courseName = (id: number) => courses.data?.find((course) => course.id === id)?.name ?? `Course ${id}`;

  const filter = (event: Event) => {
    event.preventDefault();
    const select = (event.currentTarget as HTMLFormElement).elements.namedItem('course') as HTMLSelectElement;
    location.hash = routes.search(query, select.value ? Number(select.value) : null);
  };

  return (
    <>
      <h1>{query ? `Search: “${query}”` : 'Search'}</h1>
      {!query && (
        <p class="muted">Type words in the search box above: titles, transcripts and notes are searched.</p>
      )}
      {courses.data && courses.data.length > 1 && query && (
        <form class="toolbar" onSubmit={filter}>
          <label for="search-course">In</label>
          <select id="search-course" name="course" value={courseId === null ? '' : String(courseId)}>
            <option value="">All courses</option>
            {courses.data.map((course) => (
              <option key={course.id} value={String(course.id)}>
                {course.name}
              </option>
            ))}
          </select>
          <button type="submit">Filter</button>
        </form>
      )}
      <ErrorNote error={answer.error} />
      {query && !answer.data && !answer.error && <Loading what="results" />}
      {answer.data && (
        <>
          <p role="status">
            {answer.data.total === 0 ? 'Nothing found.' : `${plural(answer.data.total, 'item')} found.`}
          </p>
          <ol class="results">
            {answer.data.results.map((result) => (
              <li key={result.item_id} class="result" data-item-id={result.item_id}>
                <a class="result-title" href={routes.item(result.item_id, result.start_ms)}>
                  {result.title}
                </a>
                <p class="item-meta">
                  <span>{courseName(result.course_id)}</span>
                  <span>
                    {MATCHES[result.match] ?? result.match}
                    {result.start ? ` at ${result.start}` : ''}
                  </span>
                  <StatusBadge status={result.status} />
                </p>
                <p
                  class="snippet"
                  // Sanitized to text and <mark> only (markdown.ts).
                  dangerouslySetInnerHTML={{ __html: sanitizeSnippet(result.snippet) }}
                />
                {webUrl(result.link) && (
                  <a href={webUrl(result.link)} target="_blank" rel="noopener noreferrer">
                    Open the recording at {result.start}
                  </a>
                )}
              </li>
            ))}
          </ol>
        </>
      )}
    </>
  );
}
