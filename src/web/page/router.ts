import { useEffect, useState } from 'preact/hooks';

/**
 * Hash routes, since the API's own paths (`/courses/101`, `/items/10001`) live at the root of
 * the same origin: `#/`, `#/courses/:id`, `#/items/:id?t=<ms>`, `#/search?q=…&course_id=…`.
 */
export type Route =
  | { name: 'courses' }
  | { name: 'course'; id: number }
  | { name: 'item'; id: number; t: number | null }
  | { name: 'search'; q: string; courseId: number | null }
  | { name: 'not_found'; path: string };

const positive = (value: string | null | undefined): number | null =>
  value && /^[1-9][0-9]{0,15}$/.test(value) ? Number(value) : null;

const whole = (value: string | null): number | null =>
  value && /^(0|[1-9][0-9]{0,15})$/.test(value) ? Number(value) : null;

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, '') || '/';
  const [path = '/', query = ''] = raw.split('?', 2);
  const params = new URLSearchParams(query);
  if (path === '/' || path === '') return { name: 'courses' };
  const [, section, id, extra] = path.split('/');
  if (extra === undefined && section === 'courses' && positive(id) !== null) {
    return { name: 'course', id: positive(id) as number };
  }
  if (extra === undefined && section === 'items' && positive(id) !== null) {
    return { name: 'item', id: positive(id) as number, t: whole(params.get('t')) };
  }
  if (path === '/search') {
    return { name: 'search', q: params.get('q') ?? '', courseId: positive(params.get('course_id')) };
  }
  return { name: 'not_found', path };
}

export const routes = {
  courses: () => '#/',
  course: (id: number) => `#/courses/${id}`,
  item: (id: number, t?: number | null) => (t == null ? `#/items/${id}` : `#/items/${id}?t=${t}`),
  search: (q: string, courseId?: number | null) => {
    const params = new URLSearchParams({ q });
    if (courseId != null) params.set('course_id', String(courseId));
    return `#/search?${params}`;
  },
};

/** The current route, following the hash. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  return route;
}

/** Rewrites the address without a history entry or a hashchange (a moment chosen in the item view). */
export function replaceHash(hash: string): void {
  history.replaceState(history.state, '', hash);
}
