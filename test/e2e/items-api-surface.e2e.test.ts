import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const MALFORMED_IDS = ['abc', '-1', '0', '1.5', '1e3', '0x1A', '9007199254740993'];

/** Each id route of issue #4 with the code its unknown-id 404 carries. */
const ID_ROUTES = [
  ['GET', '/items/:id/transcript', 'item.not_found'],
  ['GET', '/items/:id/summary', 'item.not_found'],
  ['GET', '/items/:id/artifacts', 'item.not_found'],
  ['GET', '/artifacts/:id', 'artifact.not_found'],
  ['POST', '/items/:id/reset', 'item.not_found'],
  ['GET', '/modules/:id', 'module.not_found'],
  ['POST', '/modules/:id/items/refresh', 'module.not_found'],
] as const;

describe('the item and artifact routes', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it.each(ID_ROUTES)(
    '%s %s answers 400 for malformed ids and 404 for unknown ones',
    async (method, route, code) => {
      for (const id of MALFORMED_IDS) {
        const response = await t.app.inject({ method, url: route.replace(':id', id) });
        expect(response.statusCode, `${route} with ${id}`).toBe(400);
        expect(response.json().error.code).toBe('request.invalid_params');
      }
      const unknown = await t.app.inject({ method, url: route.replace(':id', '424242') });
      expect(unknown.statusCode).toBe(404);
      expect(unknown.json()).toEqual({ error: { code, message: expect.any(String) } });
    },
  );

  it('documents every route of the API with its parameters and response schemas', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    const { paths } = response.json();
    const expected = {
      '/courses': 'get',
      '/modules/{id}': 'get',
      '/modules/{id}/items/refresh': 'post',
      '/items': 'get',
      '/items/{id}': 'get',
      '/items/{id}/transcript': 'get',
      '/items/{id}/summary': 'get',
      '/items/{id}/artifacts': 'get',
      '/items/{id}/reset': 'post',
      '/artifacts/{id}': 'get',
    };
    for (const [path, method] of Object.entries(expected)) {
      const operation = paths[path]?.[method];
      expect(operation, `${method} ${path}`).toBeDefined();
      expect(operation.responses['200'], `${method} ${path}`).toBeDefined();
    }

    const list = paths['/items'].get;
    expect(list.parameters.map((p: { name: string }) => p.name)).toEqual([
      'course_id',
      'module_id',
      'status',
      'provider',
      'search',
      'limit',
      'offset',
    ]);
    const listBody = list.responses['200'].content['application/json'].schema;
    expect(listBody.required).toEqual(['items', 'total', 'limit', 'offset']);
    expect(listBody.properties.items.items.required).toContain('media_links');

    const transcript = paths['/items/{id}/transcript'].get.responses;
    expect(transcript['200'].content['text/plain'].schema).toEqual({ type: 'string' });
    expect(transcript['200'].content['application/json'].schema.required).toEqual([
      'item_id',
      'segments',
      'sources',
      'text',
    ]);
    expect(transcript['404'].content['application/json'].schema.required).toEqual(['error']);
    const summary = paths['/items/{id}/summary'].get.responses['200'].content;
    expect(Object.keys(summary)).toEqual(['text/markdown', 'application/json']);

    const artifact = paths['/artifacts/{id}'].get.responses['200'].content['application/json'].schema;
    expect(Object.keys(artifact.properties)).toEqual(
      expect.arrayContaining(['kind', 'path', 'content_hash', 'bytes', 'source_hash', 'model', 'usage']),
    );
    expect(paths['/items/{id}'].get.responses['200'].content['application/json'].schema.required).toContain(
      'media_links',
    );
  });
});
