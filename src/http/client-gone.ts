import type { FastifyReply } from 'fastify';

/**
 * A signal that aborts when the client hangs up before we answer, so a long Canvas refresh
 * stops instead of finishing for nobody (it then writes nothing: refreshes are all-or-nothing).
 */
export function abortOnClientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}
