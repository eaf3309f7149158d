import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandler } from '../../src/http/error-handler.ts';
import { PAGE_CSP, webRoutes } from '../../src/http/routes/web.routes.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

// The page is built once before the tests (test/global-setup.ts).
describe('the web page at /', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('serves the page with a policy that forbids inline scripts, framing and other origins', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toBe(PAGE_CSP);
    expect(PAGE_CSP).toContain("script-src 'self'");
    expect(PAGE_CSP).toContain("frame-ancestors 'none'");
    expect(PAGE_CSP).not.toMatch(/unsafe-(inline|eval)/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.body).toContain('<script type="module" src="/assets/app.js"></script>');
    // The shell holds no inline script or style for the policy to refuse.
    expect(response.body).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=/i);
  });

  it('serves its script and styles under /assets/ with the same headers, and 404s the rest', async () => {
    const script = await t.app.inject({ method: 'GET', url: '/assets/app.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
    expect(script.headers['content-security-policy']).toBe(PAGE_CSP);
    expect(script.headers['x-content-type-options']).toBe('nosniff');
    const styles = await t.app.inject({ method: 'GET', url: '/assets/app.css' });
    expect(styles.statusCode).toBe(200);
    expect(styles.headers['content-type']).toMatch(/^text\/css/);

    for (const url of ['/assets/missing.js', '/assets/../package.json', '/assets/%2e%2e/package.json']) {
      const missing = await t.app.inject({ method: 'GET', url });
      expect(missing.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(missing.statusCode, url).toBeLessThan(500);
      expect(missing.body, url).not.toContain('"name": "canvas-notes"');
    }
  });

  it('leaves the API and /docs without the page headers', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    // Helmet's strict policy for API answers, not the page's.
    expect(health.headers['content-security-policy']).not.toBe(PAGE_CSP);
    const docs = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(docs.statusCode).toBe(200);
    expect(Object.keys(docs.json().paths)).not.toContain('/');
    const ui = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(ui.statusCode).toBe(200);
  });
});

describe('the web page before it is built', () => {
  let app: FastifyInstance;
  let empty: string;
  beforeAll(async () => {
    empty = mkdtempSync(join(tmpdir(), 'canvas-notes-no-web-'));
    app = Fastify();
    installErrorHandler(app);
    await app.register(webRoutes, { root: join(empty, 'web') });
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    rmSync(empty, { recursive: true, force: true });
  });

  it('answers 503 web.not_built, saying what to run', async () => {
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({
      error: { code: 'web.not_built', message: expect.stringContaining('npm run build:web') },
    });
    expect(response.headers['content-security-policy']).toBe(PAGE_CSP);
    const asset = await app.inject({ method: 'GET', url: '/assets/app.js' });
    expect(asset.statusCode).toBe(404);
    expect(asset.json().error.code).toBe('route.not_found');
  });
});
