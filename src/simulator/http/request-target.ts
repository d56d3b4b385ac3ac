// Splits a request target (`/1.0/hosting/web/x/database?type=mysql`) into what the simulator routes on.

export type Area = 'api' | 'schema' | 'admin' | 'validation' | 'oauth2' | 'dumps' | 'other';

export interface RequestTarget {
  area: Area;
  /** For `api` and `schema`: the path after /1.0 (or /v1); otherwise the full path. Percent-decoded. */
  path: string;
  segments: string[];
  query: Record<string, string>;
}

const API_PREFIXES = ['/1.0', '/v1'];

export function parseRequestTarget(target: string): RequestTarget | null {
  const questionMark = target.indexOf('?');
  const rawPath = questionMark === -1 ? target : target.slice(0, questionMark);
  const query: Record<string, string> = {};
  if (questionMark !== -1) for (const [key, value] of new URLSearchParams(target.slice(questionMark + 1))) query[key] = value;

  let segments: string[];
  try {
    segments = rawPath.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return null;
  }
  const prefix = API_PREFIXES.find((candidate) => rawPath === candidate || rawPath.startsWith(`${candidate}/`));
  if (prefix) {
    const apiSegments = segments.slice(1);
    const path = `/${apiSegments.join('/')}`;
    const area: Area = path.endsWith('.json') ? 'schema' : 'api';
    return { area, path, segments: apiSegments, query };
  }
  const path = `/${segments.join('/')}`;
  const first = segments[0];
  const area: Area =
    first === '_sim'
      ? 'admin'
      : path === '/auth/oauth2/token'
        ? 'oauth2'
        : first === 'auth'
          ? 'validation'
          : first === 'dumps'
            ? 'dumps'
            : 'other';
  return { area, path, segments, query };
}
