import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { JobKind } from '../../db/schema.ts';
import type { ItemsService } from '../../items/items.service.ts';
import type { FileStore } from '../../storage/file-store.ts';
import { presentItem, presentJob } from '../presenters.ts';
import { errorResponses, forceQuery, idParams, itemDetailSchema, jobSchema } from '../schemas.ts';

const jobAccepted = z.object({ job: jobSchema });

export const itemsRoutes: FastifyPluginAsyncZod<{ items: ItemsService; files: FileStore }> = async (
  app,
  { items, files },
) => {
  app.get(
    '/items/:id',
    {
      schema: {
        tags: ['items'],
        summary: 'An item with its status, files and current job',
        params: idParams,
        response: { 200: itemDetailSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { item, artifacts, job } = items.getDetail(request.params.id);
      return { ...presentItem(item, artifacts, files), job: job ? presentJob(job) : null };
    },
  );

  const action = (path: string, kind: JobKind, summary: string) =>
    app.post(
      path,
      {
        schema: {
          tags: ['items'],
          summary,
          params: idParams,
          querystring: forceQuery,
          response: { 202: jobAccepted, ...errorResponses },
        },
      },
      async (request, reply) => {
        const { job } = items.requestJob(request.params.id, kind, { force: request.query.force });
        return reply.code(202).send({ job: presentJob(job) });
      },
    );

  action('/items/:id/fetch-transcript', 'fetch_transcript', "Queue fetching the item's transcript");
  action(
    '/items/:id/summarize',
    'summarize',
    'Queue writing notes (fetching the transcript first if needed)',
  );
};
