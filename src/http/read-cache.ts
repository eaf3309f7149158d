import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Cache this GET route's 200 answers against the database's data version (read-cache.ts). */
    readCache?: boolean;
  }
}

/** Bounds the memory: distinct URLs (search queries mostly) and the characters held in all. */
const MAX_ENTRIES = 500;
const MAX_TOTAL_CHARS = 8_000_000;

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * The reads of what a sync stored (a module's items, an item, a search) answer from SQLite,
 * whose queries, presenting and schema-checked serialising cost a few milliseconds per request
 * while the data changes only when something writes. So a route marked `readCache` keeps the
 * body it sent, per URL, for as long as `dataVersion()` stays the same; any write, in this
 * process or another, changes the version and empties the cache. Every body served was produced
 * by the route and passed its response schema; every app-level hook (origin guard, API key,
 * CORS, security headers) still runs on every request, and so do the `onSend` hooks. Only for
 * routes whose answer is their JSON body alone, the same for every client allowed to ask.
 */
export function installReadCache(app: FastifyInstance, dataVersion: () => string): void {
  let version = '';
  const bodies = new Map<string, string>();
  let chars = 0;
  const versionOf = new WeakMap<FastifyRequest, string>();

  const current = (): string => {
    const now = dataVersion();
    if (now !== version) {
      version = now;
      bodies.clear();
      chars = 0;
    }
    return now;
  };

  const lookUp = async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method !== 'GET') return;
    const seen = current();
    const body = bodies.get(request.url);
    if (body !== undefined) return reply.type(JSON_TYPE).send(body);
    versionOf.set(request, seen);
  };

  const keep = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const seen = versionOf.get(request);
    if (seen === undefined || reply.statusCode !== 200 || typeof payload !== 'string') return payload;
    // A write while the request was answered makes its body a candidate for the old version only.
    if (seen !== current() || payload.length > MAX_TOTAL_CHARS / 4 || bodies.has(request.url)) return payload;
    // The oldest answers make room: a Map iterates in insertion order.
    for (const [url, body] of bodies) {
      if (bodies.size < MAX_ENTRIES && chars + payload.length <= MAX_TOTAL_CHARS) break;
      bodies.delete(url);
      chars -= body.length;
    }
    bodies.set(request.url, payload);
    chars += payload.length;
    return payload;
  };

  // Route-level hooks run after every app-level hook of their kind, whatever plugin added those
  // and in whichever order: a cached answer skips only the route's handler and serialiser.
  app.addHook('onRoute', (route) => {
    if (!route.config?.readCache) return;
    route.preHandler = [...toArray(route.preHandler), lookUp];
    route.onSend = [...toArray(route.onSend), keep];
  });
}

function toArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
