import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { rateLimitExceeded } from './action-limit.errors.ts';
import { errorSchema } from './schemas.ts';

/**
 * Every action (a POST or PUT: refreshes, transcript fetches, summaries, bulk requests, uploads,
 * resets, cancels and retries) draws on one budget per client and minute, so a looping script
 * cannot queue thousands of model calls or Canvas requests by accident. Reads are not limited.
 * The client is its address (`request.ip`: the one a TRUST_PROXY proxy forwarded for, else the
 * socket's, so behind an untrusted proxy all clients share a budget) and, for IPv6, its /64, as
 * @fastify/rate-limit groups them.
 */

const ACTION_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const isAction = (route: RouteOptions) =>
  (Array.isArray(route.method) ? route.method : [route.method]).some((method) => ACTION_METHODS.has(method));

/** Registers the limiter and attaches it to every action route registered after this call. */
export async function installActionLimit(
  app: FastifyInstance,
  options: { actionsPerMinute: number },
): Promise<void> {
  const { actionsPerMinute } = options;
  if (actionsPerMinute === 0) return;
  await app.register(rateLimit, {
    // Only the routes below: a global limit would also count reads and the event stream.
    global: false,
    max: actionsPerMinute,
    timeWindow: 60_000,
    errorResponseBuilder: (_request, context) =>
      rateLimitExceeded({
        message:
          `Too many actions from this client: at most ${context.max} a minute. ` +
          `Try again in ${context.after} (see Retry-After).`,
        retryAfterSeconds: Math.max(1, Math.ceil(context.ttl / 1000)),
      }),
  });
  // One handler for all routes, so they share one counter per client rather than one per route.
  const limit = app.rateLimit();

  app.addHook('onRoute', (route: RouteOptions) => {
    if (!isAction(route)) return;
    const hooks = route.onRequest;
    route.onRequest = [...(Array.isArray(hooks) ? hooks : hooks ? [hooks] : []), limit];
    if (route.schema && !route.schema.hide) {
      route.schema = {
        ...route.schema,
        response: { ...(route.schema.response as object), 429: errorSchema },
      };
    }
  });
}
