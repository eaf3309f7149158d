import type { FastifyInstance } from 'fastify';

/**
 * A full sync as the page runs one, through the app's own API: the course list, then every
 * course's modules and items (with discovery of the recordings in Pages and Files) at once.
 * Throws on any answer but 200, naming it.
 */
export async function fullSyncThroughApi(app: FastifyInstance): Promise<void> {
  const courses = await app.inject({ method: 'POST', url: '/me/courses/refresh' });
  if (courses.statusCode !== 200)
    throw new Error(`course refresh answered ${courses.statusCode}: ${courses.body}`);
  const ids = (courses.json() as { courses: Array<{ id: number }> }).courses.map((course) => course.id);
  await Promise.all(
    ids.map(async (id) => {
      const answer = await app.inject({ method: 'POST', url: `/courses/${id}/modules/refresh` });
      if (answer.statusCode !== 200) {
        throw new Error(`course ${id} refresh answered ${answer.statusCode}: ${answer.body}`);
      }
    }),
  );
}

/**
 * What a sync left, as the API lists it: courses, each course's modules, and every item with its
 * discovered recordings. Timestamps are left out and `canvasOrigin` reads `CANVAS`, so two syncs
 * of one account from two fakes compare equal.
 */
export async function syncedData(app: FastifyInstance, canvasOrigin: string): Promise<unknown> {
  const get = async (url: string) => {
    const answer = await app.inject({ method: 'GET', url });
    if (answer.statusCode !== 200) throw new Error(`GET ${url} answered ${answer.statusCode}`);
    return answer.json();
  };
  const courses = ((await get('/courses')) as { courses: Array<Record<string, unknown>> }).courses;
  const result = [];
  for (const course of courses) {
    const { modules } = (await get(`/courses/${course.id}/modules`)) as { modules: unknown[] };
    const items: unknown[] = [];
    for (let offset = 0; ; offset += 200) {
      const page = (await get(`/items?course_id=${course.id}&limit=200&offset=${offset}`)) as {
        items: unknown[];
        total: number;
      };
      items.push(...page.items);
      if (page.items.length === 0 || items.length >= page.total) break;
    }
    result.push({ course, modules, items });
  }
  return JSON.parse(JSON.stringify(withoutTimes(result)).replaceAll(canvasOrigin, 'CANVAS'));
}

function withoutTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimes);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => !/(?:_at|At)$/.test(key))
        .map(([key, inner]) => [key, withoutTimes(inner)]),
    );
  }
  return value;
}
