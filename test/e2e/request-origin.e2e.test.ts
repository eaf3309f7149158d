import { afterEach, describe, expect, it } from 'vitest';
import { syncDemo } from '../helpers/demo-account.ts';
import { rawRequest } from '../helpers/raw-http.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const DASHBOARD = 'http://localhost:5173';
const EVIL = 'http://evil.example';

describe('requests from browsers and other hosts', () => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'GET', url, headers });
  const post = (url: string, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, headers });

  describe('the Host check on a loopback HOST', () => {
    it.each([
      'localhost',
      'localhost:8000',
      'LocalHost:8000',
      '127.0.0.1',
      '127.0.0.1:8000',
      '127.10.20.30:9',
      '[::1]',
      '[::1]:8000',
    ])('accepts Host: %s', async (host) => {
      t = await createTestApp();
      const response = await get('/health', { host });
      expect(response.statusCode, response.body).toBe(200);
    });

    it("accepts inject's default Host (localhost:80) on GET and POST", async () => {
      t = await createTestApp();
      expect((await get('/health')).statusCode).toBe(200);
      expect((await post('/me/courses/refresh')).statusCode).toBe(200);
    });

    it.each([
      'evil.example',
      'evil.example:8000',
      'localhost.evil.example',
      '127.0.0.1.nip.io',
      'evil.example@localhost',
      '127.0.0.256',
      '128.0.0.1',
      '0.0.0.0:8000',
      '[::2]:8000',
      'localhost:http',
      'localhost/evil',
    ])('refuses Host: %j with 403 request.host_not_allowed, on reads too', async (host) => {
      t = await createTestApp();
      for (const method of ['GET', 'POST'] as const) {
        const response = await t.app.inject({ method, url: '/me/courses', headers: { host } });
        expect(response.statusCode, `${method} ${response.body}`).toBe(403);
        expect(response.json()).toEqual({
          error: { code: 'request.host_not_allowed', message: expect.any(String) },
        });
      }
    });

    it('refuses a request without a Host header (HTTP/1.0)', async () => {
      t = await createTestApp();
      const raw = await rawRequest(t.app, 'GET /health HTTP/1.0\r\n\r\n');
      expect(raw).toMatch(/^HTTP\/1\.[01] 403 /);
      expect(raw).toContain('"request.host_not_allowed"');
    });

    it.each(['localhost', '::1', '127.0.0.2'])('checks the Host when HOST is %s', async (host) => {
      t = await createTestApp({ config: { http: { host } } });
      expect((await get('/health', { host: 'evil.example' })).statusCode).toBe(403);
      expect((await get('/health', { host: 'localhost:8000' })).statusCode).toBe(200);
    });

    it.each(['0.0.0.0', '::', '192.168.1.20', 'notes.lan'])(
      'skips the Host check when HOST is %s',
      async (host) => {
        t = await createTestApp({ config: { http: { host } } });
        expect((await get('/health', { host: 'notes.lan:8000' })).statusCode).toBe(200);
      },
    );
  });

  describe('the Origin check on state-changing requests', () => {
    it('refuses a cross-site text/plain POST that would reset an item, and leaves its transcript', async () => {
      t = await createTestApp();
      await syncDemo(t.app, [101]);
      await post('/items/10001/fetch-transcript');
      await t.deps.runner.runUntilEmpty();

      const forged = await t.app.inject({
        method: 'POST',
        url: '/items/10001/reset',
        headers: { origin: EVIL, 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' },
        payload: 'x',
      });
      expect(forged.statusCode).toBe(403);
      expect(forged.json()).toEqual({ error: { code: 'request.cross_origin', message: expect.any(String) } });
      expect((await get('/items/10001/transcript')).statusCode).toBe(200);

      // The same request from curl (no Origin) still works.
      const reset = await post('/items/10001/reset');
      expect(reset.statusCode).toBe(200);
      expect((await get('/items/10001/transcript')).statusCode).toBe(404);
    });

    it.each([
      EVIL,
      'null',
      DASHBOARD,
      'http://localhost:8000',
      'https://localhost',
      'http://127.0.0.1',
      'not a url',
    ])('refuses a POST with Origin %s that is neither listed nor the same origin', async (origin) => {
      t = await createTestApp();
      const response = await post('/me/courses/refresh', { origin });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('request.cross_origin');
    });

    it('accepts a POST whose Origin is the same origin as its Host', async () => {
      t = await createTestApp();
      expect((await post('/me/courses/refresh', { origin: 'http://localhost' })).statusCode).toBe(200);
      const onPort = await post('/me/courses/refresh', {
        host: '127.0.0.1:8000',
        origin: 'http://127.0.0.1:8000',
        'sec-fetch-site': 'same-origin',
      });
      expect(onPort.statusCode).toBe(200);
    });

    it('accepts a POST from an origin listed in CORS_ORIGINS, even cross-site', async () => {
      t = await createTestApp({ config: { http: { corsOrigins: [DASHBOARD, 'https://notes.example'] } } });
      expect((await post('/me/courses/refresh', { origin: DASHBOARD })).statusCode).toBe(200);
      const crossSite = await post('/me/courses/refresh', {
        origin: 'https://notes.example',
        'sec-fetch-site': 'cross-site',
      });
      expect(crossSite.statusCode).toBe(200);
      expect(crossSite.headers['access-control-allow-origin']).toBe('https://notes.example');
      expect((await post('/me/courses/refresh', { origin: EVIL })).statusCode).toBe(403);
    });

    it('refuses Sec-Fetch-Site: cross-site without an allowed Origin', async () => {
      t = await createTestApp({ config: { http: { corsOrigins: [DASHBOARD] } } });
      const bare = await post('/me/courses/refresh', { 'sec-fetch-site': 'cross-site' });
      expect(bare.statusCode).toBe(403);
      expect(bare.json().error.code).toBe('request.cross_origin');
      const sameOriginClaim = await post('/me/courses/refresh', {
        origin: 'http://localhost',
        'sec-fetch-site': 'cross-site',
      });
      expect(sameOriginClaim.statusCode).toBe(403);
      for (const site of ['same-origin', 'same-site', 'none']) {
        expect((await post('/me/courses/refresh', { 'sec-fetch-site': site })).statusCode).toBe(200);
      }
    });

    it.each(['PUT', 'PATCH', 'DELETE'] as const)('applies to %s as well', async (method) => {
      t = await createTestApp();
      const response = await t.app.inject({ method, url: '/items/10001', headers: { origin: EVIL } });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('request.cross_origin');
    });

    it('leaves reads open to any origin: CORS decides what a page may read', async () => {
      t = await createTestApp();
      const response = await get('/courses', { origin: EVIL, 'sec-fetch-site': 'cross-site' });
      expect(response.statusCode).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
      expect(
        (await t.app.inject({ method: 'HEAD', url: '/courses', headers: { origin: EVIL } })).statusCode,
      ).toBe(200);
    });

    it('keeps answering the CORS preflight of a listed origin', async () => {
      t = await createTestApp({ config: { http: { corsOrigins: [DASHBOARD] } } });
      const response = await t.app.inject({
        method: 'OPTIONS',
        url: '/items/10001/summarize',
        headers: {
          origin: DASHBOARD,
          'access-control-request-method': 'POST',
          'sec-fetch-site': 'same-site',
        },
      });
      expect(response.statusCode).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe(DASHBOARD);
    });
  });
});
