import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { createErrorFactory } from '../../shared/errors.ts';
import { errorSchema } from '../schemas.ts';

const databaseUnavailable = createErrorFactory({
  code: 'health.database_unavailable',
  statusCode: 503,
  message: 'The database does not answer.',
});

export const healthRoutes: FastifyPluginAsyncZod<{
  db: Db;
  demo: boolean;
  workerInProcess: boolean;
  summarizer: string;
  version: string;
}> = async (app, options) => {
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
          503: errorSchema,
        },
      },
    },
    async () => {
      try {
        options.db.$client.prepare('select 1').get();
      } catch (error) {
        throw databaseUnavailable({ cause: error });
      }
      return {
        status: 'ok' as const,
        version: options.version,
        mode: options.demo ? ('demo' as const) : ('canvas' as const),
        demo: options.demo,
        database: 'ok' as const,
        worker: options.workerInProcess ? ('in_process' as const) : ('external' as const),
        summarizer: options.summarizer,
      };
    },
  );
};
