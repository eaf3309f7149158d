import type { LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { syncDemo } from '../helpers/demo-account.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/** A real id of the demo account for each resource a path can name; jobs: the one made first. */
const IDS: Record<string, number> = { courses: 101, modules: 1001, items: 10001, jobs: 1 };

const WRITES = new Set(['post', 'put', 'patch', 'delete']);

/** Every state-changing operation in the app's own OpenAPI document, as [METHOD, path with ids]. */
function writeOperations(t: TestApp): Array<[string, string]> {
  const paths = (t.app.swagger() as { paths: Record<string, Record<string, unknown>> }).paths;
  return Object.entries(paths).flatMap(([path, methods]) =>
    Object.keys(methods)
      .filter((method) => WRITES.has(method))
      .map((method): [string, string] => {
        const url = path.replace(/^\/([a-z]+)\/\{id\}/, (whole, resource: string) => {
          const id = IDS[resource];
          if (id === undefined) throw new Error(`no demo id for ${whole}: add one to IDS`);
          return `/${resource}/${id}`;
        });
        return [method.toUpperCase(), url];
      }),
  );
}

const outcome = (response: LightMyRequestResponse) => ({
  status: response.statusCode,
  code: response.statusCode >= 400 ? response.json().error.code : null,
});

describe('Content-Type: application/json with an empty body', () => {
  const apps: TestApp[] = [];
  afterEach(async () => {
    for (const t of apps.splice(0)) await t.close();
  });

  async function demoApp() {
    const t = await createTestApp();
    apps.push(t);
    await syncDemo(t.app, [101]);
    // The job `/jobs/{id}` names.
    await t.app.inject({ method: 'POST', url: '/items/10001/fetch-transcript' });
    return t;
  }

  it('answers every write route as the same call without the header does', async () => {
    // Two identical apps take the same calls in the same order, one with the header, one without.
    const [withHeader, without] = [await demoApp(), await demoApp()];
    const operations = writeOperations(withHeader);
    expect(operations).toEqual(
      expect.arrayContaining([
        ['POST', '/me/courses/refresh'],
        ['POST', '/items/10001/summarize'],
        ['POST', '/jobs/1/cancel'],
        ['PUT', '/items/10001/transcript'],
      ]),
    );
    for (const [method, url] of operations) {
      const a = await withHeader.app.inject({
        method: method as 'POST',
        url,
        headers: { 'content-type': 'application/json' },
        payload: '',
      });
      const b = await without.app.inject({ method: method as 'POST', url });
      expect(outcome(a), `${method} ${url}: ${a.body}`).toEqual(outcome(b));
      expect(outcome(a).code, `${method} ${url}`).not.toBe('request.ctp_empty_json_body');
      // Equal outcomes would also pass if both calls broke the same way.
      expect(a.statusCode, `${method} ${url}: ${a.body}`).toBeLessThan(500);
    }
  });

  it('keeps an empty transcript upload a 400 transcript.upload_empty', async () => {
    const t = await demoApp();
    const response = await t.app.inject({
      method: 'PUT',
      url: '/items/10001/transcript',
      headers: { 'content-type': 'application/json' },
      payload: '',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('transcript.upload_empty');
  });

  it('accepts it over real HTTP, as a browser or a client library sends it', async () => {
    const t = await demoApp();
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const response = await fetch(`${base}/items/10001/summarize`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(response.status, await response.clone().text()).toBe(202);
    expect(((await response.json()) as { job: { kind: string } }).job.kind).toBe('summarize');
  });

  it('still answers malformed JSON, or JSON that would poison a prototype, with a 400 in the error shape', async () => {
    const t = await demoApp();
    for (const payload of [
      '{',
      ' ',
      '{"__proto__": {"polluted": true}}',
      '{"constructor": {"prototype": {}}}',
    ]) {
      const response = await t.app.inject({
        method: 'POST',
        url: '/items/10001/summarize',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expect(response.statusCode, payload).toBe(400);
      expect(response.json().error.code, payload).toBe('request.ctp_invalid_json_body');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
