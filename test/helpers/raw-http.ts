import { connect } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * Sends `request` byte for byte to the app listening on a loopback port and returns everything
 * it answered, for requests `inject()` cannot express (no Host header, a broken header line).
 */
export async function rawRequest(app: FastifyInstance, request: string): Promise<string> {
  const { port } = new URL(await app.listen({ host: '127.0.0.1', port: 0 }));
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
