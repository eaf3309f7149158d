import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const MALFORMED_IDS = [
  'abc',
  '-1',
  '0',
  '1.5',
  '1e99',
  '0x1A',
  '9007199254740993',
  '99999999999999999999',
  '%20',
];
const ID_ROUTES = [
  ['GET', '/courses/:id'],
  ['GET', '/courses/:id/modules'],
  ['GET', '/courses/:id/progress'],
  ['POST', '/courses/:id/modules/refresh'],
  ['GET', '/modules/:id'],
  ['GET', '/modules/:id/items'],
  ['POST', '/modules/:id/items/refresh'],
  ['GET', '/items/:id'],
  ['POST', '/items/:id/fetch-transcript'],
  ['POST', '/items/:id/summarize'],
] as const;

describe('bad input', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it.each(ID_ROUTES)(
    '%s %s answers 400 with the error shape for every malformed id',
    async (method, route) => {
      for (const id of MALFORMED_IDS) {
        const response = await t.app.inject({ method, url: route.replace(':id', id) });
        expect(response.statusCode, `${method} ${route} with ${id}`).toBe(400);
        expect(response.json()).toEqual({
          error: { code: 'request.invalid_params', message: expect.stringContaining('id') },
        });
      }
    },
  );

  it.each(ID_ROUTES)('%s %s answers 404 for an unknown id', async (method, route) => {
    const response = await t.app.inject({ method, url: route.replace(':id', '424242') });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toMatch(/^(course|module|item)\.not_found$|^canvas\.not_found$/);
  });

  it('answers 400 for a bad force flag and 404 in the same shape for an unknown route', async () => {
    const bad = await t.app.inject({ method: 'POST', url: '/items/1/summarize?force=perhaps' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('request.invalid_querystring');
    const missing = await t.app.inject({ method: 'GET', url: '/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: { code: 'route.not_found', message: 'No route GET /nope.' } });
  });

  it('answers 4xx, not 5xx, to a malformed JSON body', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/me/courses/refresh',
      headers: { 'content-type': 'application/json' },
      payload: '{"oops":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toMatch(/^request\./);
  });

  it('serves the OpenAPI document listing every route', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const paths = Object.keys(response.json().paths);
    for (const [, route] of ID_ROUTES) expect(paths).toContain(route.replace(':id', '{id}'));
    expect(paths).toEqual(
      expect.arrayContaining(['/health', '/me/courses', '/me/courses/refresh', '/courses']),
    );
  });
});
