import { createServer, request } from 'node:http';
import { type Listening, listenOnLoopback } from './listen.ts';

/**
 * A TLS-terminating reverse proxy as Caddy behaves by default: it passes the client's Host on,
 * appends the client's address to `X-Forwarded-For` and says `X-Forwarded-Proto: https` and
 * `X-Forwarded-Host`. It reaches the upstream from `localAddress` (another loopback address),
 * so a test can trust the proxy's address without trusting its own direct requests.
 * `upstreamHost` sends the upstream's own address as Host instead, as nginx does unless told
 * `proxy_set_header Host $host`; the name asked for is then only in X-Forwarded-Host.
 */
export async function startReverseProxy(
  upstream: string,
  localAddress: string,
  options: { upstreamHost?: boolean } = {},
): Promise<Listening> {
  const target = new URL(upstream);
  const server = createServer((incoming, outgoing) => {
    const forwardedFor = [incoming.headers['x-forwarded-for'], incoming.socket.remoteAddress]
      .filter(Boolean)
      .join(', ');
    const relay = request(
      {
        host: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        localAddress,
        headers: {
          ...incoming.headers,
          'x-forwarded-for': forwardedFor,
          'x-forwarded-proto': 'https',
          'x-forwarded-host': incoming.headers.host ?? '',
          ...(options.upstreamHost ? { host: target.host } : {}),
        },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    relay.on('error', () => outgoing.writeHead(502).end());
    incoming.pipe(relay);
  });
  return listenOnLoopback(server);
}
