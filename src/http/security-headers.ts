import type { FastifyHelmetOptions } from '@fastify/helmet';

/**
 * @fastify/helmet's headers on every response, with two changes to its defaults:
 *
 * - The API answers JSON, text, Markdown and zips, none of which a browser should run anything
 *   from or frame: `default-src 'none'`. The page (`PAGE_CSP`) and the API reference
 *   (`DOCS_CSP`) set their own policies on their own routes, over this one.
 * - No `upgrade-insecure-requests` and no HSTS: the server speaks plain HTTP (on loopback, or on
 *   a LAN for HOST=0.0.0.0), where the first breaks every script and stylesheet and the second
 *   is ignored. A proxy that terminates TLS in front of it is the one to send HSTS.
 */
export const HELMET_OPTIONS: FastifyHelmetOptions = {
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
