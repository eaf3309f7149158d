import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createCanvasClient } from '../../src/canvas/canvas.client.ts';
import { listenOnLoopback } from '../fakes/listen.ts';
import {
  type CanvasTestContext,
  captureLogs,
  expectNoSecret,
  gapsBetween,
  rejectionOf,
  SECRET_TOKEN,
  startCanvasTest,
} from '../helpers/canvas-client.ts';

let ctx: CanvasTestContext | undefined;
let elsewhere: Elsewhere | undefined;
afterEach(async () => {
  await ctx?.canvas.close();
  await elsewhere?.close();
  ctx = undefined;
  elsewhere = undefined;
});

type Elsewhere = { origin: string; requests: string[]; close(): Promise<void> };

/** A server on another origin that records every request it gets, as a redirect target. */
async function startElsewhere(): Promise<Elsewhere> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
  });
  const { origin, close } = await listenOnLoopback(server);
  return { origin, requests, close };
}

const BIO = 48213;
const COURSE_PATH = `/api/v1/courses/${BIO}`;

describe('canvas client: errors that are never retried', () => {
  it('turns a rejected token into canvas.unauthorized after exactly one request', async () => {
    ctx = await startCanvasTest();
    const wrongToken = 'wrong-sekrit-token-4411';
    const client = createCanvasClient({
      baseUrl: ctx.canvas.baseUrl,
      token: wrongToken,
      retryBaseDelayMs: 1,
    });

    const error = await rejectionOf(client.getCourse(BIO));

    expect(error).toMatchObject({ code: 'canvas.unauthorized', statusCode: 502, transient: false });
    expect(error.message).toContain('CANVAS_TOKEN');
    expect(ctx.canvas.requests).toHaveLength(1);
    expectNoSecret(error, wrongToken);
  });

  it('turns a 404 into canvas.not_found without retrying', async () => {
    ctx = await startCanvasTest();
    const error = await rejectionOf(ctx.client.getCourse(999));

    expect(error).toMatchObject({ code: 'canvas.not_found', statusCode: 404, transient: false });
    expect(error.message).toContain('/api/v1/courses/999');
    expect(ctx.canvas.requests).toHaveLength(1);
  });

  it('treats a 403 permission error as canvas.forbidden, not as throttling', async () => {
    ctx = await startCanvasTest();
    ctx.canvas.failAlways(COURSE_PATH, { kind: 'forbidden' });

    const error = await rejectionOf(ctx.client.getCourse(BIO));

    expect(error).toMatchObject({ code: 'canvas.forbidden', statusCode: 502, transient: false });
    expect(ctx.canvas.requests).toHaveLength(1);
  });

  it('treats a 401 permission answer without WWW-Authenticate as canvas.forbidden', async () => {
    ctx = await startCanvasTest();
    ctx.canvas.failAlways(COURSE_PATH, {
      kind: 'respond',
      status: 401,
      body: { status: 'unauthorized', errors: [{ message: 'user not authorized to perform that action' }] },
    });

    const error = await rejectionOf(ctx.client.getCourse(BIO));

    expect(error).toMatchObject({ code: 'canvas.forbidden', statusCode: 502, transient: false });
    expect(error.message).toContain('user not authorized');
    expect(ctx.canvas.requests).toHaveLength(1);
  });

  it('does not follow a redirect to another origin and reports it as canvas.bad_response', async () => {
    ctx = await startCanvasTest();
    elsewhere = await startElsewhere();
    const location = `${elsewhere.origin}/landing?ticket=sekrit-ticket-5521`;
    ctx.canvas.failAlways(COURSE_PATH, {
      kind: 'respond',
      status: 302,
      body: `Found. Redirecting to ${location}`,
      headers: { Location: location },
    });

    const error = await rejectionOf(ctx.client.getCourse(BIO));

    expect(error).toMatchObject({ code: 'canvas.bad_response', transient: false });
    expect(error.message).toContain('302');
    expectNoSecret(error, 'sekrit-ticket-5521');
    expect(elsewhere.requests).toEqual([]);
    expect(ctx.canvas.requests).toHaveLength(1);
  });

  it('rejects a 200 that is not JSON as canvas.bad_response', async () => {
    ctx = await startCanvasTest();
    ctx.canvas.failAlways(COURSE_PATH, { kind: 'respond', status: 200, body: '<html>Log in</html>' });

    const error = await rejectionOf(ctx.client.getCourse(BIO));

    expect(error).toMatchObject({ code: 'canvas.bad_response', transient: false });
    expect(ctx.canvas.requests).toHaveLength(1);
  });

  it('rejects a payload of the wrong shape as canvas.bad_response naming the endpoint', async () => {
    ctx = await startCanvasTest();
    ctx.canvas.failAlways('/api/v1/courses', { kind: 'respond', status: 200, body: [{ id: 1, name: 42 }] });

    const error = await rejectionOf(ctx.client.listCourses());

    expect(error).toMatchObject({ code: 'canvas.bad_response' });
    expect(error.message).toContain('/api/v1/courses');
    expect(error.message).toContain('name');
  });
});

