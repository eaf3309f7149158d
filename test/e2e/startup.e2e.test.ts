import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, serviceEnv } from '../helpers/service-process.ts';
import { waitFor } from '../helpers/wait-for.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url));

/** Runs `npm start`'s entry point from `cwd`, as a user would from a checkout with a `.env`. */
function startFrom(cwd: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', TSX, MAIN], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += String(chunk);
  });
  child.stderr.on('data', (chunk) => {
    output += String(chunk);
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, exited, output: () => output };
}

describe('starting the service', () => {
  const dirs: string[] = [];
  const children: Array<ReturnType<typeof startFrom>> = [];
  afterEach(async () => {
    for (const started of children.splice(0)) {
      if (started.child.exitCode === null) {
        started.child.kill('SIGKILL');
        await started.exited;
      }
    }
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'canvas-notes-start-'));
    dirs.push(dir);
    return dir;
  };

  it('reads .env under the real environment, creates its database under DATA_DIR and says it serves the demo account', async () => {
    const cwd = tempDir();
    const port = await freePort();
    // The environment wins over .env: the port comes from it, the rest from the file.
    writeFileSync(join(cwd, '.env'), `# settings\nPORT=1\nDATA_DIR=./notes-data\nLOG_LEVEL=info\n`);
    const env = serviceEnv({ PORT: String(port) });
    delete env.LOG_LEVEL;
    const started = startFrom(cwd, env);
    children.push(started);

    const health = await waitFor(
      async () => {
        try {
          const response = await fetch(`http://127.0.0.1:${port}/health`);
          return response.ok ? await response.json() : undefined;
        } catch {
          return undefined;
        }
      },
      { timeoutMs: 15_000, intervalMs: 50, what: 'the service to answer /health' },
    );
    expect(health).toMatchObject({ status: 'ok', mode: 'demo' });
    expect(existsSync(join(cwd, 'notes-data', 'canvas-notes.db'))).toBe(true);
    expect(started.output()).toContain('serving the built-in demo account');

    started.child.kill('SIGTERM');
    expect(await started.exited).toBe(0);
  });

  it('stops at once with one message naming every bad setting', async () => {
    const started = startFrom(
      tempDir(),
      serviceEnv({ PORT: 'eighty', JOB_CONCURRENCY: '0', CANVAS_TOKEN: 's3cret' }),
    );
    children.push(started);
    expect(await started.exited).toBe(1);
    const fatal = started
      .output()
      .split('\n')
      .filter((line) => line.includes('Invalid configuration'));
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatch(/PORT/);
    expect(fatal[0]).toMatch(/JOB_CONCURRENCY/);
    expect(fatal[0]).toMatch(/CANVAS_BASE_URL/);
    expect(started.output()).not.toContain('s3cret');
  });
});
