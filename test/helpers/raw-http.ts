import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * Sends `request` byte for byte to the app listening on a loopback port and returns everything
 * it answered, for requests `inject()` cannot express (no Host header, a broken header line, a
 * path with dot segments). Listens on the first call; later calls reuse the port.
 */
export async function rawRequest(app: FastifyInstance, request: string): Promise<string> {
  if (!app.server.listening) await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : Number.NaN;
  return new Promise<string>((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => {
      received += String(chunk);
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
    socket.write(request);
  });
}
