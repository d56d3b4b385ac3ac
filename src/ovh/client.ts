// The one OVH client: the official `ovh` package underneath, typed methods for the calls ovhflow makes — each one an
// entry of the operations table (operations.ts), from which the consumer key's access rules are derived — every
// failure classified once (errors.ts), a client-side rate limit per consumer key, and one log line per call with
// method, path, status and duration — never a secret. An OVH service account (OAuth2 client credentials, rights
// from IAM policies) signs its calls with a bearer token instead (oauth2.ts); everything else is the same.
import { createHash } from 'node:crypto';
import https from 'node:https';
import { createRequire } from 'node:module';
import type { AttachedDomainChange } from '../shared/domain-update.js';
import type { AttachedDomainOptions } from '../shared/inputs/attached-domain.js';
import type { Logger } from '../logging/logger.js';
import type { AccessRule } from './access-rules.js';
import { pinSecretValue } from '../logging/secret-values.js';
import { isNamedEndpoint, resolveEndpoint, trustCaFile, type ResolvedEndpoint } from './endpoint.js';
import { classifyOvhRejection, OvhApiError } from './errors.js';
import { operationPath, ovhOperations, OVH_OPERATIONS, type HttpMethod, type OperationName, type OperationPathParams } from './operations.js';
import { ClientCredentialsTokenSource, tokenUrlOf, type AccessTokenSource, type ServiceAccountCredentials } from './oauth2.js';
import { NoRateShareError, TokenBucket } from './rate-limiter.js';
import { withResponseMeta } from './response-meta.js';
import { recordOvhCall, recordOvhWait } from '../metrics/ovh-calls.js';
import type {
  ApiCredential,
  AttachedDomain,
  CredentialRequestAnswer,
  Database,
  DatabaseDump,
  DigStatus,
  DumpDate,
  HostedSsl,
  SslReport,
  HostingService,
  HostingTask,
  HostingUser,
  InstalledModule,
  ModuleCatalogEntry,
  ModuleDependency,
  OfferCapabilities,
  OvhConfig,
  OvhConfigCapabilities,
  OvhConfigChange,
  EnvVar,
  Website,
  WebsiteCreationCapabilities,
  WebsiteDeployment,
  CronJob,
  CronJobBody,
  Runtime,
  ZoneRecord,
} from './types.js';

export { requiredAccessRules, requiredRulesWithOperations, type AccessRule } from './access-rules.js';

const require = createRequire(import.meta.url);
const createOfficialClient = require('ovh') as (params: Record<string, unknown>) => OfficialOvhClient;

interface OfficialOvhClient {
  requestPromised(method: string, path: string, params?: Record<string, unknown>): Promise<unknown>;
  /** Seconds between OVH's clock and ours; the official client fetches it lazily, once per concurrent first call. */
  apiTimeDiff: number | null;
}

export interface OvhClientConfig {
  endpoint: string;
  /** A classic account: the application key and secret (and the consumer key below). */
  applicationKey?: string;
  applicationSecret?: string;
  /** A service account instead: its OAuth2 client credentials. */
  serviceAccount?: ServiceAccountCredentials;
  /** Absent until `ovhflow credentials request` got one: only unauthenticated calls and that request work then. */
  consumerKey?: string;
  /** A CA to trust in addition to the public roots (the simulator's). */
  caFile?: string;
  /** Per-request socket timeout. */
  timeoutMs?: number;
  /** Client-side limit for this consumer key (service account); OVH's own limit is about 20 calls per second per key. */
  rateLimitPerSecond?: number;
  logger: Logger;
}

