import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * The lowest port the OS hands out for outgoing connections (Linux: 32768 by default). A port found free by
 * `listen(0)` comes from that same range, so between choosing it and the server binding it, any outgoing connection
 * — the other dev server's own gRPC clients, a test's HTTP calls — may take it (the Temporal dev server then fails
 * to bind its frontend). Ports are chosen below that range instead, where only listeners go.
 */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 2048 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

const LOWEST = 10_000;

function tryListen(port: number, host: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen(port, host, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
    });
  });
}

/** A TCP port that was free a moment ago on `host`, outside the range outgoing connections use when possible. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const high = ephemeralLow() - 1;
  for (let attempt = 0; high > LOWEST && attempt < 50; attempt++) {
    const port = await tryListen(LOWEST + Math.floor(Math.random() * (high - LOWEST)), host);
    if (port !== undefined) return port;
  }
  const any = await tryListen(0, host);
  if (any === undefined) throw new Error(`no free TCP port on ${host}`);
  return any;
}
