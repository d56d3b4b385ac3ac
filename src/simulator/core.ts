// Everything one running simulator holds, in one place: the hosting state, tasks, credentials, faults, rate limits,
// the request log and the settings. The HTTP layer and the handlers reach it through this object only.
import { AccountBook } from './auth/accounts.js';
import { CredentialStore } from './auth/credential-store.js';
import { ServiceAccountStore } from './auth/service-accounts.js';
import { DEFAULT_CONFIG, type SimulatorConfig } from './config.js';
import { FaultBook } from './faults/fault-book.js';
import { seededRandom } from './faults/prng.js';
import { RateLimiter } from './http/rate-limiter.js';
import { RequestLog } from './http/request-log.js';
import { loadApiSchema, type ApiSchema } from './schema/api-schema.js';
import { createDemoState } from './state/fixtures.js';
import type { SimulatorState } from './state/records.js';
import { applyTaskEffect } from './tasks/task-effects.js';
import { TaskBook } from './tasks/task-book.js';

export interface CoreOptions {
  seed: number;
  config: SimulatorConfig;
  maxRecordedRequests: number;
  adminToken: string | null;
  now?: () => number;
}

export class SimulatorCore {
  readonly schema: ApiSchema = loadApiSchema();
  readonly now: () => number;
  state: SimulatorState;
  config: SimulatorConfig;
  seed: number;
  readonly faults: FaultBook;
  readonly tasks: TaskBook;
  readonly credentials: CredentialStore;
  readonly accounts: AccountBook;
  readonly serviceAccounts: ServiceAccountStore;
  readonly rateLimiter: RateLimiter;
  readonly requests: RequestLog;
  readonly adminToken: string | null;
  /** `https://host:port` once the server listens; used in URLs the simulator hands out (dumps, validation). */
  baseUrl = '';

  constructor(options: CoreOptions) {
    this.now = options.now ?? Date.now;
    this.seed = options.seed;
    this.config = structuredClone(options.config);
    this.adminToken = options.adminToken;
    this.state = createDemoState(this.now());
    this.faults = new FaultBook(seededRandom(options.seed));
    this.tasks = new TaskBook(() => this.state, () => this.config, this.faults);
    this.credentials = new CredentialStore(this.now());
    this.accounts = new AccountBook(this.now());
    this.serviceAccounts = new ServiceAccountStore();
    this.rateLimiter = new RateLimiter(() => this.config.rateLimit);
    this.requests = new RequestLog(options.maxRecordedRequests);
  }

  /** Applies the effects of every task that has ended by now. Called before anything reads the state. */
  settle(now = this.now()): void {
    this.tasks.settle(now, (task) => applyTaskEffect(this, task));
  }

  /** Back to the demo fixtures: clears the request log, faults and rate-limit buckets. Accounts, applications, the
   * consumer keys they obtained, service accounts and IAM policies are kept (a running worker keeps working); the
   * demo key gets full access again. Services and zones of other accounts go, like everything else in the world. */
  reset(seed = this.seed): void {
    const now = this.now();
    this.seed = seed;
    this.state = createDemoState(now);
    this.tasks.reindex();
    this.faults.clear();
    this.faults.reseed(seededRandom(seed));
    this.rateLimiter.clear();
    this.requests.clear();
    this.credentials.restoreDemo(now);
  }

  replaceState(state: SimulatorState): void {
    this.state = state;
    this.tasks.reindex();
  }
}

export function defaultConfig(): SimulatorConfig {
  return structuredClone(DEFAULT_CONFIG);
}
