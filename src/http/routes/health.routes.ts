import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HealthService } from '../health.service.ts';
import { errorResponses } from '../schemas.ts';

export const healthRoutes: FastifyPluginAsyncZod<{ health: HealthService }> = async (app, { health }) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Liveness, database check and mode',
        response: {
          200: z.object({
            status: z.literal('ok'),
            version: z.string(),
            mode: z.enum(['demo', 'canvas']),
            demo: z.boolean(),
            database: z.literal('ok'),
            worker: z.enum(['in_process', 'external']),
            summarizer: z.string(),
          }),
          ...errorResponses(503),
        },
      },
    },
    async () => health.check(),
  );
};