/** What each operation answers (the schema's response models, as far as ovhflow reads them). */
interface OperationAnswers {
  listServices: string[];
  getService: HostingService;
  getOfferCapabilities: OfferCapabilities;
  listTasks: number[];
  getTask: HostingTask;
  listAttachedDomains: string[];
  getAttachedDomain: AttachedDomain;
  attachDomain: HostingTask;
  detachDomain: HostingTask;
  updateAttachedDomain: null;
  listDatabases: string[];
  getDatabase: Database;
  createDatabase: HostingTask;
  deleteDatabase: HostingTask;
  listDumps: number[];
  getDump: DatabaseDump;
  createDump: HostingTask;
  restoreDump: HostingTask;
  restoreOvhBackup: HostingTask;
  listModuleCatalog: number[];
  getModuleCatalogEntry: ModuleCatalogEntry;
  listModules: number[];
  getModule: InstalledModule;
  installModule: HostingTask;
  deleteModule: HostingTask;
  getSsl: HostedSsl;
  orderSsl: HostedSsl;
  regenerateSsl: HostedSsl;
  listSslDomains: string[];
  deleteSsl: HostedSsl;
  getDomainSsl: HostedSsl;
  orderDomainSsl: HostedSsl;
  regenerateDomainSsl: HostedSsl;
  deleteDomainSsl: HostedSsl;
  getDomainSslReport: SslReport;
  listUsers: string[];
  getUser: HostingUser;
  createUser: HostingTask;
  deleteUser: HostingTask;
  updateUser: null;
  changeUserPassword: HostingTask;
  changeDatabasePassword: HostingTask;
  serverTime: number;
  requestCredential: CredentialRequestAnswer;
  currentCredential: ApiCredential;
  getDigStatus: DigStatus;
  getHostingToken: string;
  listDnsZones: string[];
  listZoneRecords: number[];
  getZoneRecord: ZoneRecord;
  createZoneRecord: ZoneRecord;
  updateZoneRecord: null;
  deleteZoneRecord: null;
  refreshZone: null;
  listOvhConfigs: number[];
  getOvhConfig: OvhConfig;
  changeOvhConfig: HostingTask;
  rollbackOvhConfig: HostingTask;
  refreshOvhConfigs: HostingTask;
  getOvhConfigCapabilities: OvhConfigCapabilities[];
  listEnvVars: string[];
  getEnvVar: EnvVar;
  createEnvVar: HostingTask;
  updateEnvVar: HostingTask;
  deleteEnvVar: HostingTask;
  getWebsiteCreationCapabilities: WebsiteCreationCapabilities;
  listWebsites: number[];
  getWebsite: Website;
  createWebsite: HostingTask;
  updateWebsite: Website;
  deleteWebsite: HostingTask;
  deployWebsite: HostingTask;
  listWebsiteDeployments: number[];
  getWebsiteDeployment: WebsiteDeployment;
  getWebsiteDeploymentLogs: Array<{ date: string; message: string }>;
  getVcsWebhooks: { push?: string };
  listCrons: number[];
  getCron: CronJob;
  createCron: HostingTask;
  updateCron: string | null;
  deleteCron: HostingTask;
  listCronLanguages: string[];
  listRuntimes: number[];
  getRuntime: Runtime;
}

const buckets = new Map<string, TokenBucket>();
export const READ_ATTEMPTS = 4;
const MAX_READ_BACKOFF_MS = 5000;

/** Each operation's path template as a pattern of concrete paths: a call outside the table is a bug. */
const KNOWN_CALLS = ovhOperations().map((operation) => ({
  name: operation.name,
  method: operation.method,
  placeholders: operation.path.split('{').length - 1,
  pattern: new RegExp(`^${operation.path.replace(/[.+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`),
}));

/** The table's operation a concrete call is, if any. */
export function operationOfCall(method: string, path: string): OperationName | undefined {
  const bare = path.split('?')[0] ?? path;
  // A literal segment beats a placeholder: `GET /hosting/web/moduleList` is the catalog, not a service.
  return KNOWN_CALLS.filter((known) => known.method === method && known.pattern.test(bare)).sort((a, b) => a.placeholders - b.placeholders)[0]?.name;
}

/** What the official client rejects with (`{ error, message }`), so errors.ts classifies our own calls alike. */
class OfficialStyleRejection extends Error {
  constructor(
    readonly error: unknown,
    message = '',
  ) {
    super(message);
  }
}

export class OvhClient {
  readonly endpoint: ResolvedEndpoint;
  /** How this client authenticates: what `credentials request|check|policy` can do with it. */
  readonly authKind: 'classic' | 'service-account';
  /** Classic accounts only. */
  private readonly official?: OfficialOvhClient;
  /** Service accounts only. */
  private readonly tokens?: AccessTokenSource;
  private readonly bucket?: TokenBucket;
  /**
   * This client's rate limit, for rate-share-keeper.ts to share out across processes: `id` names the credentials
   * (a hash: never the consumer key itself), `bucket` is where its calls wait.
   */
  readonly rateLimit?: { id: string; perSecond: number; bucket: TokenBucket };
  private readonly logger: Logger;
  private clockSync?: Promise<void>;
  private readonly keys: { applicationKey: string; applicationSecret: string; consumerKey?: string };
  private readonly timeoutMs: number;

