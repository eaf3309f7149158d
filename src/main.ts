import { buildApp } from './app.ts';
import { loadProcessConfig } from './config/env-file.ts';
import { closeDb } from './db/client.ts';
import { createDeps } from './deps.ts';
import { exitOnSignal, exitOnStartupError } from './shared/process-lifecycle.ts';

/**
 * Past the job grace period, the runner still waits up to 5 s for aborted handlers to clean up
 * and then writes their jobs back to the queue; this leaves room for that and for closing.
 */
const SHUTDOWN_SLACK_MS = 15_000;

async function main(): Promise<void> {
  const config = loadProcessConfig();
  const deps = createDeps(config);
  const { logger, runner } = deps;
  const app = await buildApp(deps);

  for (const warning of config.warnings) logger.warn(warning);
  if (config.demo) {
    logger.warn(
      'no CANVAS_TOKEN set: serving the built-in demo account (set CANVAS_TOKEN to use your Canvas)',
    );
  }
  logger.info({ summarizer: deps.summarizer.name, dataDir: config.storage.dataDir }, 'starting canvas-notes');
  await deps.sweepOrphanFiles();
  await deps.backfillSearch();
  await app.listen({ host: config.http.host, port: config.http.port });
  if (config.jobs.runInProcess) runner.start();

  exitOnSignal(
    logger,
    async () => {
      await app.close();
      await runner.stop({ graceMs: config.jobs.shutdownGraceMs });
      closeDb(deps.db);
    },
    config.jobs.shutdownGraceMs + SHUTDOWN_SLACK_MS,
  );
}

main().catch(exitOnStartupError('canvas-notes'));
