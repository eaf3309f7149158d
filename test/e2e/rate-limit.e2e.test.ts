import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const ME = '127.0.0.1';
const NEIGHBOUR = '127.0.0.2';

describe('the action limit', () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    for (const t of apps.splice(0)) await t.close();
  });

  async function limitedApp(actionsPerMinute: number) {
    const t = await createTestApp({ config: { rateLimit: { actionsPerMinute } } });
    apps.push(t);
    return t;
  }
  const post = (t: TestApp, url: string, remoteAddress = ME) =>
    t.app.inject({ method: 'POST', url, remoteAddress });

  it('answers the action past the limit with 429 rate_limit.exceeded and Retry-After, for every kind of action', async () => {
    const t = await limitedApp(3);
    // The sync counts for its own client, not for ME.
    await t.app.inject({ method: 'POST', url: '/me/courses/refresh', remoteAddress: '127.0.0.9' });
    await t.app.inject({ method: 'POST', url: '/courses/101/modules/refresh', remoteAddress: '127.0.0.9' });

    const accepted = [
      await post(t, '/items/10001/fetch-transcript'),
      await post(t, '/items/10002/summarize'),
      await post(t, '/modules/1001/items/refresh'),
    ];
    expect(accepted.map((r) => r.statusCode)).toEqual([202, 202, 200]);
    expect(accepted.map((r) => r.headers['x-ratelimit-remaining'])).toEqual(['2', '1', '0']);
    expect(accepted[0]?.headers['x-ratelimit-limit']).toBe('3');

    for (const [method, url] of [
      ['POST', '/items/10003/summarize'],
      ['POST', '/courses/101/summarize'],
      ['POST', '/jobs/1/cancel'],
      ['PUT', '/items/10001/transcript'],
    ] as const) {
      const refused = await t.app.inject({
        method,
        url,
        remoteAddress: ME,
        headers: { 'content-type': 'text/plain' },
        payload: method === 'PUT' ? 'WEBVTT\n' : undefined,
      });
      expect(refused.statusCode, url).toBe(429);
      expect(refused.json(), url).toEqual({
        error: {
          code: 'rate_limit.exceeded',
          message: expect.stringMatching(/at most 3 a minute.*Try again in/),
        },
      });
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter, url).toBeGreaterThan(0);
      expect(retryAfter, url).toBeLessThanOrEqual(60);
      expect(refused.headers['x-ratelimit-remaining'], url).toBe('0');
      expect(refused.headers['x-content-type-options'], url).toBe('nosniff');
    }
    // Nothing past the limit was queued.
    const jobs = (await t.app.inject({ method: 'GET', url: '/jobs', remoteAddress: ME })).json();
    expect(jobs.total).toBe(2);
  });

  it('leaves reads of the same client and actions of another client alone', async () => {
    const t = await limitedApp(1);
    expect((await post(t, '/me/courses/refresh')).statusCode).toBe(200);
    expect((await post(t, '/me/courses/refresh')).statusCode).toBe(429);
    for (const url of ['/courses', '/items', '/jobs', '/health', '/courses/101']) {
      const read = await t.app.inject({ method: 'GET', url, remoteAddress: ME });
      expect(read.statusCode, url).toBe(200);
      expect(read.headers['x-ratelimit-limit'], url).toBeUndefined();
    }
    expect((await post(t, '/me/courses/refresh', NEIGHBOUR)).statusCode).toBe(200);
    expect((await post(t, '/me/courses/refresh', NEIGHBOUR)).statusCode).toBe(429);
  });

  it('counts clients apart over real HTTP, by their source address', async () => {
    const t = await limitedApp(1);
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { request } = await import('node:http');
    const refresh = (localAddress: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(`${base}/me/courses/refresh`, { method: 'POST', localAddress }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        req.on('error', reject).end();
      });
    expect(await refresh(ME)).toBe(200);
    expect(await refresh(ME)).toBe(429);
    expect(await refresh(NEIGHBOUR)).toBe(200);
  });

  it('is off with 0, and documents 429 only on actions when on', async () => {
    const off = await limitedApp(0);
    for (let i = 0; i < 5; i++) {
      const response = await post(off, '/me/courses/refresh');
      expect(response.statusCode).toBe(200);
      expect(response.headers['x-ratelimit-limit']).toBeUndefined();
    }
    const offDoc = (await off.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(offDoc.paths['/me/courses/refresh'].post.responses)).not.toContain('429');

    const on = await limitedApp(5);
    const doc = (await on.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(Object.keys(doc.paths['/me/courses/refresh'].post.responses)).toContain('429');
    expect(Object.keys(doc.paths['/items/{id}/transcript'].put.responses)).toContain('429');
    expect(Object.keys(doc.paths['/items/{id}/transcript'].get.responses)).not.toContain('429');
  });
});
