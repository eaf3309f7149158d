import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { JobsService } from '../../jobs/jobs.service.ts';
import { courseProgressBody, jobBody, jobsListBody, jobsListQuery } from '../jobs.schemas.ts';
import { presentJob } from '../presenters.ts';
import { errorResponses, idParams, jobSchema } from '../schemas.ts';

export const jobsRoutes: FastifyPluginAsyncZod<{ jobs: JobsService }> = async (app, { jobs }) => {
  app.get(
    '/jobs',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Jobs, newest first, filtered by state, kind, item or course',
        querystring: jobsListQuery,
        response: { 200: jobsListBody, ...errorResponses(400) },
      },
    },
    async (request) => {
      const { state, kind, item_id, course_id, limit, offset } = request.query;
      const page = jobs.list({ state, kind, itemId: item_id, courseId: course_id, limit, offset });
      return { jobs: page.jobs.map(presentJob), total: page.total, limit, offset };
    },
  );

  app.get(
    '/jobs/:id',
    {
      schema: {
        tags: ['jobs'],
        summary: 'One job: state, attempts, progress, last error and timestamps',
        params: idParams,
        response: { 200: jobSchema, ...errorResponses(400, 404) },
      },
    },
    async (request) => presentJob(jobs.get(request.params.id)),
  );

  app.post(
    '/jobs/:id/cancel',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Cancel a job: 200 when cancelled at once, 202 while a running job is being aborted',
        params: idParams,
        response: { 200: jobBody, 202: jobBody, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const { job, pending } = jobs.cancel(request.params.id);
      return reply.code(pending ? 202 : 200).send({ job: presentJob(job) });
    },
  );

  app.post(
    '/jobs/:id/retry',
    {
      schema: {
        tags: ['jobs'],
        summary: 'Queue a failed or cancelled job again with a fresh attempt budget',
        params: idParams,
        response: { 202: jobBody, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request, reply) => reply.code(202).send({ job: presentJob(jobs.retry(request.params.id).job) }),
  );

  app.get(
    '/courses/:id/progress',
    {
      schema: {
        tags: ['courses', 'jobs'],
        summary: "A course's items per status and its jobs per state",
        params: idParams,
        response: { 200: courseProgressBody, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const progress = jobs.progress(request.params.id);
      return {
        course_id: progress.courseId,
        total: progress.total,
        by_status: progress.byStatus,
        jobs: progress.jobs,
      };
    },
  );
};
