import { buildApp } from './app.ts';
import { loadProcessConfig } from './config/env-file.ts';
import { closeDb } from './db/client.ts';
import { createDeps } from './deps.ts';
import { isAppError } from './shared/errors.ts';
import { createLogger } from './shared/logger.ts';

async function main(): Promise<void> {
  const config = loadProcessConfig();
  const deps = createDeps(config);
  const { logger, runner } = deps;
  const app = await buildApp(deps);

  if (config.demo) {
    logger.warn(
      'no CANVAS_TOKEN set: serving the built-in demo account (set CANVAS_TOKEN to use your Canvas)',
    );
  }
  logger.info({ summarizer: deps.summarizer.name, dataDir: config.storage.dataDir }, 'starting canvas-notes');
  await app.listen({ host: config.http.host, port: config.http.port });
  if (config.jobs.runInProcess) runner.start();

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    await app.close();
    await runner.stop({ graceMs: config.jobs.shutdownGraceMs });
    closeDb(deps.db);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  const logger = createLogger({ level: 'info' });
  if (isAppError(error) && error.code === 'config.invalid') {
    logger.fatal(error.message);
  } else {
    logger.fatal({ err: error }, 'canvas-notes failed to start');
  }
  process.exit(1);
});
