import { randomBytes } from 'node:crypto';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  RouteOptions,
} from 'fastify';
import fresh from 'fresh';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import type { ChangeStamp } from '../db/change-stamp.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route's 200 answer is a function of the database and the URL alone (no clock, no
     * files, no request headers, no headers of its own but the content type), so it may be
     * answered from the read cache.
     */
    readCache?: boolean;
  }
}

/**
 * The answers of the cached reads (the item pages, a module's items, search), kept as the bytes
 * sent, for as long as the database has not changed. A client polls these while a course's jobs
 * run, and building an answer (reading its rows, ranking a search, serialising) cost several
 * times what sending it does. The rule for "not changed" is the database's own change stamp
 * (change-stamp.ts), read before each lookup: any write, by this process or a worker in
 * another, empties the cache, so an answer is never older than the last commit seen. Nothing is
 * invalidated by hand, and no write can be forgotten. Only a GET's 200 is kept; errors and
 * everything else go through the route as before. The answers were serialised by the route's
 * own serializer from its response schema when they were built, so a kept answer is byte for
 * byte what the route would send now.
 *
 * The same stamp is the answers' ETag, so a client that polls (a script, a browser's cache)
 * can ask `If-None-Match` and get a bodiless 304 while nothing changed. It is prefixed with an
 * id drawn at start, since SQLite's counts start again with each process. The 304 is given only
 * for an answer kept for that URL, that is one known to be a 200 now.
 */

interface Kept {
  /** Encoded once, so a hit writes the bytes as they are. */
  body: Buffer;
  contentType: string;
}

export interface ReadCacheOptions {
  stamp: ChangeStamp;
  /** The most bytes of answers kept; the least recently used go first. 0 turns the cache off. */
  maxBytes: number;
}

/** Installs the cache on every GET route with `config.readCache`, registered after this call. */
export function installReadCache(app: FastifyInstance, { stamp, maxBytes }: ReadCacheOptions): void {
  if (maxBytes === 0) return;
  const kept = new LRUCache<string, Kept>({
    maxSize: maxBytes,
    sizeCalculation: (answer, url) => answer.body.byteLength + url.length,
  });
  const boot = randomBytes(6).toString('base64url');
  const etagOf = (built: string) => `W/"${boot}.${built}"`;
  /** The stamp every kept answer was built under. */
  let keptStamp = '';
  /** The stamp read before building this request's answer: it may be kept under that stamp only. */
  const building = new WeakMap<FastifyRequest, string>();

  const lookup = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const current = stamp();
    if (current !== keptStamp) {
      kept.clear();
      keptStamp = current;
    }
    const answer = kept.get(request.url);
    if (answer === undefined) {
      building.set(request, current);
      done();
      return;
    }
    const etag = etagOf(current);
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (fresh(request.headers, { etag })) {
      reply.code(304).send();
      return;
    }
    reply.type(answer.contentType).send(answer.body);
  };

  const keep = (
    request: FastifyRequest,
    reply: FastifyReply,
    payload: unknown,
    done: (error: null, payload: unknown) => void,
  ) => {
    const builtUnder = building.get(request);
    const contentType = reply.getHeader('content-type');
    // Even an answer not kept may carry its stamp: it is at least that recent, and the stamp
    // only grows, so the tag can never match a later state.
    if (builtUnder !== undefined && reply.statusCode === 200) {
      reply.header('etag', etagOf(builtUnder)).header('cache-control', 'no-cache');
    }
    // A write since the lookup emptied the cache and may postdate this answer: not kept.
    if (
      builtUnder === keptStamp &&
      reply.statusCode === 200 &&
      typeof payload === 'string' &&
      typeof contentType === 'string'
    ) {
      kept.set(request.url, { body: Buffer.from(payload), contentType });
    }
    done(null, payload);
  };

  // The lookup runs after the app's own request hooks (headers, origin guard, key check) and
  // before validation: an answer is kept under the exact URL it was built for, so that URL
  // passed validation already, and checking it again would cost more than the answer does.
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.method !== 'GET' || route.config?.readCache !== true) return;
    route.onRequest = [...hookList(route.onRequest), lookup];
    route.onSend = [...hookList(route.onSend), keep];
    if (route.schema && !route.schema.hide) {
      route.schema = {
        ...route.schema,
        response: { ...(route.schema.response as object), 304: notModified },
      };
    }
  });
}

const notModified = z
  .null()
  .describe('Not modified: the answer is still the one tagged with the ETag sent in If-None-Match.');

function hookList<T>(hooks: T | T[] | undefined): T[] {
  if (hooks === undefined) return [];
  return Array.isArray(hooks) ? hooks : [hooks];
}
