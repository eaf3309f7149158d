/**
 * Every fake server listens the same way: on 127.0.0.1, port 0, and closes without waiting for
 * keep-alive sockets or for answers it is still holding back (`timers`).
 */

import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Listening {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  close(): Promise<void>;
}

export async function listenOnLoopback(server: Server, timers?: Set<NodeJS.Timeout>): Promise<Listening> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      for (const timer of timers ?? []) clearTimeout(timer);
      timers?.clear();
      server.closeAllConnections();
      if (!server.listening) return;
      await new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
    },
  };
}
