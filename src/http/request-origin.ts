import type { FastifyRequest } from 'fastify';
import type { TrustProxy } from '../config/trusted-proxies.ts';
import { createErrorFactory } from '../shared/errors.ts';
import { isLoopback } from '../shared/loopback.ts';

export { isLoopback };

/**
 * Without API_KEY the API has no authentication; it relies on listening on loopback. Two browser
 * attacks get past that, and this guard stops both (a key stops them too, since a page elsewhere
 * does not have it, but the guard stays as a second line):
 *
 * - DNS rebinding: a page on `evil.example` re-points its name at 127.0.0.1 and then talks to us
 *   as if same-origin. Its requests still say `Host: evil.example`, so on a loopback HOST only a
 *   loopback Host is served.
 * - Cross-site request forgery: any page can POST a "simple" request (a form, or `fetch` with
 *   `text/plain`) without a CORS preflight, e.g. `/items/{id}/reset`. Browsers mark those with
 *   `Origin` (and `Sec-Fetch-Site`), so a state-changing request from an origin that is neither
 *   ours nor listed in CORS_ORIGINS is refused. Requests without those headers (curl, scripts)
 *   do not come from a web page and pass. Reads stay open: CORS already keeps their answers from
 *   other origins.
 */

export const hostNotAllowed = createErrorFactory({
  code: 'request.host_not_allowed',
  statusCode: 403,
  message: 'This server answers only requests addressed to localhost, 127.x.x.x or [::1].',
});

export const crossOrigin = createErrorFactory({
  code: 'request.cross_origin',
  statusCode: 403,
  message: 'A state-changing request from another web origin is refused; add it to CORS_ORIGINS to allow it.',
});

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * The hostname of a Host header (`name`, `name:port`, `[v6]` or `[v6]:port`), without brackets;
 * undefined when the header is missing or not of that form (no userinfo, paths or spaces).
 */
function hostnameOf(hostHeader: string | undefined): string | undefined {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9._-]+))(?::[0-9]{1,5})?$/.exec(hostHeader ?? '');
  return match ? (match[1] ?? match[2]) : undefined;
}

/** The serialised origin of `url`, or undefined for `null` and anything unparsable. */
function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * An `onRequest` hook enforcing the rules above. `host` is the configured listen address: the
 * Host check applies only when it is loopback (on another address the operator chose to expose
 * the API and names it as they like). A request relayed by a trusted reverse proxy
 * (`trustProxy`, which comes with API_KEY) is addressed to whatever name the proxy serves, so it
 * is not held to loopback names; its own origin is the scheme and host the proxy was asked for
 * (`X-Forwarded-Proto`, `X-Forwarded-Host`, as Fastify reads them from trusted proxies only).
 */
export function createRequestOriginGuard(options: {
  host: string;
  corsOrigins: readonly string[];
  trustProxy?: TrustProxy | undefined;
}) {
  const { trustProxy } = options;
  const checkHost = isLoopback(options.host.replace(/^\[(.*)\]$/, '$1'));
  // Normalised by the config as browsers send them: the same list @fastify/cors answers for.
  const allowed = new Set(options.corsOrigins);
  const relayed = (request: FastifyRequest) => {
    const peer = request.raw.socket?.remoteAddress;
    return trustProxy !== undefined && peer !== undefined && trustProxy(peer, 0);
  };

  return async (request: FastifyRequest): Promise<void> => {
    if (checkHost && !relayed(request)) {
      const hostname = hostnameOf(request.headers.host);
      if (hostname === undefined || !isLoopback(hostname)) throw hostNotAllowed();
    }
    if (!STATE_CHANGING.has(request.method)) return;

    const originHeader = request.headers.origin;
    const origin = originHeader === undefined ? undefined : originOf(originHeader);
    const listed = origin !== undefined && allowed.has(origin);
    if (originHeader !== undefined && !listed) {
      const host = request.host;
      const ours = hostnameOf(host) === undefined ? undefined : originOf(`${request.protocol}://${host}`);
      if (origin === undefined || origin !== ours) throw crossOrigin();
    }
    // A cross-site request must come from a listed origin, whatever else it says.
    if (request.headers['sec-fetch-site'] === 'cross-site' && !listed) throw crossOrigin();
  };
}
