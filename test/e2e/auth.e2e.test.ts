import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const KEY = 'a-test-key-of-forty-characters-0123456789'.slice(0, 40);
/** As long as the key and differing only in its last character. */
const ALMOST = `${KEY.slice(0, -1)}X`;
const DASHBOARD = 'http://localhost:5173';

/** A real id of the demo account for each resource a path can name; jobs: the one made first. */
const IDS: Record<string, number> = { courses: 101, modules: 1001, items: 10001, artifacts: 1, jobs: 1 };

/** Every operation of the app's own OpenAPI document, as [METHOD, path with ids]. */
function operations(t: TestApp): Array<[string, string]> {
  const paths = (t.app.swagger() as { paths: Record<string, Record<string, unknown>> }).paths;
  return Object.entries(paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((method): [string, string] => {
      const url = path.replace(/^\/([a-z]+)\/\{id\}/, (whole, resource: string) => {
        const id = IDS[resource];
        if (id === undefined) throw new Error(`no demo id for ${whole}: add one to IDS`);
        return `/${resource}/${id}`;
      });
      return [method.toUpperCase(), url];
    }),
  );
}

const WRONG: Array<[string, Record<string, string>, string]> = [
  ['no key', {}, 'auth.missing_key'],
  ['a wrong key', { authorization: 'Bearer wrong' }, 'auth.invalid_key'],
  ['a wrong key of the same length', { authorization: `Bearer ${ALMOST}` }, 'auth.invalid_key'],
  ['the key under Basic', { authorization: `Basic ${KEY}` }, 'auth.invalid_key'],
  ['the key after two spaces', { authorization: `Bearer  ${KEY}` }, 'auth.invalid_key'],
  ['the key with a suffix', { authorization: `Bearer ${KEY}x` }, 'auth.invalid_key'],
  ['the scheme alone', { authorization: 'Bearer' }, 'auth.invalid_key'],
];

const expectRefused = (response: LightMyRequestResponse, code: string, what: string) => {
  expect(response.statusCode, what).toBe(401);
  expect(response.json(), what).toEqual({ error: { code, message: expect.stringMatching(/Bearer/) } });
  expect(response.headers['www-authenticate'], what).toMatch(/^Bearer realm="canvas-notes"/);
  // The guarantees of every answer hold for refusals too.
  expect(response.headers['x-content-type-options'], what).toBe('nosniff');
  expect(response.headers['content-security-policy'], what).toMatch(/default-src 'none'/);
};

describe('with API_KEY set', () => {
  let t: TestApp;
  let all: Array<[string, string]>;
  const withKey = { authorization: `Bearer ${KEY}` };
  beforeAll(async () => {
    t = await createTestApp({ config: { auth: { apiKey: KEY }, http: { corsOrigins: [DASHBOARD] } } });
    for (const url of [
      '/me/courses/refresh',
      '/courses/101/modules/refresh',
      '/items/10001/fetch-transcript',
    ]) {
      const response = await t.app.inject({ method: 'POST', url, headers: withKey });
      expect(response.statusCode, response.body).toBeLessThan(300);
    }
    all = operations(t);
  });
  afterAll(() => t.close());

  it.each(WRONG)('refuses every operation but /health with %s', async (_label, headers, code) => {
    const protectedOnes = all.filter(([, url]) => url !== '/health');
    expect(protectedOnes.length).toBeGreaterThan(30);
    for (const [method, url] of protectedOnes) {
      const response = await t.app.inject({ method: method as 'GET', url, headers });
      expectRefused(response, code, `${method} ${url}`);
    }
    // Nor does an unknown path say whether it exists.
    expectRefused(await t.app.inject({ method: 'GET', url: '/no-such-route', headers }), code, '404');
    // WWW-Authenticate tells a client that sent a key that it was wrong (RFC 6750).
    const invalid = code === 'auth.invalid_key';
    const response = await t.app.inject({ method: 'GET', url: '/courses', headers });
    expect(/error="invalid_token"/.test(String(response.headers['www-authenticate']))).toBe(invalid);
  });

  it('answers every operation with the key (the event stream over real HTTP)', async () => {
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    for (const [method, url] of all) {
      const response = await fetch(`${base}${url}`, { method, headers: withKey });
      expect(response.status, `${method} ${url}`).not.toBe(401);
      expect(response.status, `${method} ${url}`).toBeLessThan(500);
      await response.body?.cancel();
    }
    // The scheme's name is case-insensitive (RFC 7235).
    const stream = await fetch(`${base}/events`, { headers: { authorization: `bearer ${KEY}` } });
    expect(stream.status).toBe(200);
    await stream.body?.cancel();
  });

  it('tells /health without the key only that the server is up, and everything with it', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }]) {
      const response = await t.app.inject({ method: 'GET', url: '/health', headers });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ok' });
      expect(response.body).not.toMatch(/version|demo|summarizer|offline|canvas/i);
      expect(response.headers.server).toBeUndefined();
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
    const head = await t.app.inject({ method: 'HEAD', url: '/health' });
    expect(head.statusCode).toBe(200);
    const full = await t.app.inject({ method: 'GET', url: '/health', headers: withKey });
    expect(full.json()).toMatchObject({ status: 'ok', mode: 'demo', summarizer: 'offline' });
  });

  it('serves the page shell, its assets and the API reference without the key', async () => {
    // The page is built before the tests (test/global-setup.ts); it must load to ask for the key.
    for (const url of ['/', '/assets/app.js', '/docs', '/docs/json', '/docs/static/swagger-ui.css']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
    }
  });

  it('documents the bearer scheme, required everywhere but /health, and the 401s', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.security).toEqual([{ apiKey: [] }]);
    expect(doc.paths['/health'].get.security).toEqual([]);
    expect(Object.keys(doc.paths['/health'].get.responses)).not.toContain('401');
    expect(Object.keys(doc.paths['/courses'].get.responses)).toContain('401');
    expect(Object.keys(doc.paths['/items/{id}/transcript'].put.responses)).toContain('401');
  });

  it('answers a CORS preflight, which carries no credentials, without the key', async () => {
    const response = await t.app.inject({
      method: 'OPTIONS',
      url: '/items/10001/summarize',
      headers: {
        origin: DASHBOARD,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(response.statusCode).toBe(204);
    expect(response.headers['access-control-allow-origin']).toBe(DASHBOARD);
    expect(String(response.headers['access-control-allow-headers'])).toMatch(/authorization/i);
  });

  it('never writes the key, right or wrong, to the log', async () => {
    await t.app.inject({ method: 'GET', url: '/items/999999', headers: withKey });
    await t.app.inject({ method: 'GET', url: '/courses', headers: { authorization: `Bearer ${ALMOST}` } });
    const logs = t.logs.join('');
    expect(logs).toMatch(/auth\.invalid_key/);
    expect(logs).not.toContain(KEY);
    expect(logs).not.toContain(ALMOST);
  });
});

describe('without API_KEY', () => {
  it('asks no key and reports the whole /health', async () => {
    const t = await createTestApp();
    try {
      expect((await t.app.inject({ method: 'GET', url: '/courses' })).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({ mode: 'demo' });
      expect(
        (await t.app.inject({ method: 'GET', url: '/docs/json' })).json().components?.securitySchemes,
      ).toBeUndefined();
    } finally {
      await t.close();
    }
  });
});
