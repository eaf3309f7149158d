import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.ts';
import type { SearchResult } from '../api-types.ts';
import { Loading } from '../components/page-status.tsx';
import { ErrorNote, StatusBadge } from '../components/status.tsx';
import { plural } from '../format.ts';
import { useAction, useResource } from '../hooks.ts';
import { sanitizeSnippet, webUrl } from '../markdown.ts';
import { routes } from '../router.ts';

const MATCHES = { title: 'Title', transcript: 'Said in the recording', notes: 'In the notes' } as const;

/** "Nothing found.", "3 items found.", "20 of 57 items shown." */
function countText(shown: number, total: number): string {
  if (total === 0) return 'Nothing found.';
  return shown < total ? `${shown} of ${plural(total, 'item')} shown.` : `${plural(total, 'item')} found.`;
}

/** Results of later pages after `known`, without an item already listed (the ranking may shift). */
function appended(known: SearchResult[], page: SearchResult[]): SearchResult[] {
  const ids = new Set(known.map((result) => result.item_id));
  return [...known, ...page.filter((result) => !ids.has(result.item_id))];
}

/** `#/search?q=…&course_id=…`: items whose title, transcript or notes hold the words. */
export function SearchView({ q, courseId }: { q: string; courseId: number | null }) {
  const query = q.trim();
  const courses = useResource(() => api.courses().then((body) => body.courses), 'courses');
  const key = `${query}\u0000${courseId}`;
  const answer = useResource(() => (query ? api.search(query, courseId) : Promise.resolve(null)), key);
  // Pages after the first, for this query only ("More results").
  const [later, setLater] = useState<{ key: string; results: SearchResult[]; total: number } | null>(null);
  const extra = later?.key === key ? later : null;
  const results = answer.data ? appended(answer.data.results, extra?.results ?? []) : [];
  const total = extra?.total ?? answer.data?.total ?? 0;
  const list = useRef<HTMLOListElement>(null);
  const focusAt = useRef<number | null>(null);
  const more = useAction(async () => {
    const page = await api.search(query, courseId, results.length);
    focusAt.current = results.length;
    setLater({ key, results: [...(extra?.results ?? []), ...page.results], total: page.total });
  });
  // Keyboard and screen-reader users go on from the first result the button added.
  useEffect(() => {
    if (focusAt.current === null) return;
    const link = list.current?.querySelectorAll<HTMLAnchorElement>('.result-title')[focusAt.current];
    focusAt.current = null;
    link?.focus();
  }, [results.length]);
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
          <p role="status">{countText(results.length, total)}</p>
          <ol class="results" ref={list}>
            {results.map((result) => (
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
          {results.length < total && (
            <button type="button" onClick={() => more.start()} disabled={more.pending}>
              {more.pending ? 'Loading more results…' : 'More results'}
            </button>
          )}
          <ErrorNote error={more.error} />
        </>
      )}
    </>
  );
}