describe('canvas client: retries', () => {
  it('retries a throttled 403 and succeeds', async () => {
    ctx = await startCanvasTest();
    ctx.canvas.failNext(COURSE_PATH, { kind: 'throttle' }, 2);

    await expect(ctx.client.getCourse(BIO)).resolves.toMatchObject({ id: BIO });
    expect(ctx.canvas.requests).toHaveLength(3);
    expect(ctx.client.stats().requests).toBe(3);
    expect(ctx.logs.filter((line) => line.includes('Retrying Canvas request'))).toHaveLength(2);
  });

  it('waits the Retry-After of a 429 before retrying', async () => {
    ctx = await startCanvasTest();
    ctx.canvas.failNext(COURSE_PATH, { kind: 'too-many-requests', retryAfterSeconds: 1 });

    await expect(ctx.client.getCourse(BIO)).resolves.toMatchObject({ id: BIO });
    expect(gapsBetween(ctx.canvas.requests.map((r) => r.at))).toEqual([expect.any(Number)]);
    expect(gapsBetween(ctx.canvas.requests.map((r) => r.at))[0]).toBeGreaterThanOrEqual(950);
  });

  it('gives up at once with retryAfterSeconds when Canvas asks for a longer wait than allowed', async () => {
    ctx = await startCanvasTest({}, { maxRetryDelayMs: 500 });
    ctx.canvas.failNext(COURSE_PATH, { kind: 'too-many-requests', retryAfterSeconds: 30 });

    const error = await rejectionOf(ctx.client.getCourse(BIO));

    expect(error).toMatchObject({ code: 'canvas.rate_limited', transient: true, retryAfterSeconds: 30 });
    expect(ctx.canvas.requests).toHaveLength(1);
  });

  it('reports canvas.rate_limited when throttling outlasts the retries', async () => {
    ctx = await startCanvasTest({}, { maxRetries: 2 });
    ctx.canvas.failAlways(COURSE_PATH, { kind: 'throttle' });

    const error = await rejectionOf(ctx.client.getCourse(BIO));

    expect(error).toMatchObject({ code: 'canvas.rate_limited', transient: true });
    expect(ctx.canvas.requests).toHaveLength(3);
  });

  it('retries 5xx answers with backoff and succeeds', async () => {
    ctx = await startCanvasTest();
    ctx.canvas.failNext(COURSE_PATH, { kind: 'server-error', status: 503 }, 2);

    await expect(ctx.client.getCourse(BIO)).resolves.toMatchObject({ id: BIO });
    expect(ctx.canvas.requests).toHaveLength(3);
    const delays = ctx.logs
      .filter((line) => line.includes('Retrying Canvas request'))
      .map((line) => JSON.parse(line) as { delayMs: number; reason: string; status: number });
    expect(delays.map((d) => [d.reason, d.status])).toEqual([
      ['server', 503],
      ['server', 503],
    ]);
  });

  it('reports canvas.unavailable after maxRetries + 1 requests when 5xx persists', async () => {
    ctx = await startCanvasTest({}, { maxRetries: 3 });
    ctx.canvas.failAlways(COURSE_PATH, { kind: 'server-error' });

    const error = await rejectionOf(ctx.client.getCourse(BIO));

    expect(error).toMatchObject({ code: 'canvas.unavailable', statusCode: 502, transient: true });
    expect(ctx.canvas.requests).toHaveLength(4);
    expect(ctx.client.stats().requests).toBe(4);
  });

  it('retries when the connection is dropped', async () => {
    ctx = await startCanvasTest();
    ctx.canvas.failNext(COURSE_PATH, { kind: 'destroy-socket' });

    await expect(ctx.client.getCourse(BIO)).resolves.toMatchObject({ id: BIO });
    expect(ctx.canvas.requests).toHaveLength(2);
  });

  it('reports canvas.timeout when every attempt is too slow', async () => {
    ctx = await startCanvasTest({}, { timeoutMs: 100, maxRetries: 1 });
    ctx.canvas.failAlways(COURSE_PATH, { kind: 'delay', ms: 10_000 });

    const started = performance.now();
    const error = await rejectionOf(ctx.client.getCourse(BIO));

    expect(error).toMatchObject({ code: 'canvas.timeout', statusCode: 504, transient: true });
    expect(ctx.canvas.requests).toHaveLength(2);
    // Two 100 ms attempts, far below one 10 s answer: the timeout ended them, not Canvas.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('fails the whole module sync when one module’s items keep failing', async () => {
    ctx = await startCanvasTest({ inlineItemsThreshold: 3 }, { maxRetries: 1 });
    ctx.canvas.failAlways(`${COURSE_PATH}/modules/902114/items`, { kind: 'server-error' });

    const error = await rejectionOf(ctx.client.listModulesWithItems(BIO));

    expect(error).toMatchObject({ code: 'canvas.unavailable' });
    expect(error.message).toContain('/modules/902114/items');
  });
});

