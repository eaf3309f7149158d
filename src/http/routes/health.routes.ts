import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HealthService } from '../health.service.ts';
import { errorResponses } from '../schemas.ts';

const fullReport = z.object({
  status: z.literal('ok'),
  version: z.string(),
  mode: z.enum(['demo', 'canvas']),
  demo: z.boolean(),
  database: z.literal('ok'),
  worker: z.enum(['in_process', 'external']),
  summarizer: z.string(),
});

// The full report first: the serializer takes the first shape that fits, and the short one
// would fit the full report too, dropping its fields.
const report = z.union([fullReport, z.object({ status: z.literal('ok') })]);

export const healthRoutes: FastifyPluginAsyncZod<{
  health: HealthService;
  /** False for a request without the API key when one is set: it gets only `{status}`. */
  showDetails: (request: FastifyRequest) => boolean;
}> = async (app, { health, showDetails }) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness, database check and mode',
        description:
          'Open to every client. With API_KEY set, a request without the key gets only `{"status":"ok"}`; ' +
          'with it, the whole report.',
        response: { 200: report, ...errorResponses(503) },
      },
    },
    async (request) => (showDetails(request) ? health.check() : health.checkPublic()),
  );
};
