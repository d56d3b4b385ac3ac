// Listening with a clear error: the worker's health port and the metrics port both start a small HTTP server on a
// configured port, and a port in use must say which setting to change, not crash with EADDRINUSE.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on `host:port` and answers the port it got; refuses with `setting` named when it cannot. */
export async function listenOrExplain(server: Server, host: string, port: number, setting: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`${setting}: cannot listen on ${host}:${port} (${error.code ?? error.message})`);
  });
  return (server.address() as AddressInfo).port;
}
