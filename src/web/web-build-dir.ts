import { fileURLToPath } from 'node:url';

/**
 * Where `npm run build:web` (build.ts) writes the page and src/http/routes/web.routes.ts serves
 * it from: `dist/web` at the repo root. Its own module, so the server never loads esbuild.
 */
export const WEB_BUILD_DIR = fileURLToPath(new URL('../../dist/web', import.meta.url));
