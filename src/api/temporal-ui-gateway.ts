// The Temporal UI and ovhflow's codec endpoint at one origin. The UI calls its codec server with `fetch`, and a browser
// sends cookies on a cross-origin fetch only when the UI asks for credentials ("Include cross-origin credentials", a
// setting the dev server's UI cannot be given: `temporal server start-dev` has no flag for it). At the same origin the
// browser sends them by default. So `ovhflow dev` serves the UI's public port through this gateway: `/codec/*` goes to
// the HTTP API, everything else to the dev server's UI on a loopback port, and the UI's codec endpoint is this origin.
// The codec session cookie (set at login on the API, `Path=/codec`) reaches it because cookies ignore ports.
// The UI behind it has no login and can send `abort`/`confirm`, so the gateway answers only requests addressed to it by
// a loopback name and its own port (it listens on a loopback address only): a web page whose DNS name is rebound to 127.0.0.1 sends its own name
// as Host, and is refused (DNS rebinding).
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TemporalUiGatewayOptions {
  host: string;
  /** The public port (0: any free one). */
  port: number;
  /** Where the dev server's UI listens, e.g. http://127.0.0.1:40123. */
  ui: string;
  /** Where the HTTP API listens, e.g. http://127.0.0.1:8080. */
  api: string;
  codecPrefix?: string;
}

export interface TemporalUiGateway {
  /** The UI's public address (`http://localhost:<port>` on a loopback host). */
  url: string;
  close(): Promise<void>;
}

export async function startTemporalUiGateway(options: TemporalUiGatewayOptions): Promise<TemporalUiGateway> {
  const ui = new URL(options.ui);
  const api = new URL(options.api);
  const codecPrefix = `${options.codecPrefix ?? '/codec'}/`;

  let port = 0;
  const trustedHosts = ['localhost', '127.0.0.1', '[::1]'];
  const addressedToUs = (host: string | undefined) => host !== undefined && trustedHosts.some((name) => host.toLowerCase() === `${name}:${port}`);

  const forward = (incoming: IncomingMessage, outgoing: ServerResponse) => {
    if (!addressedToUs(incoming.headers.host)) {
      outgoing.writeHead(421, { 'Content-Type': 'text/plain; charset=utf-8' });
      outgoing.end(`this gateway answers only at ${trustedHosts.map((name) => `${name}:${port}`).join(', ')}\n`);
      return;
    }
    const target = (incoming.url ?? '/').startsWith(codecPrefix) ? api : ui;
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => {
      if (!outgoing.headersSent) outgoing.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' });
      outgoing.end(`${target === api ? 'the ovhflow API' : 'the Temporal UI'} is not answering\n`);
    });
    incoming.pipe(upstream);
  };

  const server = createServer(forward);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shownHost = ['127.0.0.1', '0.0.0.0', '::1', '::'].includes(options.host) ? 'localhost' : options.host;
  return {
    url: `http://${shownHost}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
