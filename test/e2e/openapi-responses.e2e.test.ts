import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * The statuses each operation documents. Cache reads answer only what the cache can say (bad
 * input, unknown id, a file gone missing); only the refreshes talk to Canvas and may answer
 * 502/503/504; every state-changing route may refuse a cross-origin browser request with 403
 * and an action past the client's limit with 429; the reads the read cache keeps answer 304 to
 * an If-None-Match naming their current ETag.
 */
const EXPECTED: Record<string, string[]> = {
  'get /health': ['200', '503'],
  'get /me/courses': ['200', '304'],
  'get /courses': ['200', '304'],
  'post /me/courses/refresh': ['200', '403', '404', '429', '502', '503', '504'],
  'get /courses/{id}': ['200', '304', '400', '404'],
  'get /courses/{id}/modules': ['200', '304', '400', '404'],
  'post /courses/{id}/modules/refresh': ['200', '400', '403', '404', '429', '502', '503', '504'],
  'get /modules/{id}': ['200', '304', '400', '404'],
  'get /modules/{id}/items': ['200', '304', '400', '404'],
  'post /modules/{id}/items/refresh': ['200', '400', '403', '404', '429', '502', '503', '504'],
  'get /items': ['200', '304', '400'],
  'get /items/{id}': ['200', '304', '400', '404'],
  'post /items/{id}/reset': ['200', '400', '403', '404', '409', '429'],
  'post /items/{id}/fetch-transcript': ['202', '400', '403', '404', '422', '429'],
  'post /items/{id}/summarize': ['202', '400', '403', '404', '422', '429'],
  'get /items/{id}/transcript': ['200', '400', '404', '409'],
  // 415: a body that is not captions or text (JSON, an image).
  'put /items/{id}/transcript': ['200', '400', '403', '404', '409', '413', '415', '429'],
  'get /items/{id}/summary': ['200', '400', '404', '409'],
  'get /items/{id}/artifacts': ['200', '304', '400', '404'],
  'get /artifacts/{id}': ['200', '304', '400', '404'],
  'get /jobs': ['200', '400'],
  'get /jobs/{id}': ['200', '400', '404'],
  'post /jobs/{id}/cancel': ['200', '202', '400', '403', '404', '409', '429'],
  'post /jobs/{id}/retry': ['202', '400', '403', '404', '409', '429'],
  'get /courses/{id}/progress': ['200', '400', '404'],
  'post /modules/{id}/summarize': ['202', '400', '403', '404', '429'],
  'post /courses/{id}/summarize': ['202', '400', '403', '404', '429'],
  'post /modules/{id}/fetch-transcript': ['202', '400', '403', '404', '429'],
  'post /courses/{id}/fetch-transcript': ['202', '400', '403', '404', '429'],
  // 400: a malformed parameter, or a query that cannot be read (`search.bad_query`).
  'get /search': ['200', '304', '400'],
  'get /courses/{id}/notes.md': ['200', '400', '404'],
  'get /modules/{id}/notes.md': ['200', '400', '404'],
  'get /courses/{id}/export.zip': ['200', '400', '404'],
  // A bad query or Last-Event-ID is a 400 before the stream starts.
  'get /events': ['200', '400'],
};

type Operation = {
  summary?: string;
  parameters?: Array<{ in: string; name: string; schema?: { enum?: string[] } }>;
  responses: Record<string, unknown>;
};

const BULK_OPERATIONS = Object.keys(EXPECTED).filter((key) =>
  /^post \/(modules|courses)\/\{id\}\/(summarize|fetch-transcript)$/.test(key),
);

describe('the OpenAPI document', () => {
  let t: TestApp;
  let operations: Map<string, Operation>;
  beforeAll(async () => {
    t = await createTestApp();
    const paths = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json().paths as Record<
      string,
      Record<string, Operation>
    >;
    operations = new Map(
      Object.entries(paths).flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => [`${method} ${path}`, operation] as const),
      ),
    );
  });
  afterAll(async () => {
    await t.close();
  });

  it('documents exactly the API operations', () => {
    expect([...operations.keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('documents only the statuses %s can answer', (key, statuses) => {
    expect(Object.keys(operations.get(key)?.responses ?? {}).sort()).toEqual(statuses);
  });

  it.each(BULK_OPERATIONS)('documents ?include=readings on %s', (key) => {
    const include = operations.get(key)?.parameters?.find((p) => p.in === 'query' && p.name === 'include');
    expect(include?.schema?.enum).toEqual(['readings']);
  });

  it('gives every operation a summary, /courses/{id} and /modules/{id} included', () => {
    for (const [key, operation] of operations) expect(operation.summary, key).toMatch(/\S/);
  });
});
