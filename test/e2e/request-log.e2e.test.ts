import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { requestLineLevel, SLOW_READ_MS } from '../../src/http/request-log.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

interface Line {
  level: number;
  msg: string;
  reqId?: string;
  req?: { method: string; url: string };
  res?: { statusCode: number };
  responseTime?: number;
}

const DEBUG = 20;
const INFO = 30;

describe('request logging (src/http/request-log.ts)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const requestLines = () =>
    t.logs.map((line) => JSON.parse(line) as Line).filter((line) => line.reqId !== undefined);
  const completed = () => requestLines().filter((line) => line.msg === 'request completed');

  it('writes one line per request, with method, URL, status and time; arrival only at debug', async () => {
    t.logs.length = 0;
    await t.app.inject({ method: 'GET', url: '/health' });
    expect(completed()).toEqual([
      expect.objectContaining({
        level: DEBUG,
        req: expect.objectContaining({ method: 'GET', url: '/health' }),
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      }),
    ]);
    expect(
      requestLines()
        .filter((line) => line.msg === 'incoming request')
        .map((line) => line.level),
    ).toEqual([DEBUG]);
  });

  it('logs a successful read at debug, and a failed read and every action at info', async () => {
    t.logs.length = 0;
    const read = await t.app.inject({ method: 'GET', url: '/me/courses' });
    const missing = await t.app.inject({ method: 'GET', url: '/items/424242' });
    const action = await t.app.inject({ method: 'POST', url: '/me/courses/refresh' });
    expect([read.statusCode, missing.statusCode, action.statusCode]).toEqual([200, 404, 200]);
    expect(
      completed().map((line) => [line.req?.method, line.req?.url, line.res?.statusCode, line.level]),
    ).toEqual([
      ['GET', '/me/courses', 200, DEBUG],
      ['GET', '/items/424242', 404, INFO],
      ['POST', '/me/courses/refresh', 200, INFO],
    ]);
  });

  it('at LOG_LEVEL=info writes no line for a successful read, and still one for an action', async () => {
    t.app.log.level = 'info';
    t.logs.length = 0;
    await t.app.inject({ method: 'GET', url: '/me/courses' });
    await t.app.inject({ method: 'POST', url: '/me/courses/refresh' });
    expect(completed().map((line) => [line.req?.method, line.level])).toEqual([['POST', INFO]]);
  });

  it('follows a level lowered at run time, after lines were written at the higher one', async () => {
    t.app.log.level = 'info';
    await t.app.inject({ method: 'POST', url: '/me/courses/refresh' });
    t.app.log.level = 'debug';
    t.logs.length = 0;
    await t.app.inject({ method: 'GET', url: '/me/courses' });
    expect(completed().map((line) => [line.req?.method, line.level])).toEqual([['GET', DEBUG]]);
  });
});

describe('requestLineLevel', () => {
  it('keeps quick successful reads at debug, slow reads, failures and actions at info', () => {
    expect(requestLineLevel('GET', 200, 3)).toBe('debug');
    expect(requestLineLevel('GET', 304, 3)).toBe('debug');
    expect(requestLineLevel('HEAD', 200, 3)).toBe('debug');
    expect(requestLineLevel('OPTIONS', 204, 3)).toBe('debug');
    expect(requestLineLevel('GET', 200, SLOW_READ_MS)).toBe('info');
    expect(requestLineLevel('GET', 400, 3)).toBe('info');
    expect(requestLineLevel('GET', 503, 3)).toBe('info');
    expect(requestLineLevel('POST', 200, 3)).toBe('info');
    expect(requestLineLevel('PUT', 200, 3)).toBe('info');
  });
});
