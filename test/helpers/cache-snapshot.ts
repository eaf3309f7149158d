import type { FastifyInstance } from 'fastify';

/**
 * Everything the API shows of the cache for `courseIds`: the course list, each course and its
 * modules, every item's listing and detail (status, error, sources, artifact records, job), and
 * the transcript and notes texts of the items that have them. Compare two with `toEqual` to
 * prove a failed operation changed nothing a client can see.
 */
export async function snapshotCache(app: FastifyInstance, courseIds: readonly number[]) {
  const get = async (url: string) => {
    const response = await app.inject({ method: 'GET', url });
    const json = String(response.headers['content-type'] ?? '').startsWith('application/json');
    return { status: response.statusCode, body: json ? (response.json() as unknown) : response.body };
  };
  const courses = await get('/me/courses');
  const perCourse: Record<number, unknown> = {};
  for (const id of courseIds) {
    const listing = await get(`/items?course_id=${id}&limit=200`);
    const items = listing.status === 200 ? (listing.body as { items: Array<{ id: number }> }).items : [];
    const details: Record<number, unknown> = {};
    for (const item of items) {
      details[item.id] = {
        detail: await get(`/items/${item.id}`),
        transcript: await get(`/items/${item.id}/transcript`),
        summary: await get(`/items/${item.id}/summary`),
      };
    }
    perCourse[id] = {
      course: await get(`/courses/${id}`),
      modules: await get(`/courses/${id}/modules`),
      items: listing,
      details,
    };
  }
  return { courses, perCourse };
}
