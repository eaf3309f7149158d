import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CoursesService } from '../../courses/courses.service.ts';
import type { ItemsService } from '../../items/items.service.ts';
import type { FileStore } from '../../storage/file-store.ts';
import type { SyncService } from '../../sync/sync.service.ts';
import { abortOnClientGone } from '../client-gone.ts';
import { presentItem, presentModule } from '../presenters.ts';
import { errorResponses, idParams, itemSchema, moduleSchema, syncCountsSchema } from '../schemas.ts';

export const modulesRoutes: FastifyPluginAsyncZod<{
  courses: CoursesService;
  items: ItemsService;
  sync: SyncService;
  files: FileStore;
}> = async (app, { courses, items, sync, files }) => {
  app.get(
    '/modules/:id',
    { schema: { tags: ['modules'], params: idParams, response: { 200: moduleSchema, ...errorResponses } } },
    async (request) => presentModule(courses.getModule(request.params.id)),
  );

  app.get(
    '/modules/:id/items',
    {
      schema: {
        tags: ['items'],
        summary: "A module's items in position order",
        params: idParams,
        response: { 200: z.object({ items: z.array(itemSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      courses.getModule(request.params.id);
      const rows = items.listByModule(request.params.id);
      return { items: rows.map((row) => presentItem(row.item, row.artifacts, files)) };
    },
  );

  app.post(
    '/modules/:id/items/refresh',
    {
      schema: {
        tags: ['items'],
        summary: "Fetch one module's items from Canvas and store them (all or nothing)",
        params: idParams,
        response: {
          200: z.object({ items: z.array(itemSchema), sync: z.object({ items: syncCountsSchema }) }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const result = await sync.refreshModule(request.params.id, { signal: abortOnClientGone(reply) });
      const rows = items.listByModule(request.params.id);
      return { items: rows.map((row) => presentItem(row.item, row.artifacts, files)), sync: result.sync };
    },
  );
};
