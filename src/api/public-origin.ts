// Where people reach the API and its console. Behind a TLS-terminating reverse proxy the API itself only sees plain
// HTTP from the proxy, so what the request says (`request.protocol`, the Host header) is not what the browser used:
// the console's Origin check would refuse every form (Origin https://…, computed http://…) and its cookies would go
// without `Secure`. With OVHFLOW_PUBLIC_URL set, that address is the truth: forms must come from its origin, cookies
// are `Secure` when it is https, and answers carry HSTS then. Unset, the request is believed (direct access, dev).
import type { FastifyRequest } from 'fastify';

export const HSTS = 'max-age=31536000';

export interface PublicOrigin {
  /** The origin a browser's same-site request shows, e.g. https://ovhflow.example.com. */
  of(request: FastifyRequest): string;
  /** Whether the session cookies get `Secure`. */
  secure(request: FastifyRequest): boolean;
  /** Whether answers carry Strict-Transport-Security (the public URL is https). */
  hsts: boolean;
}

export function publicOrigin(publicUrl: string | undefined): PublicOrigin {
  if (publicUrl === undefined) {
    return {
      of: (request) => `${request.protocol}://${request.headers.host ?? ''}`,
      secure: (request) => request.protocol === 'https',
      hsts: false,
    };
  }
  const url = new URL(publicUrl);
  const https = url.protocol === 'https:';
  return { of: () => url.origin, secure: () => https, hsts: https };
}
