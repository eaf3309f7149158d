import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ItemContentService } from '../../items/item-content.service.ts';
import { negotiate, varyOnAccept } from '../content-negotiation.ts';
import { documentMediaTypes } from '../openapi-media.ts';
import { presentSegment } from '../presenters.ts';
import { errorResponses, idParams, summaryJsonSchema, transcriptJsonSchema } from '../schemas.ts';

const TEXT = 'text/plain; charset=utf-8';
const MARKDOWN = 'text/markdown; charset=utf-8';

/** `GET /items/{id}/transcript` and `/summary`: the files themselves, as text or as JSON. */
export const itemContentRoutes: FastifyPluginAsyncZod<{ content: ItemContentService }> = async (
  app,
  { content },
) => {
  app.get(
    '/items/:id/transcript',
    {
      schema: {
        tags: ['items'],
        summary: 'The transcript: plain text, or timed segments as JSON with Accept: application/json',
        description:
          'One segment per paragraph, from its `[hh:mm:ss]` marker; `start_ms` and `start` are null ' +
          'for transcripts made from captions without times. 404 `transcript.not_ready` before it ' +
          'is fetched; 409 `transcript.file_missing` when its file is gone from the data folder.',
        params: idParams,
        response: { 200: z.union([z.string(), transcriptJsonSchema]), ...errorResponses(400, 404, 409) },
      },
      config: {
        swaggerTransform: documentMediaTypes('The transcript', {
          'text/plain': z.string(),
          'application/json': transcriptJsonSchema,
        }),
      },
    },
    async (request, reply) => {
      const id = request.params.id;
      if (negotiate(request.headers.accept, ['text/plain', 'application/json']) === 'application/json') {
        const { segments, text } = await content.transcriptSegments(id);
        varyOnAccept(reply);
        return { item_id: id, segments: segments.map(presentSegment), text };
      }
      const { text } = await content.transcript(id);
      varyOnAccept(reply);
      return reply.type(TEXT).send(text);
    },
  );

  app.get(
    '/items/:id/summary',
    {
      schema: {
        tags: ['items'],
        summary: 'The notes: Markdown, or JSON with Accept: application/json',
        description:
          '404 `summary.not_ready` before notes are written; 409 `summary.file_missing` when ' +
          'their file is gone from the data folder.',
        params: idParams,
        response: { 200: z.union([z.string(), summaryJsonSchema]), ...errorResponses(400, 404, 409) },
      },
      config: {
        swaggerTransform: documentMediaTypes('The notes', {
          'text/markdown': z.string(),
          'application/json': summaryJsonSchema,
        }),
      },
    },
    async (request, reply) => {
      const { artifact, text } = await content.summary(request.params.id);
      varyOnAccept(reply);
      if (negotiate(request.headers.accept, ['text/markdown', 'application/json']) === 'application/json') {
        return {
          item_id: request.params.id,
          markdown: text,
          model: artifact.model,
          created_at: artifact.createdAt.toISOString(),
        };
      }
      return reply.type(MARKDOWN).send(text);
    },
  );
};
