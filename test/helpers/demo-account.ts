import type { FastifyInstance } from 'fastify';

/** The demo account's course ids (src/demo/demo-canvas.ts), one module each. */
export const DEMO_COURSE_IDS = [101, 102, 103, 104, 105] as const;

/** Syncs the demo courses, then the modules and items of `courseIds` (all by default). */
export async function syncDemo(
  app: FastifyInstance,
  courseIds: readonly number[] = DEMO_COURSE_IDS,
): Promise<void> {
  const courses = await app.inject({ method: 'POST', url: '/me/courses/refresh' });
  if (courses.statusCode !== 200) throw new Error(`course refresh failed: ${courses.body}`);
  for (const id of courseIds) {
    const modules = await app.inject({ method: 'POST', url: `/courses/${id}/modules/refresh` });
    if (modules.statusCode !== 200) throw new Error(`course ${id} refresh failed: ${modules.body}`);
  }
}
