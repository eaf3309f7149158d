import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/** Opens a socket, writes `bytes` and never finishes; resolves with what the server answered once it closes. */
async function stall(port: number, bytes: string): Promise<{ answer: string; closedAfterMs: number }> {
  const started = Date.now();
  const socket: Socket = connect(port, '127.0.0.1');
  let answer = '';
  socket.on('data', (chunk) => {
    answer += String(chunk);
  });
  socket.write(bytes);
  await new Promise<void>((resolve, reject) => {
    socket.on('error', reject);
    socket.on('close', () => resolve());
  });
  return { answer, closedAfterMs: Date.now() - started };
}

describe('clients that never finish their request', () => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  const listen = async () => {
    t = await createTestApp({ config: { http: { requestTimeoutMs: 400 } } });
    const { port } = new URL(await t.app.listen({ host: '127.0.0.1', port: 0 }));
    return Number(port);
  };

  it('answers a body that stops short of its Content-Length 408 and closes the socket', async () => {
    const port = await listen();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        stall(
          port,
          'POST /me/courses/refresh HTTP/1.1\r\nHost: 127.0.0.1\r\n' +
            'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":',
        ),
      ),
    );
    for (const { answer, closedAfterMs } of results) {
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      expect(answer).toContain('{"error":{"code":"request.timeout"');
      expect(closedAfterMs).toBeLessThan(5_000);
    }
  });

  it('answers headers that never end 408 and closes the socket', async () => {
    const port = await listen();
    const { answer } = await stall(port, 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('still serves a request that arrives in time', async () => {
    const port = await listen();
    const response = await fetch(`http://127.0.0.1:${port}/health`);
    expect(response.status).toBe(200);
  });

  it('closes idle keep-alive sockets after 5 s and silent ones after 10 minutes, as the README says', async () => {
    await listen();
    const server = t.app.server;
    expect({
      requestTimeout: server.requestTimeout,
      headersTimeout: server.headersTimeout,
      keepAliveTimeout: server.keepAliveTimeout,
      timeout: server.timeout,
    }).toEqual({ requestTimeout: 400, headersTimeout: 400, keepAliveTimeout: 5_000, timeout: 600_000 });
  });
});