describe('canvas client: pacing and cancellation', () => {
  it('spaces requests out while X-Rate-Limit-Remaining is low', async () => {
    // Measured where the client sends, not where the fake receives: on a loaded machine the
    // trip to the server adds jitter that can bring two arrivals closer than the pause.
    const sentAt: number[] = [];
    const fetch: typeof globalThis.fetch = (input, init) => {
      sentAt.push(performance.now());
      return globalThis.fetch(input, init);
    };
    ctx = await startCanvasTest(
      { inlineItemsThreshold: 1 },
      { lowRemainingThreshold: 50, maxThrottlePauseMs: 60, concurrency: 4, fetch },
    );
    const { canvas, client } = ctx;
    await client.getCourse(BIO);
    canvas.settings.rateLimitRemaining = 5;
    await client.getCourse(BIO);
    const firstPaced = sentAt.length;

    await client.listModulesWithItems(BIO);

    const paced = sentAt.slice(firstPaced);
    expect(paced).toHaveLength(4);
    for (const gap of gapsBetween(paced)) expect(gap).toBeGreaterThanOrEqual(50);
    expect(ctx.logs.filter((line) => line.includes('Canvas quota low; pausing'))).toHaveLength(4);
  });

  it('does not pause while the quota is healthy', async () => {
    ctx = await startCanvasTest(
      { inlineItemsThreshold: 1 },
      { lowRemainingThreshold: 50, maxThrottlePauseMs: 500 },
    );
    await ctx.client.listModulesWithItems(BIO);
    // The gate logs every pause it takes (the test above relies on that), so no log, no pause.
    expect(ctx.canvas.requests.length).toBeGreaterThan(1);
    expect(ctx.logs.filter((line) => line.includes('Canvas quota low; pausing'))).toEqual([]);
  });

  it('aborts promptly when the caller’s signal aborts, without retrying', async () => {
    ctx = await startCanvasTest({}, { timeoutMs: 30_000 });
    ctx.canvas.failAlways(COURSE_PATH, { kind: 'delay', ms: 10_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);

    const started = performance.now();
    const error = await rejectionOf(ctx.client.getCourse(BIO, { signal: controller.signal }));

    expect(error.name).toBe('AbortError');
    // Far below the 10 s answer (the client's timeout is longer still): the abort ended it.
    expect(performance.now() - started).toBeLessThan(5000);
    expect(ctx.canvas.requests).toHaveLength(1);
    expect(ctx.logs.some((line) => line.includes('Retrying Canvas request'))).toBe(false);
  });

  it('aborts during a retry backoff', async () => {
    ctx = await startCanvasTest({}, { retryBaseDelayMs: 5000, maxRetryDelayMs: 5000 });
    ctx.canvas.failAlways(COURSE_PATH, { kind: 'throttle' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);

    const error = await rejectionOf(ctx.client.getCourse(BIO, { signal: controller.signal }));

    expect(error.name).toBe('AbortError');
    expect(ctx.canvas.requests).toHaveLength(1);
  });
});

describe('canvas client: token hygiene', () => {
  it('never puts the token in errors, their causes or the logs', async () => {
    ctx = await startCanvasTest({}, { maxRetries: 1, timeoutMs: 100 });
    const { canvas, client } = ctx;
    const scenarios = [
      () => canvas.failNext(COURSE_PATH, { kind: 'server-error' }, 2),
      () => canvas.failNext(COURSE_PATH, { kind: 'destroy-socket' }, 2),
      () => canvas.failNext(COURSE_PATH, { kind: 'delay', ms: 500 }, 2),
      () => canvas.failNext(COURSE_PATH, { kind: 'forbidden' }),
      () => canvas.failNext(COURSE_PATH, { kind: 'throttle' }, 2),
      () => canvas.failNext(COURSE_PATH, { kind: 'respond', status: 200, body: `token=${SECRET_TOKEN}` }),
      () =>
        canvas.failNext(COURSE_PATH, { kind: 'respond', status: 400, body: `echo Bearer ${SECRET_TOKEN}` }),
    ];
    const codes: string[] = [];
    for (const arrange of scenarios) {
      arrange();
      const error = await rejectionOf(client.getCourse(BIO));
      codes.push((error as { code?: string }).code ?? 'none');
      expectNoSecret(error, SECRET_TOKEN);
    }

    expect(codes).toEqual([
      'canvas.unavailable',
      'canvas.unavailable',
      'canvas.timeout',
      'canvas.forbidden',
      'canvas.rate_limited',
      'canvas.bad_response',
      'canvas.bad_response',
    ]);
    expect(ctx.logs.length).toBeGreaterThan(0);
    expect(ctx.logs.join('\n')).not.toContain(SECRET_TOKEN);
  });

  it('sends no Authorization header other than its own bearer token', async () => {
    const { logger } = captureLogs();
    ctx = await startCanvasTest({}, { logger });
    await ctx.client.listModulesWithItems(BIO);
    expect(ctx.canvas.requests.map((r) => r.authorization)).toEqual([`Bearer ${SECRET_TOKEN}`]);
  });
});
