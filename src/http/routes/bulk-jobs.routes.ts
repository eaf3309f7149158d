import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { JobKind } from '../../db/schema.ts';
import type { BulkScope, JobsService } from '../../jobs/jobs.service.ts';
import { bulkJobsBody } from '../jobs.schemas.ts';
import { presentJob } from '../presenters.ts';
import { bulkQuery, errorResponses, idParams } from '../schemas.ts';

/** `POST /{modules|courses}/{id}/{summarize|fetch-transcript}`: one job per eligible item. */
export const bulkJobsRoutes: FastifyPluginAsyncZod<{ jobs: JobsService }> = async (app, { jobs }) => {
  const bulk = (
    resource: 'modules' | 'courses',
    action: 'summarize' | 'fetch-transcript',
    kind: JobKind,
    summary: string,
  ) =>
    app.post(
      `/${resource}/:id/${action}`,
      {
        schema: {
          tags: [resource, 'jobs'],
          summary,
          params: idParams,
          querystring: bulkQuery,
          response: { 202: bulkJobsBody, ...errorResponses(400, 403, 404) },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const scope: BulkScope = resource === 'modules' ? { moduleId: id } : { courseId: id };
        const result = jobs.bulkEnqueue(scope, kind, {
          force: request.query.force,
          includeReadings: request.query.include === 'readings',
        });
        return reply.code(202).send({
          jobs: result.jobs.map(presentJob),
          skipped: result.skipped.map((skip) => ({ item_id: skip.itemId, reason: skip.reason })),
        });
      },
    );

  const notes = 'skipping items already SUMMARY_READY unless ?force=true';
  const transcripts = 'skipping items with a stored transcript unless ?force=true';
  bulk('modules', 'summarize', 'summarize', `Queue notes for every recording in the module, ${notes}`);
  bulk('courses', 'summarize', 'summarize', `Queue notes for every recording in the course, ${notes}`);
  bulk(
    'modules',
    'fetch-transcript',
    'fetch_transcript',
    `Queue every transcript of the module, ${transcripts}`,
  );
  bulk(
    'courses',
    'fetch-transcript',
    'fetch_transcript',
    `Queue every transcript of the course, ${transcripts}`,
  );
};
