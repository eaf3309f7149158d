import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

/** One operation of the app's OpenAPI document. */
export interface Operation {
  method: string;
  /** The path template, `{id}` style, as the document spells it. */
  path: string;
  /** The names of its query parameters. */
  query: string[];
  /** The media types its request body declares (empty: it takes none). */
  bodyTypes: string[];
}

interface OpenApiOperation {
  parameters?: Array<{ in: string; name: string }>;
  requestBody?: { content?: Record<string, unknown> };
}

/** Every operation in the app's own OpenAPI document (`GET /docs/json`). */
export function openApiOperations(app: FastifyInstance): Operation[] {
  const paths = (app.swagger() as { paths: Record<string, Record<string, OpenApiOperation>> }).paths;
  return Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      query: (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      bodyTypes: Object.keys(operation.requestBody?.content ?? {}),
    })),
  );
}

/**
 * Path segments that try to escape or confuse the router, the id parser and anything that builds
 * a file name from an id. Already in wire form: percent-escapes are sent as they are.
 */
export const HOSTILE_SEGMENTS = [
  '',
  '0',
  '-1',
  '00',
  '01',
  '1.5',
  '1e3',
  '0x10',
  '+1',
  '%201',
  'NaN',
  'Infinity',
  '9007199254740993',
  '99999999999999999999999999999999999999',
  '..',
  '.',
  '%2e%2e',
  '%2E%2E',
  '..%2f..%2f..%2fpackage.json',
  '..%5c..%5cpackage.json',
  '%252e%252e%252f',
  '%2f',
  '%2F..%2F',
  '%00',
  '1%00',
  '%',
  '%zz',
  '%C0%AE%C0%AE',
  '%E2%80%AE',
  '%F0%9F%92%A9',
  '%2Fetc%2Fpasswd',
  'C:%5Cwindows',
  '__proto__',
  'constructor',
  'x'.repeat(250),
];

/** A path segment: an existing id, digits of any size, or something hostile. */
export function pathSegment(existingIds: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...existingIds),
    fc.stringMatching(/^[0-9]{1,40}$/),
    fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }).map(String),
    fc.constantFrom(...HOSTILE_SEGMENTS),
    fc.string({ unit: 'binary', maxLength: 24 }).map(encodeURIComponent),
  );
}

const HOSTILE_VALUES = ['', '%', '%zz', '%00', '-1', '1e999', 'true', '[]', '{}', '..%2f..', 'x'.repeat(600)];

/** A query string (without `?`): known names with hostile values, unknown names, repeats, arrays. */
export function queryString(known: readonly string[]): fc.Arbitrary<string> {
  const name = fc.oneof(
    ...(known.length ? [fc.constantFrom(...known)] : []),
    fc.constantFrom('__proto__', 'constructor', 'a[]', 'a[0]', 'limit[]', 'q[$ne]', ''),
    fc.string({ maxLength: 8 }).map(encodeURIComponent),
  );
  const value = fc.oneof(
    fc.constantFrom(...HOSTILE_VALUES),
    fc.stringMatching(/^[0-9]{1,30}$/),
    fc.string({ unit: 'binary', maxLength: 40 }).map(encodeURIComponent),
  );
  const pair = fc.oneof(
    fc.tuple(name, value).map(([n, v]) => `${n}=${v}`),
    name,
    fc.constantFrom('&', '=', '==', '&&', '%26', '?'),
  );
  return fc.array(pair, { maxLength: 6 }).map((pairs) => pairs.join('&'));
}

export const CONTENT_TYPES = [
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset="utf-8"',
  'APPLICATION/JSON',
  'text/plain',
  'text/plain; charset=utf-16',
  'text/vtt',
  'text/vtt; charset=iso-8859-1',
  'application/x-subrip',
  'multipart/form-data; boundary=x',
  'multipart/form-data',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  'garbage',
  ';;;',
  '',
  'application/json, text/plain',
];

