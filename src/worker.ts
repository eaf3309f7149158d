import { loadProcessConfig } from './config/env-file.ts';
import { closeDb } from './db/client.ts';
import { createDeps } from './deps.ts';
import { exitOnSignal, exitOnStartupError } from './shared/process-lifecycle.ts';

/**
 * Past the job grace period, the runner still waits up to 5 s for aborted handlers to clean up
 * and then writes their jobs back to the queue; this leaves room for that and for closing.
 */
const SHUTDOWN_SLACK_MS = 15_000;

/**
 * Runs only the job runner, against the same DATA_DIR as the API. Start the API with
 * RUN_WORKER=false to move heavy summarizing off the API process.
 */
async function worker(): Promise<void> {
  const config = loadProcessConfig();
  const deps = createDeps(config);
  for (const warning of config.warnings) deps.logger.warn(warning);
  deps.logger.info(
    { concurrency: config.jobs.concurrency, summarizer: deps.summarizer.name },
    'worker started',
  );
  await deps.sweepOrphanFiles();
  await deps.backfillSearch();
  deps.runner.start();

  exitOnSignal(
    deps.logger,
    async () => {
      await deps.runner.stop({ graceMs: config.jobs.shutdownGraceMs });
      closeDb(deps.db);
    },
    config.jobs.shutdownGraceMs + SHUTDOWN_SLACK_MS,
  );
}

worker().catch(exitOnStartupError('worker'));
