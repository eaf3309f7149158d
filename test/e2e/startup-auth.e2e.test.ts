import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, serviceEnv, useServiceProcesses } from '../helpers/service-process.ts';
import { waitFor } from '../helpers/wait-for.ts';

const KEY = 'startup-test-key-0123456789abcdef-xyz';

describe('starting the service beyond loopback', () => {
  const processes = useServiceProcesses();
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const env = async (keys: Record<string, string>) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'canvas-notes-auth-start-'));
    dirs.push(dataDir);
    return serviceEnv({ DATA_DIR: dataDir, PORT: String(await freePort()), ...keys });
  };

  it('refuses HOST=0.0.0.0 without API_KEY, naming the fix, before listening', async () => {
    const started = processes.start('src/main.ts', await env({ HOST: '0.0.0.0' }));
    expect((await started.exited).code).toBe(1);
    const fatal = started
      .output()
      .split('\n')
      .filter((line) => line.includes('Invalid configuration'));
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatch(/API_KEY: required when HOST \(0\.0\.0\.0\) is not a loopback address/);
    expect(fatal[0]).toMatch(/openssl rand -hex 32/);
  });

  it('enforces a key set on loopback, and never logs it', async () => {
    const service = await processes.startApi(await env({ API_KEY: KEY, LOG_LEVEL: 'debug' }));
    expect(await (await fetch(`${service.url}/health`)).json()).toEqual({ status: 'ok' });
    const refused = await fetch(`${service.url}/courses`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const allowed = await fetch(`${service.url}/courses`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(allowed.status).toBe(200);
    await fetch(`${service.url}/courses`, { headers: { authorization: `Bearer ${KEY.toUpperCase()}` } });
    await waitFor(() => service.output().includes('auth.invalid_key'), {
      timeoutMs: 5_000,
      what: 'the refusal logged',
    });
    expect(service.output()).not.toContain(KEY);
    expect(service.output()).not.toContain(KEY.toUpperCase());
  });
});
