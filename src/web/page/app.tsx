import { useEffect, useRef } from 'preact/hooks';
import { api } from './api.ts';
import { ForgetKey } from './components/key-prompt.tsx';
import { useLiveEvents, useLiveState, useResource } from './hooks.ts';
import { type Route, routes, useRoute } from './router.ts';
import { CourseView } from './views/course-view.tsx';
import { CoursesView } from './views/courses-view.tsx';
import { ItemView } from './views/item-view.tsx';
import { SearchView } from './views/search-view.tsx';

const LIVE_LABELS = { connecting: 'Connecting…', live: 'Live', polling: 'Polling' } as const;

function View({ route }: { route: Route }) {
  switch (route.name) {
    case 'courses':
      return <CoursesView />;
    case 'course':
      return <CourseView key={route.id} id={route.id} />;
    case 'item':
      return <ItemView key={route.id} id={route.id} t={route.t} />;
    case 'search':
      return <SearchView q={route.q} courseId={route.courseId} />;
    default:
      return (
        <>
          <h1>Not found</h1>
          <p>
            Nothing lives at this address. <a href={routes.courses()}>Back to your courses</a>.
          </p>
        </>
      );
  }
}

/** Where a route is, ignoring the moment `?t=` (choosing one does not move focus). */
const placeOf = (route: Route) =>
  route.name === 'item' ? `item/${route.id}` : route.name === 'course' ? `course/${route.id}` : route.name;

export function App() {
  const route = useRoute();
  const health = useResource(() => api.health(), 'health');
  const live = useLiveState();
  // Asked again whenever the views reload (a poll, a new stream): a server that did not answer
  // at first, or was restarted in another mode, is shown as it is now.
  useLiveEvents((event) => {
    if (event.type === 'refetch') void health.reload();
  });
  const main = useRef<HTMLElement>(null);
  const place = placeOf(route);
  const first = useRef(true);

  // After a move to another view, start keyboard and screen-reader users at its content.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
    scrollTo(0, 0);
  }, [place]);

  const search = (event: Event) => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).elements.namedItem('q') as HTMLInputElement;
    if (input.value.trim()) location.hash = routes.search(input.value.trim());
  };

  return (
    <>
      {/* biome-ignore lint/a11y/useValidAnchor: a skip link; the hash router would read #main as a route. */}
      <a
        class="skip-link"
        href="#main"
        onClick={(event) => {
          event.preventDefault();
          main.current?.focus();
        }}
      >
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={routes.courses()}>
          canvas-notes
        </a>
        <search class="search">
          <form onSubmit={search}>
            <label for="search-q" class="visually-hidden">
              Search titles, transcripts and notes
            </label>
            <input
              id="search-q"
              name="q"
              type="search"
              placeholder="Search transcripts and notes"
              maxLength={500}
              key={route.name === 'search' ? route.q : ''}
              defaultValue={route.name === 'search' ? route.q : ''}
            />
            <button type="submit">Search</button>
          </form>
        </search>
        <span class={`live-state live-${live}`} data-live={live} title="How the page hears of changes">
          {LIVE_LABELS[live]}
        </span>
        <ForgetKey />
      </header>
      {health.data?.mode === 'demo' && (
        <p class="banner" role="note">
          <strong>Demo account.</strong> No CANVAS_TOKEN is set, so canvas-notes shows its built-in demo
          courses. Put CANVAS_BASE_URL and CANVAS_TOKEN in .env and restart to use your own Canvas.
        </p>
      )}
      {health.error && (
        <p class="banner banner-error" role="alert">
          The canvas-notes server did not answer its health check: {health.error.message}
        </p>
      )}
      <main id="main" ref={main} tabIndex={-1}>
        <View route={route} />
      </main>
    </>
  );
}
