import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ItemContentService } from '../../items/item-content.service.ts';
import type { ItemsService } from '../../items/items.service.ts';
import type { FileStore } from '../../storage/file-store.ts';
import { negotiate, varyOnAccept } from '../content-negotiation.ts';
import { documentMediaTypes } from '../openapi-media.ts';
import { presentSegment, presentSegmentSource, presentSummary } from '../presenters.ts';
import {
  errorResponses,
  idParams,
  itemTranscriptUploadSchema,
  summaryJsonSchema,
  transcriptJsonSchema,
} from '../schemas.ts';

const TEXT = 'text/plain; charset=utf-8';
const MARKDOWN = 'text/markdown; charset=utf-8';

/** Far above a multi-hour lecture's captions (a 3-hour WebVTT is about 1 MB). */
export const UPLOAD_MAX_BYTES = 5 * 1024 * 1024;

/**
 * `GET /items/{id}/transcript` and `/summary`: the files themselves, as text or as JSON; and
 * `PUT /items/{id}/transcript`: a transcript the user uploads.
 */
export const itemContentRoutes: FastifyPluginAsyncZod<{
  content: ItemContentService;
  items: Pick<ItemsService, 'uploadTranscript'>;
  files: FileStore;
}> = async (app, { content, items, files }) => {
  // This plugin's only body is the upload: caption files and text of any declared type (or
  // none) arrive as a string; what they are is decided by content type, else by sniffing.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: UPLOAD_MAX_BYTES }, (_request, body, done) =>
    done(null, body),
  );

  app.put(
    '/items/:id/transcript',
    {
      bodyLimit: UPLOAD_MAX_BYTES,
      schema: {
        tags: ['items'],
        summary: 'Upload a transcript (WebVTT, SRT or plain text) for a recording that cannot be fetched',
        description:
          'The body is the file itself: `text/vtt`, `application/x-subrip` or `text/plain` (other or ' +
          "no content types are sniffed). It becomes the item's first source (`upload`) and the item " +
          `TRANSCRIPT_READY. Over ${UPLOAD_MAX_BYTES / 1024 / 1024} MB is a 413; an empty or unreadable ` +
          'body a 400; neither touches the stored transcript. POST /items/{id}/reset removes the upload.',
        params: idParams,
        consumes: ['text/vtt', 'application/x-subrip', 'text/plain'],
        // Nullish: Fastify validates a request with no body at all as null.
        body: z.string().nullish().describe('The caption file or text itself.'),
        response: { 200: itemTranscriptUploadSchema, ...errorResponses(400, 403, 404, 409, 413, 415) },
      },
    },
    async (request) => {
      const body = request.body ?? '';
      const { artifact } = await items.uploadTranscript(
        request.params.id,
        body,
        request.headers['content-type'],
      );
      return {
        item_id: request.params.id,
        transcript_path: files.displayPath(artifact.path),
        bytes: artifact.bytes,
      };
    },
  );

  app.get(
    '/items/:id/transcript',
    {
      schema: {
        tags: ['items'],
        summary: 'The transcript: plain text, or timed segments as JSON with Accept: application/json',
        description:
          'One segment per paragraph, from its `[hh:mm:ss]` marker; `start_ms` and `start` are null ' +
          'for transcripts made from captions without times. `link` opens the recording at that ' +
          'moment where its host allows it (Panopto, YouTube), else null, as for an item holding ' +
          'several recordings. `source` indexes `sources`, the recordings and readings in the ' +
          "text's order: each recording restarts at 00:00:00. 404 `transcript.not_ready` before it " +
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
        const { segments, sources, text } = await content.transcriptSegments(id);
        varyOnAccept(reply);
        return {
          item_id: id,
          segments: segments.map(presentSegment),
          sources: sources.map(presentSegmentSource),
          text,
        };
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
        return presentSummary(artifact, text);
      }
      return reply.type(MARKDOWN).send(text);
    },
  );
};
