import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { closeDb, type Db, openDb } from '../../src/db/client.ts';
import { type FakeCanvasState, startFakeCanvas } from '../fakes/fake-canvas-server.ts';
import { type FakePanopto, startFakePanopto } from '../fakes/fake-panopto-server.ts';
import { waitFor } from './wait-for.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

export interface ServiceProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>` (the API entry only). */
  url: string;
  /** Everything the process wrote so far, for failure messages. */
  output(): string;
  exited: Promise<Exit>;
}

/** A port that was free a moment ago: listen on 0, read it, close. */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Environment for a child service: only what it needs, so neither the developer's shell nor a
 * `.env` can change what the test runs (every key the service reads is set, empty when unused).
 */
export function serviceEnv(keys: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    TMPDIR: process.env.TMPDIR ?? '/tmp',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    OPENAI_API_KEY: '',
    OPENAI_BASE_URL: '',
    PANOPTO_BASE_URL: '',
    CORS_ORIGINS: '',
    API_KEY: '',
    // As in testConfig: no test reaches it unless it sets its own.
    RATE_LIMIT_ACTIONS_PER_MINUTE: '100000',
    ...keys,
  };
}

/**
 * Runs the real entry point (`src/main.ts` or `src/worker.ts`) under tsx, as `npm start` and
 * `npm run worker` do. Every process started here is tracked; `killAll()` ends the survivors.
 */
export function createServiceProcesses() {
  const running = new Set<ServiceProcess>();

  function start(entry: 'src/main.ts' | 'src/worker.ts', env: Record<string, string>): ServiceProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout?.on('data', (chunk) => {
      text += String(chunk);
    });
    child.stderr?.on('data', (chunk) => {
      text += String(chunk);
    });
    const exited = new Promise<Exit>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
    });
    const service: ServiceProcess = {
      child,
      url: `http://127.0.0.1:${env.PORT ?? ''}`,
      output: () => text,
      exited,
    };
    running.add(service);
    void exited.then(() => running.delete(service));
    return service;
  }

  /** Starts the API and waits until `GET /health` answers 200. */
  async function startApi(env: Record<string, string>, timeoutMs = 15_000): Promise<ServiceProcess> {
    const service = start('src/main.ts', env);
    let exit: Exit | undefined;
    void service.exited.then((value) => {
      exit = value;
    });
    await waitFor(
      async () => {
        if (exit) throw new Error(`service exited (${JSON.stringify(exit)}):\n${service.output()}`);
        try {
          return (await fetch(`${service.url}/health`)).ok;
        } catch {
          return false;
        }
      },
      { timeoutMs, intervalMs: 50, what: `${service.url}/health` },
    );
    return service;
  }

  async function killAll(): Promise<void> {
    const survivors = [...running];
    for (const service of survivors) service.child.kill('SIGKILL');
    await Promise.all(survivors.map((service) => service.exited));
  }

  return { start, startApi, killAll };
}

/**
 * `createServiceProcesses()` for a describe block, plus what its tests set up around the
 * processes (fake servers, a DATA_DIR), all torn down after each test: survivors killed first,
 * then the rest in reverse order.
 */
export function useServiceProcesses() {
  const processes = createServiceProcesses();
  const teardown: Array<() => unknown> = [];
  afterEach(async () => {
    await processes.killAll();
    for (const step of teardown.splice(0).reverse()) await step();
  });
  return {
    ...processes,
    /**
     * A fake Panopto, a fake Canvas serving the account `build` makes from it, a fresh DATA_DIR,
     * and the environment that points a service at them (`env` on top); all gone after the test.
     */
    async startAccount<A extends { state: FakeCanvasState }>(
      build: (panopto: FakePanopto) => A,
      env: Record<string, string> = {},
    ) {
      const panopto = await startFakePanopto();
      teardown.push(() => panopto.close());
      const account = build(panopto);
      const canvas = await startFakeCanvas({ state: account.state });
      teardown.push(() => canvas.close());
      const dataDir = mkdtempSync(join(tmpdir(), 'canvas-notes-processes-'));
      teardown.push(() => rmSync(dataDir, { recursive: true, force: true }));
      const serviceEnvironment = serviceEnv({
        DATA_DIR: dataDir,
        PORT: String(await freePort()),
        CANVAS_BASE_URL: canvas.baseUrl,
        CANVAS_TOKEN: canvas.token,
        ...env,
      });
      return { ...account, panopto, canvas, dataDir, env: serviceEnvironment };
    },
  };
}

/** JSON from a child service, failing loudly with the body on a non-2xx answer. */
export async function call<T = unknown>(
  service: ServiceProcess,
  method: 'GET' | 'POST',
  path: string,
): Promise<T> {
  const response = await fetch(`${service.url}${path}`, { method });
  const body = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${body}`);
  return JSON.parse(body) as T;
}

/** Reads a service's database file directly (its processes gone, or only reading beside them). */
export function readServiceDb<T>(dataDir: string, read: (db: Db) => T): T {
  const db = openDb(join(dataDir, 'canvas-notes.db'));
  try {
    return read(db);
  } finally {
    closeDb(db);
  }
}