/** A request body: JSON of any shape, bytes, a long string (sometimes past the body limit). */
export function body(bodyLimit = 64 * 1024): fc.Arbitrary<string | Buffer | undefined> {
  return fc.oneof(
    fc.constant(undefined),
    fc.json({ maxDepth: 3 }),
    fc.jsonValue({ maxDepth: 2 }).map((value) => `{"__proto__":${JSON.stringify(value)},"constructor":{}}`),
    fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.constantFrom('WEBVTT\n\n00:00.000 --> 00:01.000\nhi\n', '1\n00:00:00,000 --> 00:00:01,000\nhi\n'),
    fc.integer({ min: 1, max: bodyLimit + 4_096 }).map((size) => 'a'.repeat(size)),
    fc.constantFrom(
      '--x\r\nContent-Disposition: form-data; name="file"; filename="../../x"\r\n\r\nhi\r\n--x--',
    ),
  );
}

const HEADER_VALUES: Record<string, string[]> = {
  accept: [
    '*/*',
    'text/markdown',
    'application/json',
    'text/html;q=0',
    'garbage',
    ';;;q=abc',
    'text/*;q=1.5',
    'application/zip',
    '',
    `${'a/b,'.repeat(500)}c/d`,
  ],
  'accept-encoding': ['gzip', 'br;q=0', 'identity;q=0, *;q=0', 'x'],
  'last-event-id': ['0', '-1', '1e3', '99999999999999999999999', 'abc', ''],
  range: ['bytes=0-', 'bytes=-1', 'bytes=999999999-', 'bytes=abc', 'bytes=0-1,2-3,4-5', 'lines=1-2'],
  'if-none-match': ['*', '"x"', 'W/"', ''],
  'if-modified-since': ['yesterday', 'Thu, 01 Jan 1970 00:00:00 GMT', ''],
  origin: ['null', 'http://evil.example', 'http://127.0.0.1', 'garbage'],
  'sec-fetch-site': ['cross-site', 'same-origin', 'none', 'x'],
  authorization: ['Bearer', 'Bearer x', 'Basic Og==', ''],
  'x-forwarded-for': ['1.2.3.4', 'garbage'],
};

/** A few request headers with hostile values: content negotiation, ranges, the event stream's cursor. */
export const hostileHeaders: fc.Arbitrary<Record<string, string>> = fc
  .subarray(Object.keys(HEADER_VALUES), { maxLength: 3 })
  .chain((names) =>
    fc.record(
      Object.fromEntries(names.map((name) => [name, fc.constantFrom(...(HEADER_VALUES[name] ?? ['']))])),
    ),
  );

/** The one error shape of the API, exactly, with a code as the `*.errors.ts` files write them. */
export const ERROR_CODE = /^[a-z_]+\.[a-z_]+$/;

/**
 * Asserts `status` < 500 and, for an error, that `text` is exactly the error shape (a HEAD answer
 * has no body to check).
 */
export function expectSafeAnswer(
  where: string,
  answer: { status: number; contentType: string | undefined; text: string },
): void {
  expect(answer.status, `${where} → ${answer.status} ${answer.text.slice(0, 300)}`).toBeLessThan(500);
  if (answer.status < 400 || where.startsWith('HEAD ')) return;
  expect(answer.contentType, `${where}: error content type`).toMatch(/^application\/json/);
  const parsed = JSON.parse(answer.text) as { error?: Record<string, unknown> };
  expect(Object.keys(parsed), `${where}: ${answer.text}`).toEqual(['error']);
  expect(Object.keys(parsed.error ?? {}).sort(), `${where}: ${answer.text}`).toEqual(['code', 'message']);
  expect(parsed.error?.code, where).toMatch(ERROR_CODE);
  expect(typeof parsed.error?.message, where).toBe('string');
}

/** A wire path: the template with `{id}` replaced by `segment`, plus `?query` when there is one. */
export const wirePath = (template: string, segment: string, query: string) =>
  template.replaceAll('{id}', segment) + (query ? `?${query}` : '');
