import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawRequest } from '../helpers/raw-http.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const errorShape = (code: RegExp | string) => ({
  error: { code: typeof code === 'string' ? code : expect.stringMatching(code), message: expect.any(String) },
});

/** URLs a router, a decoder or a schema may choke on; every answer must be a 4xx in the one shape. */
const ODD_URLS = [
  '/items/1%',
  '/items/%',
  '/%',
  '/items/%zz',
  '/items/%C0%AF',
  '/items/%E0%A4%A',
  '/courses/%ff',
  '/modules/%/items',
  `/items/${'1'.repeat(300)}`,
  `/items/${'1'.repeat(300)}/transcript`,
  `/${'a'.repeat(5000)}`,
  '/items/%00',
  '/items/..%2F..%2Fetc',
  '/items/1;x',
  '/items/é',
  '/modules/1%25',
  '//items',
  '/items//1',
  '/items/1/',
  '/ITEMS/1',
  '*',
  '/items?%=1',
  '/items?limit=1&limit=2',
  '/items?limit[]=1',
  '/items?limit=%',
  '/jobs?limit=%zz',
];

describe('answers to malformed requests', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('answers an id too long for the router with the same 400 as any too-large id', async () => {
    const response = await t.app.inject({ method: 'GET', url: `/items/${'9'.repeat(300)}` });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({
      error: { code: 'request.invalid_params', message: expect.stringContaining('too large') },
    });
  });

  it('answers a broken percent-escape in the path with 400 in the error shape', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/items/1%' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(errorShape('request.bad_url'));
  });

  const labelled = ODD_URLS.map((url) => [
    url.length > 40 ? `${url.slice(0, 40)}… (${url.length})` : url,
    url,
  ]);
  it.each(labelled)('answers GET and POST %s with a 4xx in the error shape', async (_label, url = '') => {
    for (const method of ['GET', 'POST'] as const) {
      const response = await t.app.inject({ method, url });
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, `${method} ${url}`).toBeLessThan(500);
      expect(response.json()).toEqual(errorShape(/^(request|route)\.[a-z_]+$/));
    }
  });

  // inject() resolves dot segments as a URL parser does (`/items/%2e%2e` becomes `/`, the page);
  // a client on the wire sends them as they are.
  it('answers GET and POST /items/%2e%2e sent on the wire with a 4xx in the error shape', async () => {
    for (const method of ['GET', 'POST']) {
      const raw = await rawRequest(
        t.app,
        `${method} /items/%2e%2e HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      );
      const [head = '', payload = ''] = raw.split('\r\n\r\n');
      expect(head, `${method}: ${raw}`).toMatch(/^HTTP\/1\.1 4\d\d /);
      expect(JSON.parse(payload)).toEqual(errorShape(/^(request|route)\.[a-z_]+$/));
    }
  });

  it('answers a request the HTTP parser rejects in the error shape', async () => {
    const raw = await rawRequest(
      t.app,
      'GET /health HTTP/1.1\r\nHost: localhost\r\nBroken header line\r\n\r\n',
    );
    const [head = '', payload = ''] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head.toLowerCase()).toContain('content-type: application/json');
    expect(JSON.parse(payload)).toEqual(errorShape('request.malformed'));
  });
});
