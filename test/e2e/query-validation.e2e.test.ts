import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncDemo } from '../helpers/demo-account.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const invalidQuery = (field: string) => ({
  error: { code: 'request.invalid_querystring', message: expect.stringContaining(field) },
});

describe('query string validation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    await syncDemo(t.app, [101]);
  });
  afterAll(async () => {
    await t.close();
  });

  const inject = (method: 'GET' | 'POST', url: string) => t.app.inject({ method, url });

  it.each([
    ['GET', '/jobs?statee=failed', 'statee'],
    ['GET', '/items?stauts=FAILED', 'stauts'],
    ['POST', '/items/10001/fetch-transcript?forse=true', 'forse'],
    ['POST', '/items/10001/summarize?force=true&forse=true', 'forse'],
    ['POST', '/modules/1001/summarize?forse=1', 'forse'],
    ['POST', '/courses/101/fetch-transcript?forse=1', 'forse'],
  ] as const)('refuses the misspelt key on %s %s with 400', async (method, url, key) => {
    const response = await inject(method, url);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual(invalidQuery(key));
  });

  it('queues nothing when a POST carries a misspelt key', async () => {
    await inject('POST', '/items/10001/fetch-transcript?forse=true');
    expect((await inject('GET', '/jobs')).json().total).toBe(0);
  });

  it.each([
    ['limit=0', 'must be an integer from 1 to 200'],
    ['limit=201', 'must be at most 200'],
    ['limit=abc', 'must be an integer from 1 to 200'],
    ['offset=-1', 'must be a non-negative integer'],
    [`offset=${'9'.repeat(17)}`, 'is too large'],
  ])('pages /jobs and /items alike: ?%s says %s', async (query, message) => {
    for (const path of ['/jobs', '/items']) {
      const response = await inject('GET', `${path}?${query}`);
      expect(response.statusCode, path).toBe(400);
      expect(response.json().error.message, path).toContain(message);
    }
  });

  it('pages /jobs with the same defaults as /items', async () => {
    expect((await inject('GET', '/jobs')).json()).toMatchObject({ limit: 50, offset: 0 });
    expect((await inject('GET', '/jobs?limit=200&offset=3')).json()).toMatchObject({ limit: 200, offset: 3 });
  });

  it('offers only the public providers as a filter', async () => {
    expect((await inject('GET', '/items?provider=panopto')).statusCode).toBe(200);
    expect((await inject('GET', '/items?provider=zoom')).statusCode).toBe(200);
    expect((await inject('GET', '/items?provider=none')).statusCode).toBe(200);
    const fake = await inject('GET', '/items?provider=fake');
    expect(fake.statusCode).toBe(400);
    expect(fake.json()).toEqual(invalidQuery('provider'));
  });

  it.each(['%00', 'lecture%00', '%01', '%1F', '%7F', 'a%0Ab', '%C2%85'])(
    'refuses a search with the control character in %s',
    async (search) => {
      const response = await inject('GET', `/items?search=${search}`);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual(invalidQuery('search'));
    },
  );

  it('still searches titles with spaces, accents and wildcards taken literally', async () => {
    const response = await inject('GET', '/items?search=%20Membr%C3%A1n%25%20');
    expect(response.statusCode).toBe(200);
  });

  it.each([
    ['/items/12345678901234567', 'params', 'id: is too large'],
    [`/items/${'9'.repeat(40)}`, 'params', 'id: is too large'],
    ['/items/9007199254740993', 'params', 'id: is too large'],
    ['/items?course_id=123456789012345678', 'querystring', 'course_id: is too large'],
    ['/jobs?item_id=123456789012345678', 'querystring', 'item_id: is too large'],
  ])('says a long id in %s is too large', async (url, where, message) => {
    const response = await inject('GET', url);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: { code: `request.invalid_${where}`, message: `Invalid ${where}: ${message}` },
    });
  });

  it('still calls a malformed id not a positive integer id', async () => {
    for (const id of ['0', '-1', '01', '1e3', 'abc']) {
      const response = await inject('GET', `/items/${id}`);
      expect(response.json().error.message, id).toBe('Invalid params: id: must be a positive integer id');
    }
  });
});
