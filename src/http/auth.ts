import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { invalidKey, missingKey } from './auth.errors.ts';
import { errorSchema } from './schemas.ts';

/**
 * With API_KEY set, every request but the public ones must carry `Authorization: Bearer <key>`.
 * Public are `/health` (reduced to `{status}` without the key), the page shell and its assets
 * (they hold no data, and the page must load to ask for the key) and the API reference (its
 * description is public source). Everything else, the event stream and downloads included,
 * needs the key. A CORS preflight carries no credentials by design, so OPTIONS passes: it only
 * ever answers which methods and headers may be sent.
 */

const REALM = 'canvas-notes';
const BEARER = /^Bearer ([\x21-\x7e]+)$/i;

/** The OpenAPI name of the scheme, as Swagger UI's Authorize dialog shows it. */
export const SECURITY_SCHEME = 'apiKey';

/** Route patterns (as registered, so no URL spelling can reach them by accident) needing no key. */
function isPublic(routeUrl: string | undefined): boolean {
  if (routeUrl === undefined) return false;
  return (
    routeUrl === '/health' ||
    routeUrl === '/' ||
    routeUrl.startsWith('/assets/') ||
    routeUrl === '/docs' ||
    routeUrl.startsWith('/docs/')
  );
}

const digest = (value: string) => createHash('sha256').update(value).digest();

export interface Auth {
  enabled: boolean;
  /** Whether the request carries the key (always true when no key is configured). */
  isAuthorized(request: FastifyRequest): boolean;
}

/** The OpenAPI document's security parts: a bearer scheme Swagger UI's Authorize button fills in. */
export function openApiSecurity(apiKey: string | undefined) {
  if (!apiKey) return {};
  return {
    components: {
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: 'http' as const,
          scheme: 'bearer',
          description: 'The API_KEY the server was started with.',
        },
      },
    },
    security: [{ [SECURITY_SCHEME]: [] }],
  };
}

/**
 * Installs the key check as an `onRequest` hook (call it after the request-origin guard and
 * before any route) and documents it on each route. Comparing SHA-256 digests with
 * `timingSafeEqual` takes the same time whatever the key sent, its length included.
 */
export function installAuth(app: FastifyInstance, options: { apiKey: string | undefined }): Auth {
  const { apiKey } = options;
  if (!apiKey) return { enabled: false, isAuthorized: () => true };
  const expected = digest(apiKey);

  const check = (header: string | undefined): 'ok' | 'missing' | 'invalid' => {
    if (header === undefined || header === '') return 'missing';
    const given = BEARER.exec(header)?.[1];
    // Digest something even for a malformed header, so its timing says nothing either.
    const matches = timingSafeEqual(digest(given ?? header), expected);
    return given !== undefined && matches ? 'ok' : 'invalid';
  };

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (request.method === 'OPTIONS' || isPublic(request.routeOptions.url)) return;
    const outcome = check(request.headers.authorization);
    if (outcome === 'ok') return;
    // RFC 6750 §3: a request that sent a wrong key is told so; one that sent none is not.
    reply.header(
      'www-authenticate',
      outcome === 'missing' ? `Bearer realm="${REALM}"` : `Bearer realm="${REALM}", error="invalid_token"`,
    );
    throw outcome === 'missing' ? missingKey() : invalidKey();
  });

  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema;
    if (!schema || schema.hide) return;
    if (isPublic(route.url)) {
      route.schema = { ...schema, security: [] };
      return;
    }
    route.schema = { ...schema, response: { ...(schema.response as object), 401: errorSchema } };
  });

  return { enabled: true, isAuthorized: (request) => check(request.headers.authorization) === 'ok' };
}
