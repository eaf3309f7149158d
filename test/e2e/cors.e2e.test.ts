import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.ts';
import { syncDemo } from '../helpers/demo-account.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const DASHBOARD = 'http://localhost:5173';
const OTHER = 'http://evil.example';

const preflight = (t: TestApp, origin: string, method = 'POST') =>
  t.app.inject({
    method: 'OPTIONS',
    url: '/items/10001/summarize',
    headers: { origin, 'access-control-request-method': method },
  });

describe('CORS', () => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  it('is off by default: no preflight route and no CORS headers', async () => {
    t = await createTestApp();
    const response = await preflight(t, DASHBOARD);
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('route.not_found');
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const get = await t.app.inject({ method: 'GET', url: '/courses', headers: { origin: DASHBOARD } });
    expect(get.statusCode).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows an origin listed with a trailing slash or in upper case, for the guard and CORS alike', async () => {
    const { corsOrigins } = loadConfig({ CORS_ORIGINS: 'http://LOCALHOST:5173/' }).http;
    t = await createTestApp({ config: { http: { corsOrigins } } });
    await syncDemo(t.app, [101]);
    const write = await t.app.inject({
      method: 'POST',
      url: '/courses/101/modules/refresh',
      headers: { origin: DASHBOARD, 'sec-fetch-site': 'cross-site' },
    });
    expect(write.statusCode).toBe(200);
    expect(write.headers['access-control-allow-origin']).toBe(DASHBOARD);
    expect((await preflight(t, DASHBOARD)).headers['access-control-allow-origin']).toBe(DASHBOARD);
  });

  it('answers the preflight of a listed origin with POST among the allowed methods', async () => {
    t = await createTestApp({ config: { http: { corsOrigins: [DASHBOARD, 'http://127.0.0.1:3000'] } } });
    const response = await preflight(t, DASHBOARD);
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(DASHBOARD);
    const methods = String(response.headers['access-control-allow-methods']).split(/,\s*/);
    expect(methods).toEqual(expect.arrayContaining(['GET', 'POST']));
    expect((await preflight(t, 'http://127.0.0.1:3000')).headers['access-control-allow-origin']).toBe(
      'http://127.0.0.1:3000',
    );
  });

  it('lets the browser cache a preflight for two hours, the most Chromium keeps one', async () => {
    t = await createTestApp({ config: { http: { corsOrigins: [DASHBOARD, 'http://127.0.0.1:5173'] } } });
    for (const origin of [DASHBOARD, 'http://127.0.0.1:5173']) {
      const response = await preflight(t, origin);
      expect(response.statusCode).toBe(204);
      expect(response.headers['access-control-max-age']).toBe('7200');
    }
  });

  it("answers a bare OPTIONS without the plugin's plain-text 400", async () => {
    t = await createTestApp({ config: { http: { corsOrigins: [DASHBOARD] } } });
    const response = await t.app.inject({ method: 'OPTIONS', url: '/courses' });
    expect(response.statusCode).toBeLessThan(300);
  });

  it('gives an origin that is not listed no Access-Control-Allow-Origin', async () => {
    t = await createTestApp({ config: { http: { corsOrigins: [DASHBOARD] } } });
    const response = await preflight(t, OTHER);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const get = await t.app.inject({ method: 'GET', url: '/courses', headers: { origin: OTHER } });
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('marks actual responses for a listed origin, keeping Vary: Origin beside Vary: Accept', async () => {
    t = await createTestApp({ config: { http: { corsOrigins: [DASHBOARD] } } });
    await syncDemo(t.app, [101]);
    await t.app.inject({ method: 'POST', url: '/items/10001/fetch-transcript' });
    await t.deps.runner.runUntilEmpty();
    const response = await t.app.inject({
      method: 'GET',
      url: '/items/10001/transcript',
      headers: { origin: DASHBOARD },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBe(DASHBOARD);
    const vary = String(response.headers.vary).split(/,\s*/);
    expect(vary).toEqual(expect.arrayContaining(['Origin', 'Accept']));
  });
});
