import { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ExportService } from '../../export/export.service.ts';
import { zipStream } from '../../export/zip-stream.ts';
import { attachment } from '../content-disposition.ts';
import { documentMediaTypes } from '../openapi-media.ts';
import { errorResponses, idParams } from '../schemas.ts';

const MARKDOWN = 'text/markdown; charset=utf-8';
const ZIP = 'application/zip';

const markdownDocs = documentMediaTypes('The notes as one Markdown document', {
  'text/markdown': z.string(),
});

/**
 * Notes to take away: one Markdown document per course or module, and a course as a zip to drop
 * into an Obsidian vault. Both are downloads (`Content-Disposition: attachment`).
 */
export const exportRoutes: FastifyPluginAsyncZod<{ exports: ExportService }> = async (app, { exports }) => {
  app.get(
    '/courses/:id/notes.md',
    {
      schema: {
        tags: ['export'],
        summary: 'All notes of a course in module order, as one Markdown document',
        description:
          '`# Course`, then `## Module` and `### Item` with the notes nested beneath. Items without ' +
          'notes are left out, and each module names them.',
        params: idParams,
        response: { 200: z.string(), ...errorResponses(400, 404) },
      },
      config: { swaggerTransform: markdownDocs },
    },
    async (request, reply) => {
      const { fileName, content } = await exports.courseNotes(request.params.id);
      return reply.type(MARKDOWN).header('content-disposition', attachment(fileName)).send(content);
    },
  );

  app.get(
    '/modules/:id/notes.md',
    {
      schema: {
        tags: ['export'],
        summary: 'All notes of a module, as one Markdown document',
        description: '`# Course — Module`, then `## Item` with the notes nested beneath.',
        params: idParams,
        response: { 200: z.string(), ...errorResponses(400, 404) },
      },
      config: { swaggerTransform: markdownDocs },
    },
    async (request, reply) => {
      const { fileName, content } = await exports.moduleNotes(request.params.id);
      return reply.type(MARKDOWN).header('content-disposition', attachment(fileName)).send(content);
    },
  );

  app.get(
    '/courses/:id/export.zip',
    {
      schema: {
        tags: ['export'],
        summary: 'The course as a folder for an Obsidian vault: one Markdown file per item, zipped',
        description:
          '`<Course>/README.md` (an index), then `<NN Module>/<NN Item>.md` with the notes and ' +
          '`<NN Item> (transcript).md` beside them, each with YAML front matter. Names come from ' +
          'Canvas positions and titles only, so a second export overwrites the first.',
        params: idParams,
        // Typing only: Fastify sends a stream as it is, never through the serializer.
        response: { 200: z.instanceof(Readable), ...errorResponses(400, 404) },
      },
      config: {
        swaggerTransform: documentMediaTypes('The zip archive', {
          [ZIP]: z.string().meta({ format: 'binary' }),
        }),
      },
    },
    async (request, reply) => {
      const { fileName, content } = await exports.courseVault(request.params.id);
      return reply.type(ZIP).header('content-disposition', attachment(fileName)).send(zipStream(content));
    },
  );
};