  constructor(config: OvhClientConfig) {
    this.endpoint = resolveEndpoint(config.endpoint);
    if (config.caFile) {
      if (isNamedEndpoint(config.endpoint)) throw new Error(`a CA file is only for an https:// endpoint (a simulator, a test proxy), not for OVH's ${config.endpoint}`);
      trustCaFile(config.caFile, this.endpoint);
    }
    this.logger = config.logger.child({ component: 'ovh-client' });
    this.keys = { applicationKey: config.applicationKey ?? '', applicationSecret: config.applicationSecret ?? '', consumerKey: config.consumerKey };
    // Held for the process's life: redacted from every log line, never evicted by the run secrets that come after.
    for (const secret of [config.applicationSecret, config.consumerKey, config.serviceAccount?.clientSecret]) pinSecretValue(secret);
    this.timeoutMs = config.timeoutMs ?? 30_000;
    if (config.serviceAccount) {
      this.authKind = 'service-account';
      this.tokens = new ClientCredentialsTokenSource(
        { ...config.serviceAccount, tokenUrl: config.serviceAccount.tokenUrl ?? tokenUrlOf(config.endpoint, this.endpoint) },
        this.timeoutMs,
      );
    } else {
      if (!config.applicationKey || !config.applicationSecret) throw new Error('an OVH client needs an application key and secret, or a service account');
      this.authKind = 'classic';
      this.official = createOfficialClient({
        appKey: config.applicationKey,
        appSecret: config.applicationSecret,
        consumerKey: config.consumerKey ?? null,
        host: this.endpoint.host,
        port: this.endpoint.port,
        basePath: this.endpoint.basePath,
        // No `timeout` here: the official client's leaks a socket listener per call (see response-meta.ts), which
        // applies the timeout to each request instead.
      });
    }
    if (config.rateLimitPerSecond && config.rateLimitPerSecond > 0) {
      const key = `${this.endpoint.url}|${config.serviceAccount?.clientId ?? config.consumerKey ?? config.applicationKey}`;
      let bucket = buckets.get(key);
      if (!bucket) buckets.set(key, (bucket = new TokenBucket(config.rateLimitPerSecond)));
      this.bucket = bucket;
      this.rateLimit = { id: createHash('sha256').update(key).digest('hex').slice(0, 16), perSecond: config.rateLimitPerSecond, bucket };
    }
  }

  /**
   * One API call. Resolves with OVH's JSON answer; rejects with an {@link OvhApiError}. Only calls of the operations
   * table are made: the consumer key ovhflow asks for grants those and nothing else.
   */
  async call<T>(method: HttpMethod, path: string, params?: Record<string, unknown>): Promise<T> {
    if (!operationOfCall(method, path)) {
      throw new Error(`${method} ${path} is not in the OVH operations table (src/ovh/operations.ts): add it there, so its access rule is requested`);
    }
    if (this.tokens) return this.perform<T>(method, path, () => this.bearerRequest(method, path, params));
    // The official client deletes keys from `params` as it builds the request: give it a copy.
    const official = this.official as OfficialOvhClient;
    return this.perform<T>(method, path, () => official.requestPromised(method, path, params ? { ...params } : undefined));
  }

