/**
 * Builds the page into `dist/web/`: `index.html`, `assets/app.js` (src/web/page bundled with Preact,
 * marked and DOMPurify) and `assets/app.css`. `watchWeb` rebuilds on every change (src/web/dev.ts,
 * behind `npm run dev`). Names are not hashed: the server makes browsers revalidate them on each
 * load instead.
 */

import { watch as watchFile } from 'node:fs';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { WEB_BUILD_DIR } from './web-build-dir.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const INDEX = join(ROOT, 'src', 'web', 'index.html');

const say = (line: string) => process.stdout.write(`[build:web] ${line}\n`);

function options(outDir: string, plugins: esbuild.Plugin[] = []): esbuild.BuildOptions {
  return {
    absWorkingDir: ROOT,
    entryPoints: [
      { in: 'src/web/page/main.tsx', out: 'app' },
      { in: 'src/web/styles.css', out: 'app' },
    ],
    outdir: join(outDir, 'assets'),
    bundle: true,
    format: 'esm',
    // Browsers of the last few years; the page uses dialog, :focus-visible and EventSource.
    target: ['chrome111', 'firefox111', 'safari16.4'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    minify: true,
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [
      {
        name: 'index-html',
        setup(build) {
          build.onEnd(async (result) => {
            if (result.errors.length === 0) await copyFile(INDEX, join(outDir, 'index.html'));
          });
        },
      },
      ...plugins,
    ],
  };
}

/** One build from scratch; throws on a compile error. */
export async function buildWeb(outDir = WEB_BUILD_DIR): Promise<void> {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  await esbuild.build(options(outDir));
}

/** Says when each rebuild is done (esbuild prints the errors of one that failed itself). */
const reportRebuilds: esbuild.Plugin = {
  name: 'report-rebuilds',
  setup(build) {
    let started = 0;
    build.onStart(() => {
      started = Date.now();
    });
    build.onEnd((result) => {
      const took = `${Date.now() - started} ms`;
      say(result.errors.length === 0 ? `built (${took})` : `${result.errors.length} error(s) (${took})`);
    });
  },
};

/** Builds, then rebuilds on every change until `stop()`; runs in the caller's process. */
export async function watchWeb(outDir = WEB_BUILD_DIR): Promise<{ stop(): Promise<void> }> {
  await mkdir(outDir, { recursive: true });
  const context = await esbuild.context(options(outDir, [reportRebuilds]));
  await context.watch();
  // esbuild watches what the bundle imports; the HTML shell is copied when it changes.
  const index = watchFile(INDEX, () => void copyFile(INDEX, join(outDir, 'index.html')));
  say(`watching src/web/ and writing ${outDir}`);
  return {
    async stop() {
      index.close();
      await context.dispose();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  buildWeb()
    .then(() => say(`built ${WEB_BUILD_DIR}`))
    .catch((error: unknown) => {
      process.stderr.write(`[build:web] ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}
