import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ItemContentService } from '../../items/item-content.service.ts';
import type { FileStore } from '../../storage/file-store.ts';
import { presentArtifact } from '../presenters.ts';
import { artifactSchema, errorResponses, idParams } from '../schemas.ts';

/** The records of the files canvas-notes wrote: where, how big, made from what, by which model. */
export const artifactsRoutes: FastifyPluginAsyncZod<{
  content: ItemContentService;
  files: FileStore;
}> = async (app, { content, files }) => {
  app.get(
    '/items/:id/artifacts',
    {
      config: { readCache: true },
      schema: {
        tags: ['artifacts'],
        summary: "The item's transcript and notes records; empty before either exists",
        params: idParams,
        response: { 200: z.object({ artifacts: z.array(artifactSchema) }), ...errorResponses(400, 404) },
      },
    },
    async (request) => ({
      artifacts: content.listForItem(request.params.id).map((row) => presentArtifact(row, files)),
    }),
  );

  app.get(
    '/artifacts/:id',
    {
      config: { readCache: true },
      schema: {
        tags: ['artifacts'],
        summary: 'One artifact record',
        params: idParams,
        response: { 200: artifactSchema, ...errorResponses(400, 404) },
      },
    },
    async (request) => presentArtifact(content.getArtifact(request.params.id), files),
  );
};