  /**
   * Reads are retried here, a few times and quickly, on transient failures: an activity that reads ten things must
   * not fail because one read met a reset. Writes are never retried here — the activity's ensure logic decides,
   * since a write whose answer was lost may have been applied.
   */
  private async perform<T>(method: HttpMethod, path: string, send: () => Promise<unknown>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.performOnce<T>(method, path, send);
      } catch (error) {
        if (method !== 'GET' || attempt >= READ_ATTEMPTS || !(error instanceof OvhApiError) || !error.transient) throw error;
        const backoffMs = error.retryAfterSeconds !== undefined ? error.retryAfterSeconds * 1000 : 100 * 3 ** (attempt - 1);
        if (backoffMs > MAX_READ_BACKOFF_MS) throw error; // a long Retry-After is the activity retry policy's job
        await new Promise((resolve) => setTimeout(resolve, backoffMs));
        if (error.retryAfterSeconds !== undefined) recordOvhWait('retry-after', backoffMs / 1000);
      }
    }
  }

  /**
   * The official client asks OVH for its time before its first signed call — once per call that starts before the
   * first answer arrives. Asking once here, shared and rate-limited, keeps a worker's first burst from becoming a
   * burst of /auth/time calls (and 429s).
   */
  private syncClock(): Promise<void> {
    // Bearer calls carry no timestamp: nothing to sync.
    const official = this.official;
    if (!official || official.apiTimeDiff !== null) return Promise.resolve();
    this.clockSync ??= (async () => {
      await this.bucket?.take();
      const started = performance.now();
      const serverTime = Number(await official.requestPromised('GET', '/auth/time'));
      recordOvhCall('serverTime', 200, (performance.now() - started) / 1000);
      official.apiTimeDiff = serverTime - Math.round(Date.now() / 1000);
    })().catch((error: unknown) => {
      this.clockSync = undefined;
      throw classifyOvhRejection(error, { method: 'GET', path: '/auth/time' });
    });
    return this.clockSync;
  }

  private async performOnce<T>(method: HttpMethod, path: string, send: () => Promise<unknown>): Promise<T> {
    await this.syncClock();
    const queued = performance.now();
    try {
      await this.bucket?.take();
    } catch (error) {
      if (!(error instanceof NoRateShareError)) throw error;
      // As if OVH had refused it: transient, retried by the activity's policy once a share can be had again.
      throw new OvhApiError('rateLimited', { method, path }, error.message, undefined, undefined, Math.ceil(error.waitedMs / 1000));
    }
    const started = performance.now();
    recordOvhWait('rate-limit', (started - queued) / 1000);
    const { result, error, meta } = await withResponseMeta(send, { timeoutMs: this.timeoutMs });
    const durationMs = Math.round(performance.now() - started);
    const operation = operationOfCall(method, path) ?? 'unknown';
    if (error === undefined) {
      this.logger.debug({ method, path, status: meta.status ?? 200, durationMs, queryId: meta.queryId }, 'ovh call');
      recordOvhCall(operation, meta.status ?? 200, durationMs / 1000);
      return result as T;
    }
    const failure = classifyOvhRejection(error, { method, path }, meta);
    recordOvhCall(operation, failure.httpStatus ?? failure.kind, durationMs / 1000);
    this.logger.info(
      { method, path, status: failure.httpStatus, kind: failure.kind, durationMs, queryId: failure.queryId, ovhMessage: failure.ovhMessage },
      'ovh call failed',
    );
    throw failure;
  }

  /** One operation of the table (operations.ts): its method, and its path with these values. */
  private operation<N extends OperationName>(name: N, pathParams: OperationPathParams<N>, params?: Record<string, unknown>): Promise<OperationAnswers[N]> {
    return this.call<OperationAnswers[N]>(OVH_OPERATIONS[name].method, operationPath(name, pathParams), params);
  }

  // --- service ---
  getService(serviceName: string) {
    return this.operation('getService', { serviceName });
  }
  listServices() {
    return this.operation('listServices', {});
  }

  /** What an offer allows (no authentication needed). */
  getOfferCapabilities(offer: string) {
    return this.operation('getOfferCapabilities', {}, { offer });
  }

  // --- tasks ---
  getTask(serviceName: string, taskId: number) {
    return this.operation('getTask', { serviceName, id: taskId });
  }
  listTasks(serviceName: string, filter: { function?: string; status?: string } = {}) {
    return this.operation('listTasks', { serviceName }, filter);
  }

  // --- attached domains ---
  listAttachedDomains(serviceName: string, filter: { domain?: string; path?: string } = {}) {
    return this.operation('listAttachedDomains', { serviceName }, filter);
  }
  getAttachedDomain(serviceName: string, domain: string) {
    return this.operation('getAttachedDomain', { serviceName, domain });
  }
  attachDomain(serviceName: string, body: { domain: string; path: string; ssl: boolean } & AttachedDomainOptions) {
    return this.operation('attachDomain', { serviceName }, { ...body });
  }
  /** `PUT`: answers nothing; the change is an `attachedDomain/update` task, the domain's `taskId` while it runs. */
  updateAttachedDomain(serviceName: string, domain: string, body: AttachedDomainChange) {
    return this.operation('updateAttachedDomain', { serviceName, domain }, { ...body });
  }
  // --- `.ovhconfig` per folder ---
  /** The current configurations (or, with `historical`, the old ones), optionally of one folder. */
  listOvhConfigs(serviceName: string, filter: { path?: string; historical?: boolean } = {}) {
    return this.operation('listOvhConfigs', { serviceName }, filter);
  }
  getOvhConfig(serviceName: string, id: number) {
    return this.operation('getOvhConfig', { serviceName, id });
  }
  /** Answers an `ovhConfig/update` task; the configuration names it in `taskId` while it runs. */
  changeOvhConfig(serviceName: string, id: number, body: OvhConfigChange) {
    return this.operation('changeOvhConfig', { serviceName, id }, { ...body });
  }
  /** Back to an old (`historical`) configuration of the same folder: an `ovhConfig/rollback` task. */
  rollbackOvhConfig(serviceName: string, id: number, rollbackId: number) {
    return this.operation('rollbackOvhConfig', { serviceName, id }, { rollbackId });
  }
  getOvhConfigCapabilities(serviceName: string) {
    return this.operation('getOvhConfigCapabilities', { serviceName });
  }
  /** OVH looks for the `.ovhconfig` files on the hosting again (an `ovhConfig/refresh` task): a new site's is found. */
  refreshOvhConfigs(serviceName: string) {
    return this.operation('refreshOvhConfigs', { serviceName });
  }

  // --- environment variables (each write answers a task; a `password` value is a secret) ---
  listEnvVars(serviceName: string) {
    return this.operation('listEnvVars', { serviceName });
  }
  getEnvVar(serviceName: string, key: string) {
    return this.operation('getEnvVar', { serviceName, key });
  }
  createEnvVar(serviceName: string, body: { key: string; type: EnvVar['type']; value: string }) {
    return this.operation('createEnvVar', { serviceName }, { ...body });
  }
  /** Only the value changes: the type is read-only (a new type is a delete and a create). */
  updateEnvVar(serviceName: string, key: string, value: string) {
    return this.operation('updateEnvVar', { serviceName, key }, { value });
  }
  deleteEnvVar(serviceName: string, key: string) {
    return this.operation('deleteEnvVar', { serviceName, key });
  }

  // --- Git deployment (2026) ---
  getWebsiteCreationCapabilities(serviceName: string) {
    return this.operation('getWebsiteCreationCapabilities', { serviceName });
  }
  listWebsites(serviceName: string, filter: { path?: string } = {}) {
    return this.operation('listWebsites', { serviceName }, filter);
  }
  getWebsite(serviceName: string, id: number) {
    return this.operation('getWebsite', { serviceName, id });
  }
  /** Links a folder (which must be empty) to a GitHub repository's branch: a `website/vcs/create` task. */
  createWebsite(serviceName: string, body: { path: string; vcsUrl: string; vcsBranch: string }) {
    return this.operation('createWebsite', { serviceName }, { ...body });
  }
  /** Only the branch can change (no task); a new repository is a delete and a create. */
  updateWebsite(serviceName: string, id: number, body: { vcsBranch: string }) {
    return this.operation('updateWebsite', { serviceName, id }, { ...body });
  }
  /** A `website/vcs/delete` task; `deleteFiles` also empties the folder. */
  deleteWebsite(serviceName: string, id: number, deleteFiles: boolean) {
    return this.operation('deleteWebsite', { serviceName, id }, { deleteFiles });
  }
  /** A `website/vcs/deploy` task; the deployment shows in `deployment` at once, `doing`. */
  deployWebsite(serviceName: string, id: number, reset: boolean) {
    return this.operation('deployWebsite', { serviceName, id }, { reset });
  }
  listWebsiteDeployments(serviceName: string, id: number) {
    return this.operation('listWebsiteDeployments', { serviceName, id });
  }
  getWebsiteDeployment(serviceName: string, id: number, deploymentId: number) {
    return this.operation('getWebsiteDeployment', { serviceName, id, deploymentId });
  }
  getWebsiteDeploymentLogs(serviceName: string, id: number, deploymentId: number) {
    return this.operation('getWebsiteDeploymentLogs', { serviceName, id, deploymentId });
  }
  /** The URL to give GitHub so that a push deploys (`vcs` is `github`, the only one OVH supports). */
  getVcsWebhooks(serviceName: string, path: string) {
    return this.operation('getVcsWebhooks', { serviceName }, { path, vcs: 'github' });
  }
  // --- scheduled tasks (cron jobs) ---
  /** OVH's `command` filter is a LIKE pattern (`%` wildcard): callers compare the commands they get exactly. */
  listCrons(serviceName: string, filter: { command?: string } = {}) {
    return this.operation('listCrons', { serviceName }, filter);
  }
  getCron(serviceName: string, id: number) {
    return this.operation('getCron', { serviceName, id });
  }
  /** Answers a `cron/create` task. */
  createCron(serviceName: string, body: CronJobBody) {
    return this.operation('createCron', { serviceName }, { ...body });
  }
  /** The whole job (command, frequency and language are required); answers no task: the job is `updating` meanwhile. */
  updateCron(serviceName: string, id: number, body: CronJobBody) {
    return this.operation('updateCron', { serviceName, id }, { ...body });
  }
  /** Answers a `cron/delete` task. */
  deleteCron(serviceName: string, id: number) {
    return this.operation('deleteCron', { serviceName, id });
  }
  listCronLanguages(serviceName: string) {
    return this.operation('listCronLanguages', { serviceName });
  }
  // --- runtimes ---
  listRuntimes(serviceName: string) {
    return this.operation('listRuntimes', { serviceName });
  }
  getRuntime(serviceName: string, id: number) {
    return this.operation('getRuntime', { serviceName, id });
  }

  detachDomain(serviceName: string, domain: string) {
    return this.operation('detachDomain', { serviceName, domain });
  }

  // --- databases ---
  listDatabases(serviceName: string, filter: { user?: string; name?: string; type?: string; mode?: string } = {}) {
    return this.operation('listDatabases', { serviceName }, filter);
  }
  getDatabase(serviceName: string, name: string) {
    return this.operation('getDatabase', { serviceName, name });
  }
  createDatabase(
    serviceName: string,
    body: { capabilitie: string; type: string; user: string; password: string; quota?: number; version?: string },
  ) {
    return this.operation('createDatabase', { serviceName }, body);
  }
  deleteDatabase(serviceName: string, name: string) {
    return this.operation('deleteDatabase', { serviceName, name });
  }

  // --- dumps ---
  listDumps(serviceName: string, databaseName: string, filter: { type?: DumpDate; 'creationDate.from'?: string; 'creationDate.to'?: string } = {}) {
    return this.operation('listDumps', { serviceName, name: databaseName }, filter);
  }
  getDump(serviceName: string, databaseName: string, id: number) {
    return this.operation('getDump', { serviceName, name: databaseName, id });
  }
  createDump(serviceName: string, databaseName: string, body: { date: DumpDate; sendEmail: boolean }) {
    return this.operation('createDump', { serviceName, name: databaseName }, body);
  }
  restoreDump(serviceName: string, databaseName: string, id: number) {
    return this.operation('restoreDump', { serviceName, name: databaseName, id });
  }
  restoreOvhBackup(serviceName: string, databaseName: string, body: { date: DumpDate; sendEmail: boolean }) {
    return this.operation('restoreOvhBackup', { serviceName, name: databaseName }, body);
  }

  // --- modules ---
  listModuleCatalog(filter: { active?: boolean; latest?: boolean; branch?: string } = {}) {
    return this.operation('listModuleCatalog', {}, filter);
  }
  getModuleCatalogEntry(id: number) {
    return this.operation('getModuleCatalogEntry', { id });
  }
  listModules(serviceName: string) {
    return this.operation('listModules', { serviceName });
  }
  getModule(serviceName: string, id: number) {
    return this.operation('getModule', { serviceName, id });
  }
  installModule(
    serviceName: string,
    body: { moduleId: number; domain: string; path: string; language: string; adminName: string; adminPassword: string; dependencies: ModuleDependency[] },
  ) {
    return this.operation('installModule', { serviceName }, body);
  }
  deleteModule(serviceName: string, id: number) {
    return this.operation('deleteModule', { serviceName, id });
  }

  // --- SSL ---
  /** The hosting's certificate, or `undefined` when it has none (OVH answers 404). */
  async getSsl(serviceName: string): Promise<HostedSsl | undefined> {
    try {
      return await this.operation('getSsl', { serviceName });
    } catch (error) {
      if (error instanceof OvhApiError && error.kind === 'notFound') return undefined;
      throw error;
    }
  }
  orderSsl(serviceName: string, custom?: { certificate: string; key: string; chain?: string }) {
    return this.operation('orderSsl', { serviceName }, custom ? { ...custom } : undefined);
  }
  regenerateSsl(serviceName: string) {
    return this.operation('regenerateSsl', { serviceName });
  }
  listSslDomains(serviceName: string) {
    return this.operation('listSslDomains', { serviceName });
  }
  deleteSsl(serviceName: string) {
    return this.operation('deleteSsl', { serviceName });
  }
  /** An attached domain's own certificate; undefined when it has none. */
  async getDomainSsl(serviceName: string, domain: string): Promise<HostedSsl | undefined> {
    try {
      return await this.operation('getDomainSsl', { serviceName, domain });
    } catch (error) {
      if (error instanceof OvhApiError && error.kind === 'notFound') return undefined;
      throw error;
    }
  }
  /** No body: the free certificate for this domain alone. */
  orderDomainSsl(serviceName: string, domain: string) {
    return this.operation('orderDomainSsl', { serviceName, domain });
  }
  regenerateDomainSsl(serviceName: string, domain: string) {
    return this.operation('regenerateDomainSsl', { serviceName, domain });
  }
  deleteDomainSsl(serviceName: string, domain: string) {
    return this.operation('deleteDomainSsl', { serviceName, domain });
  }
  getDomainSslReport(serviceName: string, domain: string) {
    return this.operation('getDomainSslReport', { serviceName, domain });
  }

  // --- users ---
  listUsers(serviceName: string, filter: { login?: string; home?: string } = {}) {
    return this.operation('listUsers', { serviceName }, filter);
  }
  getUser(serviceName: string, login: string) {
    return this.operation('getUser', { serviceName, login });
  }
  createUser(serviceName: string, body: { login: string; home: string; password: string; sshState: string }) {
    return this.operation('createUser', { serviceName }, body);
  }
  deleteUser(serviceName: string, login: string) {
    return this.operation('deleteUser', { serviceName, login });
  }

  // --- changes and password rotations ---
  /** `PUT` answers nothing: the change runs as a task, found through the user's `taskId`. */
  updateUser(serviceName: string, login: string, body: { home?: string; sshState?: string }) {
    return this.operation('updateUser', { serviceName, login }, body);
  }
  changeUserPassword(serviceName: string, login: string, password: string) {
    return this.operation('changeUserPassword', { serviceName, login }, { password });
  }
  changeDatabasePassword(serviceName: string, name: string, password: string) {
    return this.operation('changeDatabasePassword', { serviceName, name }, { password });
  }

  // --- the consumer key ---
  /** OVH's clock, in seconds (what signatures are timestamped with). */
  serverTime() {
    return this.operation('serverTime', {});
  }

  /**
   * Asks OVH for a new consumer key with these access rules, in the name of this client's application (no consumer
   * key is sent). The answer holds the new key — a secret — and the URL where a person validates it.
   */
  requestCredential(body: { accessRules: AccessRule[]; redirection?: string }) {
    return this.operation('requestCredential', {}, {
      accessRules: body.accessRules.map(({ method, path }) => ({ method, path })),
      ...(body.redirection ? { redirection: body.redirection } : {}),
    });
  }

  /**
   * The consumer key in use: its state and access rules. OVH requires this call signed, but the official client
   * never signs a path containing `/auth`, so it is signed here, exactly as the official client signs other calls.
   */
  currentCredential() {
    const { method } = OVH_OPERATIONS.currentCredential;
    const path = operationPath('currentCredential', {});
    // A service account has no API credential: OVH answers null.
    if (this.tokens) return this.perform<ApiCredential | null>(method, path, () => this.bearerRequest(method, path));
    return this.perform<ApiCredential>(method, path, () => this.signedRequest(method, path));
  }

  // --- DNS readiness ---
  getDigStatus(serviceName: string, domain: string) {
    return this.operation('getDigStatus', { serviceName, domain });
  }
  getHostingToken(serviceName: string) {
    return this.operation('getHostingToken', { serviceName });
  }
  listDnsZones() {
    return this.operation('listDnsZones', {});
  }
  listZoneRecords(zoneName: string, filter: { fieldType?: string; subDomain?: string } = {}) {
    return this.operation('listZoneRecords', { zoneName }, filter);
  }
  getZoneRecord(zoneName: string, id: number) {
    return this.operation('getZoneRecord', { zoneName, id });
  }
  createZoneRecord(zoneName: string, body: { fieldType: string; subDomain: string; target: string; ttl?: number }) {
    return this.operation('createZoneRecord', { zoneName }, body);
  }
  updateZoneRecord(zoneName: string, id: number, body: { target?: string; ttl?: number }) {
    return this.operation('updateZoneRecord', { zoneName, id }, body);
  }
  deleteZoneRecord(zoneName: string, id: number) {
    return this.operation('deleteZoneRecord', { zoneName, id });
  }
  refreshZone(zoneName: string) {
    return this.operation('refreshZone', { zoneName });
  }

  /**
   * One of the schema documents OVH serves without authentication (`/hosting/web.json`, `/domain.json`,
   * `/auth.json`): what `ovhflow doctor` compares the operations table with. Not an API call, so not in the table.
   */
  async fetchSchemaDocument(path: '/hosting/web.json' | '/domain.json' | '/auth.json'): Promise<unknown> {
    try {
      return await this.jsonRequest('GET', `${this.endpoint.basePath}${path}`, {});
    } catch (error) {
      throw classifyOvhRejection(error, { method: 'GET', path });
    }
  }

  /** A service account's call: the bearer token instead of a signature; parameters as the official client sends them. */
  private async bearerRequest(method: HttpMethod, path: string, params?: Record<string, unknown>): Promise<unknown> {
    const tokens = this.tokens as AccessTokenSource;
    const token = await tokens.token().catch((error: unknown) => {
      // An OvhApiError (refused client, token endpoint down) is classified like any call's failure.
      throw error instanceof OvhApiError ? new OfficialStyleRejection(error.httpStatus ?? error.ovhMessage, error.ovhMessage) : error;
    });
    const hasParams = params !== undefined && Object.keys(params).length > 0;
    const inBody = hasParams && (method === 'POST' || method === 'PUT');
    const query = hasParams && !inBody ? `?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)] as [string, string])).toString()}` : '';
    const target = `${this.endpoint.basePath}${path}${query}`;
    try {
      return await this.jsonRequest(method, target, { Authorization: `Bearer ${token}` }, inBody ? JSON.stringify(params) : undefined);
    } catch (error) {
      // A token OVH no longer takes (revoked, expired early): fetch a new one for the next attempt.
      if (error instanceof OfficialStyleRejection && error.error === 401) tokens.invalidate();
      throw error;
    }
  }

  private async signedRequest(method: HttpMethod, path: string): Promise<unknown> {
    // performOnce synced the clock just before (syncClock): sign with OVH's time, as the official client does.
    const timestamp = String(Math.round(Date.now() / 1000) + (this.official?.apiTimeDiff ?? 0));
    const target = `${this.endpoint.basePath}${path}`;
    // Like the official Node client: `https://` + host without the port + path, empty body.
    const toSign = [this.keys.applicationSecret, this.keys.consumerKey ?? '', method, `https://${this.endpoint.host}${target}`, '', timestamp].join('+');
    const headers = {
      'Content-Type': 'application/json',
      'X-Ovh-Application': this.keys.applicationKey,
      'X-Ovh-Consumer': this.keys.consumerKey ?? '',
      'X-Ovh-Timestamp': timestamp,
      'X-Ovh-Signature': `$1$${createHash('sha1').update(toSign).digest('hex')}`,
    };
    return this.jsonRequest(method, target, headers);
  }

  /** One request outside the official client, rejecting in its shape so errors.ts classifies it the same way. */
  private jsonRequest(method: HttpMethod, target: string, headers: Record<string, string>, body?: string): Promise<unknown> {
    const allHeaders = { 'Content-Type': 'application/json', ...headers, ...(body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(body)) }) };
    return new Promise((resolve, reject) => {
      const request = https.request({ host: this.endpoint.host, port: this.endpoint.port, method, path: target, headers: allHeaders }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => {
          let body: unknown = null;
          try {
            body = text === '' ? null : JSON.parse(text);
          } catch {
            return reject(new OfficialStyleRejection('[OVH] Unable to parse JSON reponse'));
          }
          // The official client's rejection shape, so failures are classified the same way (errors.ts).
          if (response.statusCode !== 200) return reject(new OfficialStyleRejection(response.statusCode, rejectionMessage(body)));
          resolve(body);
        });
      });
      request.setTimeout(this.timeoutMs, () => request.destroy(Object.assign(new Error('socket timeout'), { code: 'ETIMEDOUT' })));
      request.on('error', (error) => reject(new OfficialStyleRejection(error)));
      request.end(body);
    });
  }
}

/**
 * OVH's message, plus the IAM actions a service account lacks (`details.unauthorizedActionsByIAM`): "User not granted
 * for this request" alone does not tell an operator which permission to add to the policy.
 */
function rejectionMessage(body: unknown): string | undefined {
  const { message, details } = (body ?? {}) as { message?: unknown; details?: { unauthorizedActionsByIAM?: unknown } };
  const text = typeof message === 'string' ? message : undefined;
  const actions = typeof details?.unauthorizedActionsByIAM === 'string' ? details.unauthorizedActionsByIAM.trim() : '';
  return actions ? `${text ?? 'User not granted for this request'} (IAM action${actions.includes(',') ? 's' : ''} not allowed: ${actions.split(',').map((a) => a.trim()).join(', ')}; add ${actions.includes(',') ? 'them' : 'it'} to the service account's IAM policy, see \`ovhflow credentials policy\`)` : text;
}
