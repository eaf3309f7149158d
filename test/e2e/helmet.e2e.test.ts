import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAGE_CSP } from '../../src/http/routes/web.routes.ts';
import { DOCS_CSP } from '../../src/http/security-headers.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Directives in order, however they are spaced (helmet writes `a;b`, our constants `a; b`). */
const directives = (policy: unknown) => String(policy).split(/;\s*/).filter(Boolean);

describe('security headers (helmet)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const get = (url: string) => t.app.inject({ method: 'GET', url });

  it.each([
    ['JSON', '/courses', 200, API_CSP],
    ['an error', '/items/999999', 404, API_CSP],
    ['an unknown route', '/no-such-route', 404, API_CSP],
    ['the page', '/', 200, PAGE_CSP],
    ['the page script', '/assets/app.js', 200, PAGE_CSP],
    ['the API reference', '/docs', 200, DOCS_CSP],
    ['its script', '/docs/static/swagger-ui-bundle.js', 200, DOCS_CSP],
    ['its description', '/docs/json', 200, DOCS_CSP],
  ])('sends them with %s, and the policy of its kind', async (_label, url, status, csp) => {
    const response = await get(url);
    expect(response.statusCode).toBe(status);
    expect(directives(response.headers['content-security-policy'])).toEqual(directives(csp));
    expect(response.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'SAMEORIGIN',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'referrer-policy': 'no-referrer',
      'x-dns-prefetch-control': 'off',
    });
    // Plain HTTP: HSTS would be ignored, and upgrading requests would break the page on a LAN.
    expect(response.headers['strict-transport-security']).toBeUndefined();
    expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('keeps the refusals of the request guard under them', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/me/courses/refresh',
      headers: { origin: 'http://evil.example' },
    });
    expect(response.statusCode).toBe(403);
    expect(directives(response.headers['content-security-policy'])).toEqual(directives(API_CSP));
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
  });
});
