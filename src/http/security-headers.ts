import type { FastifyInstance } from 'fastify';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * helmet's headers on every response, with two changes to its defaults:
 *
 * - The API answers JSON, text, Markdown and zips, none of which a browser should run anything
 *   from or frame: `default-src 'none'`. The page (`PAGE_CSP`) and the API reference
 *   (`DOCS_CSP`) set their own policies on their own routes, over this one.
 * - No `upgrade-insecure-requests` and no HSTS: the server speaks plain HTTP (on loopback, or on
 *   a LAN for HOST=0.0.0.0), where the first breaks every script and stylesheet and the second
 *   is ignored. A proxy that terminates TLS in front of it is the one to send HSTS.
 */
export const HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'none'"],
    },
  },
  strictTransportSecurity: false,
};

/**
 * The headers helmet sets for `options`, asked of it once. With no nonces they are the same for
 * every request, and @fastify/helmet, which builds and runs helmet's middleware again on each
 * one, spent more on that than a cached read spent reading.
 */
function helmetHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  // Its types want Node's request and response; it reads neither and writes only headers.
  helmet(options)({} as never, recorder as never, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure;
  return Object.freeze(headers);
}

/**
 * Sets the headers first thing on every request, so that what a later hook refuses (the origin
 * guard, the key check) carries them too. Transcripts and notes are served as text from this
 * origin and hold Canvas and model text: nosniff keeps a browser from running one as a script,
 * past the page's CSP.
 */
export function installSecurityHeaders(app: FastifyInstance, options: HelmetOptions = HELMET_OPTIONS): void {
  const headers = { ...helmetHeaders(options), 'x-content-type-options': 'nosniff' };
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });
}

/**
 * A same-origin policy for a page of ours: scripts, styles, images and requests from this
 * origin only; no plugins, no framing. `inlineStyles` is for Swagger UI, which sets styles from
 * script.
 */
export function sameOriginCsp(options: { inlineStyles: boolean }): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    options.inlineStyles ? "style-src 'self' 'unsafe-inline'" : "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

/**
 * Swagger UI (`/docs`) loads its own scripts and styles from `/docs/static/`, sets inline styles
 * from script, shows data: images and calls the API from "Try it out".
 */
export const DOCS_CSP = sameOriginCsp({ inlineStyles: true });
