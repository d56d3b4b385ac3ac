// Consumer-key access rules as OVH applies them: a rule is a method and a path where `*` stands for any run of
// characters, slashes included. So `/hosting/web/*` grants `/hosting/web/x/database` but not `/hosting/web` itself
// (which is why the official clients add both `path` and `path/*` for a "recursive" rule).

export interface AccessRule {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
}

const compiled = new Map<string, RegExp>();

function rulePattern(path: string): RegExp {
  let pattern = compiled.get(path);
  if (!pattern) {
    const source = path
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    pattern = new RegExp(`^${source}$`);
    compiled.set(path, pattern);
  }
  return pattern;
}

/** Whether `rules` grant calling `method` on `path` (relative to /1.0, without its query string). */
export function isGranted(rules: AccessRule[], method: string, path: string): boolean {
  return rules.some((rule) => rule.method === method && rulePattern(rule.path).test(path));
}

export const FULL_ACCESS: AccessRule[] = [
  { method: 'GET', path: '/*' },
  { method: 'POST', path: '/*' },
  { method: 'PUT', path: '/*' },
  { method: 'DELETE', path: '/*' },
];
