// Masking secrets in what is printed or shown (a run's result with its generated passwords), unless asked.
const SECRET_KEYS = new Set(['password', 'adminPassword', 'key', 'privateKey', 'secret', 'consumerKey', 'applicationSecret', 'token']);

/** A copy of `value` with every secret field replaced, unless the user asked to see them (`--show-secrets`). */
export function maskSecrets<T>(value: T, show: boolean): T {
  if (show) return value;
  return JSON.parse(JSON.stringify(value), (key, v: unknown) => (SECRET_KEYS.has(key) && typeof v === 'string' ? '********' : v)) as T;
}
