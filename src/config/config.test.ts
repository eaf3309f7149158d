import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { testConfig } from './config.test-utils.ts';
import { ENV_KEYS, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('serves the demo account on loopback port 8000 when nothing is set', () => {
    const config = loadConfig({});
    expect(config.demo).toBe(true);
    expect(config.http).toMatchObject({ host: '127.0.0.1', port: 8000, corsOrigins: [] });
    expect(config.storage.dataDir).toBe('data');
    expect(config.storage.dbPath.endsWith('canvas-notes.db')).toBe(true);
    expect(config.llm.model).toBe('gpt-4o-mini');
    expect(config.jobs).toMatchObject({ concurrency: 2, runInProcess: true });
  });

  it('talks to Canvas when a token and base URL are set', () => {
    const config = loadConfig({ CANVAS_BASE_URL: 'https://school.instructure.com', CANVAS_TOKEN: 'tok' });
    expect(config.demo).toBe(false);
    expect(config.canvas.baseUrl).toBe('https://school.instructure.com');
  });

  it('treats empty strings as unset', () => {
    const config = loadConfig({ CANVAS_TOKEN: '', OPENAI_API_KEY: '  ', PANOPTO_BASE_URL: '' });
    expect(config.demo).toBe(true);
    expect(config.llm.apiKey).toBeUndefined();
    expect(config.panopto.baseUrl).toBeUndefined();
  });

  it('reads the transcript sources’ settings: Zoom all or nothing, caption languages as a list', () => {
    const zoom = { ZOOM_ACCOUNT_ID: 'acct', ZOOM_CLIENT_ID: 'id', ZOOM_CLIENT_SECRET: 's3cret' };
    const config = loadConfig({
      ...zoom,
      ZOOM_SHARE_LINKS: 'true',
      CAPTION_LANGUAGES: ' en-GB, de ,, fr',
      PANOPTO_COOKIE: 'ABC123',
    });
    expect(config.zoom).toEqual({
      accountId: 'acct',
      clientId: 'id',
      clientSecret: 's3cret',
      shareLinks: true,
    });
    expect(config.captions.languages).toEqual(['en-GB', 'de', 'fr']);
    expect(config.panopto.cookie).toBe('ABC123');
    expect(loadConfig({}).zoom).toEqual({ shareLinks: false });
    expect(loadConfig({}).captions.languages).toEqual([]);

    const partial = () => loadConfig({ ZOOM_CLIENT_ID: 'id', ZOOM_CLIENT_SECRET: 's3cret' });
    expect(partial).toThrow(/ZOOM_ACCOUNT_ID: required when ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET are set/);
    // The message names the settings, never their values.
    expect(partial).not.toThrow(/s3cret/);
  });

  it('reads the notes settings: token budgets, concurrency, language and instruction', () => {
    const defaults = loadConfig({});
    expect(defaults.llm).toMatchObject({ partTokens: 8_000, contextTokens: 16_384, concurrency: 4 });
    expect(defaults.notes).toEqual({ language: null, instructions: null });
    expect(defaults.warnings).toEqual([]);
    const set = loadConfig({
      LLM_PART_TOKENS: '4000',
      LLM_CONTEXT_TOKENS: '8192',
      LLM_CONCURRENCY: '1',
      NOTES_LANGUAGE: ' Deutsch ',
      NOTES_INSTRUCTIONS: 'Give formulas in LaTeX.',
    });
    expect(set.llm).toMatchObject({ partTokens: 4_000, contextTokens: 8_192, concurrency: 1 });
    expect(set.notes).toEqual({ language: 'Deutsch', instructions: 'Give formulas in LaTeX.' });
    for (const bad of [
      { LLM_PART_TOKENS: '100' },
      { LLM_CONTEXT_TOKENS: '2048' },
      { LLM_CONCURRENCY: '0' },
      { LLM_CONCURRENCY: 'many' },
    ]) {
      expect(() => loadConfig(bad), JSON.stringify(bad)).toThrow(new RegExp(Object.keys(bad)[0] ?? ''));
    }
  });

  it('refuses a model URL with credentials in it, without repeating them', () => {
    const load = () => loadConfig({ OPENAI_BASE_URL: 'http://me:hunter2@127.0.0.1:11434/v1' });
    expect(load).toThrow(/OPENAI_BASE_URL: must not contain a user name or password/);
    expect(load).not.toThrow(/hunter2/);
    expect(() => loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1?key=abc' })).toThrow(
      /OPENAI_BASE_URL: must not contain a query or fragment/,
    );
    expect(loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' }).llm.baseUrl).toBe(
      'http://127.0.0.1:11434/v1',
    );
  });

  it('warns about a setting that is no longer read, naming what replaced it', () => {
    expect(loadConfig({ OPENAI_MAX_INPUT_CHARS: '48000' }).warnings).toEqual([
      'OPENAI_MAX_INPUT_CHARS is no longer read; it was replaced by LLM_PART_TOKENS, counted in tokens',
    ]);
  });

  it('names every bad key in one message', () => {
    const bad = { PORT: 'eighty', CANVAS_BASE_URL: 'not a url', JOB_CONCURRENCY: '0', RUN_WORKER: 'maybe' };
    expect(() => loadConfig(bad)).toThrow(
      expect.objectContaining({
        code: 'config.invalid',
        message: expect.stringMatching(
          /^(?=.*PORT)(?=.*CANVAS_BASE_URL)(?=.*JOB_CONCURRENCY)(?=.*RUN_WORKER)/s,
        ),
      }),
    );
  });

  it('requires CANVAS_BASE_URL with a token, without echoing the token', () => {
    expect(() => loadConfig({ CANVAS_TOKEN: 'secret-token-123' })).toThrow(/CANVAS_BASE_URL/);
    expect(() => loadConfig({ CANVAS_TOKEN: 'secret-token-123' })).not.toThrow(/secret-token-123/);
  });

  it('splits CORS_ORIGINS and parses RUN_WORKER', () => {
    const config = loadConfig({
      CORS_ORIGINS: 'http://localhost:5173, http://127.0.0.1:3000',
      RUN_WORKER: 'false',
    });
    expect(config.http.corsOrigins).toEqual(['http://localhost:5173', 'http://127.0.0.1:3000']);
    expect(config.jobs.runInProcess).toBe(false);
  });

  it('normalises each CORS origin as browsers send Origin, once each', () => {
    const config = loadConfig({
      CORS_ORIGINS:
        'http://localhost:5173/, HTTP://LOCALHOST:5173, https://Notes.Example:443,http://127.0.0.1:80',
    });
    expect(config.http.corsOrigins).toEqual([
      'http://localhost:5173',
      'https://notes.example',
      'http://127.0.0.1',
    ]);
  });

  it('refuses "*" and anything that is not an origin, naming every bad entry at once', () => {
    const attempt = () =>
      loadConfig({
        CORS_ORIGINS: '*, localhost:5173, http://localhost:5173/app, ftp://x.example, http://a.example?x=1',
      });
    expect(attempt).toThrow(/CORS_ORIGINS: "\*" would let every website read/);
    const message = (() => {
      try {
        attempt();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    for (const entry of [
      'localhost:5173',
      'http://localhost:5173/app',
      'ftp://x.example',
      'http://a.example?x=1',
    ]) {
      expect(message).toContain(`"${entry}"`);
    }
  });

  it('reads the job lease and shutdown grace, and refuses a lease too short to heartbeat', () => {
    expect(loadConfig({}).jobs).toMatchObject({ leaseMs: 30_000, shutdownGraceMs: 10_000 });
    const config = loadConfig({ JOB_LEASE_MS: '1500', JOB_SHUTDOWN_GRACE_MS: '0' });
    expect(config.jobs).toMatchObject({ leaseMs: 1500, shutdownGraceMs: 0 });
    expect(() => loadConfig({ JOB_LEASE_MS: '100' })).toThrow(/JOB_LEASE_MS/);
  });
});

describe('READ_CACHE_MB', () => {
  it('is 32 MB unless set, 0 turns the cache off, and a negative or fractional size is refused', () => {
    expect(loadConfig({}).http.readCacheBytes).toBe(32 * 1024 * 1024);
    expect(loadConfig({ READ_CACHE_MB: '0' }).http.readCacheBytes).toBe(0);
    expect(loadConfig({ READ_CACHE_MB: '5' }).http.readCacheBytes).toBe(5 * 1024 * 1024);
    expect(() => loadConfig({ READ_CACHE_MB: '-1' })).toThrow(/READ_CACHE_MB/);
    expect(() => loadConfig({ READ_CACHE_MB: '1.5' })).toThrow(/READ_CACHE_MB/);
  });
});

describe('checking answers against their schemas', () => {
  it('is on in every test app and off in the service', () => {
    expect(testConfig().http.checkResponses).toBe(true);
    expect(loadConfig({}).http.checkResponses).toBe(false);
  });
});

describe('.env.example', () => {
  const lines = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8').split('\n');

  it('lists exactly the keys the service reads, each under a comment of its own', () => {
    const keyed = lines.flatMap((line, index) => {
      const key = /^([A-Z_]+)=/.exec(line)?.[1];
      return key ? [{ key, comment: lines[index - 1] ?? '' }] : [];
    });
    expect(keyed.map(({ key }) => key).sort()).toEqual([...ENV_KEYS].sort());
    for (const { key, comment } of keyed) expect(comment, key).toMatch(/^# /);
  });
});
