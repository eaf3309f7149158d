import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startReverseProxy } from '../fakes/reverse-proxy.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const KEY = 'a-test-key-of-forty-characters-0123456789'.slice(0, 40);
/** The proxy reaches the app from here; the tests' own direct requests come from 127.0.0.1. */
const PROXY_ADDRESS = '127.0.0.2';
const PUBLIC_HOST = 'notes.example';
/** An action that changes nothing: a 404, counted by the limit all the same. */
const ACTION = '/jobs/999999/cancel';

interface Answer {
  status: number;
  code: string | undefined;
}

/** One request over real HTTP from `from`, a loopback address of the client's choosing. */
function send(origin: string, path: string, from: string, headers: Record<string, string> = {}) {
  const url = new URL(path, origin);
  return new Promise<Answer>((resolve, reject) => {
    const outgoing = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress: from,
        headers: { authorization: `Bearer ${KEY}`, ...headers },
      },
      (answer) => {
        let body = '';
        answer.on('data', (chunk) => {
          body += String(chunk);
        });
        answer.on('end', () => {
          const parsed = body ? (JSON.parse(body) as { error?: { code?: string } }) : {};
          resolve({ status: answer.statusCode ?? 0, code: parsed.error?.code });
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('behind a trusted reverse proxy (TRUST_PROXY)', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function start(trustProxy: string[], actionsPerMinute = 100_000, upstreamHost = false) {
    const t: TestApp = await createTestApp({
      config: { auth: { apiKey: KEY }, http: { trustProxy }, rateLimit: { actionsPerMinute } },
    });
    closers.push(() => t.close());
    const direct = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const proxy = await startReverseProxy(direct, PROXY_ADDRESS, { upstreamHost });
    closers.push(() => proxy.close());
    return { direct, proxied: proxy.origin };
  }

  it('gives each client behind the proxy its own action budget', async () => {
    const { proxied } = await start([PROXY_ADDRESS], 2);
    const student = (from: string) => send(proxied, ACTION, from);
    expect((await student('127.0.0.3')).status).toBe(404);
    expect((await student('127.0.0.3')).status).toBe(404);
    expect(await student('127.0.0.3')).toEqual({ status: 429, code: 'rate_limit.exceeded' });
    // Another student, through the same proxy: a budget of their own.
    expect((await student('127.0.0.4')).status).toBe(404);
  });

  it('believes X-Forwarded-For only from the proxy: a direct client cannot pick its address', async () => {
    const { direct } = await start([PROXY_ADDRESS], 2);
    const spoofed = (n: number) => send(direct, ACTION, '127.0.0.1', { 'x-forwarded-for': `203.0.113.${n}` });
    expect((await spoofed(1)).status).toBe(404);
    expect((await spoofed(2)).status).toBe(404);
    expect(await spoofed(3)).toEqual({ status: 429, code: 'rate_limit.exceeded' });
  });

  it("accepts the page's actions under the proxy's name and scheme, and only from the proxy", async () => {
    const { direct, proxied } = await start([PROXY_ADDRESS]);
    const page = { host: PUBLIC_HOST, origin: `https://${PUBLIC_HOST}`, 'sec-fetch-site': 'same-origin' };
    // Through the proxy: addressed to its public name, from its https origin.
    expect((await send(proxied, ACTION, '127.0.0.3', page)).status).toBe(404);
    // The same Host sent straight to the loopback port is what DNS rebinding looks like.
    expect(await send(direct, ACTION, '127.0.0.1', page)).toEqual({
      status: 403,
      code: 'request.host_not_allowed',
    });
    // Nor can a direct client claim the proxy's scheme and name for itself.
    const claimed = {
      origin: `https://${PUBLIC_HOST}`,
      'x-forwarded-proto': 'https',
      'x-forwarded-host': PUBLIC_HOST,
    };
    expect(await send(direct, ACTION, '127.0.0.1', claimed)).toEqual({
      status: 403,
      code: 'request.cross_origin',
    });
    // A page on another site stays refused through the proxy too.
    const elsewhere = { ...page, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' };
    expect(await send(proxied, ACTION, '127.0.0.3', elsewhere)).toEqual({
      status: 403,
      code: 'request.cross_origin',
    });
  });

  it('takes the name the proxy was asked for from X-Forwarded-Host when it sends its own Host', async () => {
    const { proxied } = await start([PROXY_ADDRESS], 100_000, true);
    const page = { host: PUBLIC_HOST, origin: `https://${PUBLIC_HOST}`, 'sec-fetch-site': 'same-origin' };
    expect((await send(proxied, ACTION, '127.0.0.3', page)).status).toBe(404);
    const elsewhere = { ...page, origin: 'https://evil.example' };
    expect((await send(proxied, ACTION, '127.0.0.3', elsewhere)).code).toBe('request.cross_origin');
  });

  it('without TRUST_PROXY, the same proxied requests are refused and share one budget', async () => {
    const { proxied } = await start([], 1);
    const page = { host: PUBLIC_HOST, origin: `https://${PUBLIC_HOST}`, 'sec-fetch-site': 'same-origin' };
    expect(await send(proxied, ACTION, '127.0.0.3', page)).toEqual({
      status: 403,
      code: 'request.host_not_allowed',
    });
    expect((await send(proxied, ACTION, '127.0.0.3', { host: '127.0.0.1' })).status).toBe(404);
    expect((await send(proxied, ACTION, '127.0.0.4', { host: '127.0.0.1' })).status).toBe(429);
  });
});
