import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

interface Line {
  level: number;
  msg: string;
  reqId?: string;
  req?: { method: string; url: string };
  res?: { statusCode: number };
  responseTime?: number;
}

describe('request logging (src/http/request-log.ts)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('writes one info line per request, with method, URL, status and time; arrival only at debug', async () => {
    t.logs.length = 0;
    await t.app.inject({ method: 'GET', url: '/health' });
    const lines = t.logs.map((line) => JSON.parse(line) as Line).filter((line) => line.reqId !== undefined);
    const info = lines.filter((line) => line.level >= 30);
    expect(info).toEqual([
      expect.objectContaining({
        msg: 'request completed',
        req: expect.objectContaining({ method: 'GET', url: '/health' }),
        res: { statusCode: 200 },
        responseTime: expect.any(Number),
      }),
    ]);
    expect(lines.filter((line) => line.msg === 'incoming request').map((line) => line.level)).toEqual([20]);
  });
});
