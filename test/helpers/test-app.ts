import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { testConfig } from '../../src/config/config.test-utils.ts';
import type { Config } from '../../src/config/config.ts';
import { closeDb } from '../../src/db/client.ts';
import { createDeps, type Deps, type DepsOverrides } from '../../src/deps.ts';
import { createLogger } from '../../src/shared/logger.ts';

type ConfigOverrides = Parameters<typeof testConfig>[0];

export interface TestApp {
  app: FastifyInstance;
  deps: Deps;
  config: Config;
  dataDir: string;
  /** Every log line the app wrote, as raw JSON text. */
  logs: string[];
  close(): Promise<void>;
}

/**
 * A full app on its own temporary DATA_DIR and SQLite file, with fast job-runner timings.
 * The runner is not started: tests call `deps.runner.runUntilEmpty()` or `start()`.
 */
export async function createTestApp(
  options: { config?: ConfigOverrides; overrides?: DepsOverrides } = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'canvas-notes-test-'));
  const config = testConfig({
    ...options.config,
    log: { level: 'debug' },
    storage: { ...options.config?.storage, dataDir, dbPath: join(dataDir, 'canvas-notes.db') },
  });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      logs.push(String(chunk));
      callback();
    },
  });
  const deps = createDeps(config, {
    logger: createLogger({ level: 'debug', destination }),
    runner: { pollIntervalMs: 10, heartbeatMs: 50, leaseMs: 2_000, retryBaseMs: 5 },
    canvasClient: { retryBaseDelayMs: 2, maxRetryDelayMs: 20, maxThrottlePauseMs: 20 },
    ...options.overrides,
  });
  const app = await buildApp(deps);
  await app.ready();
  return {
    app,
    deps,
    config,
    dataDir,
    logs,
    async close() {
      await app.close();
      await deps.runner.stop({ graceMs: 500 });
      closeDb(deps.db);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
