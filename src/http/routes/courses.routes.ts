import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CoursesService } from '../../courses/courses.service.ts';
import type { SyncService } from '../../sync/sync.service.ts';
import { abortOnClientGone } from '../client-gone.ts';
import { presentCourse, presentModule } from '../presenters.ts';
import { courseSchema, errorResponses, idParams, moduleSchema, syncCountsSchema } from '../schemas.ts';

const coursesBody = z.object({ courses: z.array(courseSchema) });

export const coursesRoutes: FastifyPluginAsyncZod<{ sync: SyncService; courses: CoursesService }> = async (
  app,
  { sync, courses },
) => {
  const listCourses = {
    config: { readCache: true },
    schema: {
      tags: ['courses'],
      summary: 'The cached courses',
      response: { 200: coursesBody },
    },
  };
  const list = async () => ({ courses: courses.list().map(presentCourse) });
  app.get('/me/courses', listCourses, list);
  app.get('/courses', listCourses, list);

  app.post(
    '/me/courses/refresh',
    {
      schema: {
        tags: ['courses'],
        summary: "Fetch the user's courses from Canvas and store them",
        response: {
          200: coursesBody.extend({ sync: z.object({ courses: syncCountsSchema }) }),
          ...errorResponses(403, 404, 502, 503, 504),
        },
      },
    },
    async (_request, reply) => {
      const result = await sync.refreshCourses({ signal: abortOnClientGone(reply) });
      return { courses: result.courses.map(presentCourse), sync: { courses: result.sync.courses } };
    },
  );

  app.get(
    '/courses/:id',
    {
      config: { readCache: true },
      schema: {
        tags: ['courses'],
        summary: 'One cached course',
        params: idParams,
        response: { 200: courseSchema, ...errorResponses(400, 404) },
      },
    },
    async (request) => presentCourse(courses.get(request.params.id)),
  );

  app.get(
    '/courses/:id/modules',
    {
      config: { readCache: true },
      schema: {
        tags: ['modules'],
        summary: "A course's modules in position order",
        params: idParams,
        response: { 200: z.object({ modules: z.array(moduleSchema) }), ...errorResponses(400, 404) },
      },
    },
    async (request) => ({ modules: courses.modules(request.params.id).map(presentModule) }),
  );

  app.post(
    '/courses/:id/modules/refresh',
    {
      schema: {
        tags: ['modules'],
        summary: "Fetch a course's modules and all their items from Canvas and store them",
        params: idParams,
        response: {
          200: z.object({
            modules: z.array(moduleSchema),
            sync: z.object({ modules: syncCountsSchema, items: syncCountsSchema }),
          }),
          ...errorResponses(400, 403, 404, 502, 503, 504),
        },
      },
    },
    async (request, reply) => {
      const result = await sync.refreshCourse(request.params.id, { signal: abortOnClientGone(reply) });
      return { modules: result.modules.map(presentModule), sync: result.sync };
    },
  );
};
