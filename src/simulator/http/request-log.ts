// Every API call the simulator answered, oldest first, for tests and scripts to prove what a run did (and did not)
// do. Secrets in bodies are replaced by "***"; keys and signatures are never recorded.

export interface RecordedRequest {
  method: string;
  /** Relative to /1.0, without the query string, as access rules and fault rules see it. */
  path: string;
  /** The schema operation it matched, e.g. `POST /hosting/web/{serviceName}/database`; null when none did. */
  operation: string | null;
  query: Record<string, string>;
  body: unknown;
  status: number;
  queryId: string;
  at: string;
  /** Set when an injected fault decided the answer: `status`, `reset-before`, `reset-after`. */
  fault?: string;
}

const SECRET_KEYS = new Set([
  'password',
  'adminpassword',
  'key',
  'privatekey',
  'secret',
  'applicationsecret',
  'consumerkey',
  'token',
  'client_secret',
  'clientsecret',
  'access_token',
]);

export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (typeof value === 'object' && value !== null) {
    // An environment variable's value is a secret unless the body says it is a string or an integer (a PUT says no type).
    const shownValue = 'type' in value && (value.type === 'string' || value.type === 'integer');
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, (SECRET_KEYS.has(key.toLowerCase()) || (key === 'value' && !shownValue)) && item !== null ? '***' : maskSecrets(item)]),
    );
  }
  return value;
}

export class RequestLog {
  private entries: RecordedRequest[] = [];

  constructor(private readonly limit: number) {}

  add(entry: RecordedRequest): void {
    this.entries.push(entry);
    // Drop the oldest in chunks, so a long benchmark neither grows memory without bound nor copies on every call.
    if (this.entries.length > this.limit * 1.1) this.entries = this.entries.slice(-this.limit);
  }

  all(): RecordedRequest[] {
    return this.entries.length > this.limit ? this.entries.slice(-this.limit) : [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}
