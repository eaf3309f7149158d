import { loadProcessConfig } from './config/env-file.ts';
import { closeDb } from './db/client.ts';
import { createDeps } from './deps.ts';
import { isAppError } from './shared/errors.ts';
import { createLogger } from './shared/logger.ts';

/**
 * Runs only the job runner, against the same DATA_DIR as the API. Start the API with
 * RUN_WORKER=false to move heavy summarizing off the API process.
 */
async function worker(): Promise<void> {
  const config = loadProcessConfig();
  const deps = createDeps(config);
  deps.logger.info(
    { concurrency: config.jobs.concurrency, summarizer: deps.summarizer.name },
    'worker started',
  );
  deps.runner.start();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    deps.logger.info({ signal }, 'worker shutting down');
    await deps.runner.stop({ graceMs: config.jobs.shutdownGraceMs });
    closeDb(deps.db);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

worker().catch((error: unknown) => {
  const logger = createLogger({ level: 'info' });
  if (isAppError(error) && error.code === 'config.invalid') logger.fatal(error.message);
  else logger.fatal({ err: error }, 'worker failed to start');
  process.exit(1);
});
