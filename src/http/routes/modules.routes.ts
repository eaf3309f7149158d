import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { CoursesService } from '../../courses/courses.service.ts';
import { type ItemsService, refreshModuleItems } from '../../items/items.service.ts';
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
    {
      config: { readCache: true },
      schema: {
        tags: ['modules'],
        summary: 'One cached module with its item count',
        params: idParams,
        response: { 200: moduleSchema, ...errorResponses(400, 404) },
      },
    },
    async (request) => presentModule(courses.getModule(request.params.id)),
  );

  app.get(
    '/modules/:id/items',
    {
      config: { readCache: true },
      schema: {
        tags: ['items'],
        summary: "A module's items in position order",
        params: idParams,
        response: { 200: z.object({ items: z.array(itemSchema) }), ...errorResponses(400, 404) },
      },
    },
    async (request) => ({
      items: items.listByModule(request.params.id).map((row) => presentItem(row, files)),
    }),
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
          ...errorResponses(400, 403, 404, 502, 503, 504),
        },
      },
    },
    async (request, reply) => {
      const result = await refreshModuleItems({ sync, items }, request.params.id, {
        signal: abortOnClientGone(reply),
      });
      return {
        items: result.items.map((row) => presentItem(row, files)),
        sync: result.sync,
      };
    },
  );
};
