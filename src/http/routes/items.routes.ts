import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { JobKind } from '../../db/schema.ts';
import type { ItemDetail, ItemsService } from '../../items/items.service.ts';
import type { FileStore } from '../../storage/file-store.ts';
import { presentItem, presentItemDetail, presentJob } from '../presenters.ts';
import {
  errorResponses,
  forceQuery,
  idParams,
  itemDetailSchema,
  itemSchema,
  jobSchema,
  listItemsQuery,
} from '../schemas.ts';

const jobAccepted = z.object({ job: jobSchema });

const itemsPage = z.object({
  items: z.array(itemSchema),
  /** Items matching the filters in all, whatever the page. */
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const itemsRoutes: FastifyPluginAsyncZod<{ items: ItemsService; files: FileStore }> = async (
  app,
  { items, files },
) => {
  const presentDetail = (detail: ItemDetail) => presentItemDetail(detail, files);

  app.get(
    '/items',
    {
      config: { readCache: true },
      schema: {
        tags: ['items'],
        summary: 'Items across courses, filtered, in course, module and item order, a page at a time',
        description:
          '`status` may repeat (`?status=FAILED&status=DISCOVERED`) or list values with commas. ' +
          'Unknown course or module ids match nothing; unknown parameters are refused.',
        querystring: listItemsQuery,
        response: { 200: itemsPage, ...errorResponses(400) },
      },
    },
    async (request) => {
      const { course_id, module_id, status, provider, search, limit, offset } = request.query;
      const page = items.list({
        courseId: course_id,
        moduleId: module_id,
        statuses: status,
        provider: provider === 'none' ? null : provider,
        search,
        limit,
        offset,
      });
      return {
        items: page.items.map((row) => presentItem(row, files)),
        total: page.total,
        limit,
        offset,
      };
    },
  );

  app.get(
    '/items/:id',
    {
      config: { readCache: true },
      schema: {
        tags: ['items'],
        summary: 'An item with its status, files, recording links, current job and artifact records',
        params: idParams,
        response: { 200: itemDetailSchema, ...errorResponses(400, 404) },
      },
    },
    async (request) => presentDetail(items.getDetail(request.params.id)),
  );

  app.post(
    '/items/:id/reset',
    {
      schema: {
        tags: ['items'],
        summary: "Forget the item's transcript and notes and put it back to DISCOVERED",
        description:
          'Deletes the records and files. A queued job for the item is cancelled; while a job ' +
          'runs for it, the reset is refused with 409 `item.job_running`.',
        params: idParams,
        response: { 200: itemDetailSchema, ...errorResponses(400, 403, 404, 409) },
      },
    },
    async (request) => presentDetail(await items.reset(request.params.id)),
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
          // 422: the item links to no recording a provider can read (`transcript.no_source`).
          response: { 202: jobAccepted, ...errorResponses(400, 403, 404, 422) },
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
