import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncDemo } from '../helpers/demo-account.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

// The demo's Zoom share link: an item whose transcript only an upload can give.
const ZOOM_ITEM = 20002;

describe('X-Content-Type-Options on every response', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await syncDemo(t.app, [102]);
    const upload = await t.app.inject({
      method: 'PUT',
      url: `/items/${ZOOM_ITEM}/transcript`,
      headers: { 'content-type': 'text/plain' },
      // Text a browser would sniff as script if allowed to: the reason for the header.
      payload: 'alert(document.domain)//',
    });
    expect(upload.statusCode).toBe(200);
  });
  afterAll(() => t.close());

  it.each([
    ['a transcript served as text', `/items/${ZOOM_ITEM}/transcript`, 200],
    ['JSON', '/health', 200],
    ['an error', '/items/999999', 404],
    ['an unknown route', '/no-such-route', 404],
    ['the API reference', '/docs/json', 200],
  ])('sends nosniff with %s', async (_label, url, status) => {
    const response = await t.app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(status);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });
});
