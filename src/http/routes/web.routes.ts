import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { WEB_BUILD_DIR } from '../../web/web-build-dir.ts';
import { sameOriginCsp } from '../security-headers.ts';
import { webNotBuilt } from '../web.errors.ts';

/**
 * Everything the page shows comes from Canvas or a model, so the policy is the second line of
 * defence behind escaping and sanitizing: no inline script or style, no plugin, no framing, and
 * requests only to this origin (the API, the event stream, uploads).
 */
export const PAGE_CSP = sameOriginCsp({ inlineStyles: false });

const NOT_BUILT = new Set(['ENOENT', 'ENOTDIR']);

/**
 * `GET /` (the page) and `GET /assets/*` (its script and styles) from the build folder, with the
 * page's security headers on these responses only. The folder is read per request, so a build
 * made after start-up (`npm run dev`) is served without a restart, and a missing one is a 503
 * `web.not_built` naming the command rather than a bare 404.
 */
export const webRoutes: FastifyPluginAsync<{ root?: string }> = async (app, options) => {
  const root = options.root ?? WEB_BUILD_DIR;

  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', PAGE_CSP);
    reply.header('referrer-policy', 'no-referrer');
  });

  app.get('/', { schema: { hide: true } }, async (_request, reply) => {
    let html: string;
    try {
      html = await readFile(join(root, 'index.html'), 'utf8');
    } catch (error) {
      if (NOT_BUILT.has((error as NodeJS.ErrnoException).code ?? '')) throw webNotBuilt({ cause: error });
      throw error;
    }
    // Asset names are not hashed: revalidate on each load so a rebuild shows at once.
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html);
  });

  await app.register(fastifyStatic, {
    root: join(root, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    // A clean clone has no build yet; GET / says what to run.
    suppressWarning: true,
    // `public, max-age=0` with an ETag: revalidated on each load, like the page.
    maxAge: 0,
  });
};
