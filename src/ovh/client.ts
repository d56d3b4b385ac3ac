// The one OVH client: the official `ovh` package underneath, typed methods for the calls ovhflow makes, every
// failure classified once (errors.ts), a client-side rate limit per consumer key, and one log line per call with
// method, path, status and duration — never a secret.
import { createRequire } from 'node:module';
import type { Logger } from '../logging/logger.js';
import { resolveEndpoint, trustCaFile, type ResolvedEndpoint } from './endpoint.js';
import { classifyOvhRejection, OvhApiError } from './errors.js';
import { TokenBucket } from './rate-limiter.js';
import { withResponseMeta } from './response-meta.js';
import type {
  AttachedDomain,
  Database,
  DatabaseDump,
  DumpDate,
  HostedSsl,
  HostingService,
  HostingTask,
  HostingUser,
  InstalledModule,
  ModuleCatalogEntry,
  ModuleDependency,
  OfferCapabilities,
} from './types.js';

const require = createRequire(import.meta.url);
const createOfficialClient = require('ovh') as (params: Record<string, unknown>) => OfficialOvhClient;

interface OfficialOvhClient {
  requestPromised(method: string, path: string, params?: Record<string, unknown>): Promise<unknown>;
}

export interface OvhClientConfig {
  endpoint: string;
  applicationKey: string;
  applicationSecret: string;
  consumerKey: string;
  /** A CA to trust in addition to the public roots (the simulator's). */
  caFile?: string;
  /** Per-request socket timeout. */
  timeoutMs?: number;
  /** Client-side limit for this consumer key; OVH's own limit is about 20 calls per second per key. */
  rateLimitPerSecond?: number;
  logger: Logger;
}

type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
const buckets = new Map<string, TokenBucket>();

/** Encodes one path segment; OVH service names and domains are plain, but never trust a caller with a path. */
const seg = (value: string | number) => encodeURIComponent(String(value));

export class OvhClient {
  readonly endpoint: ResolvedEndpoint;
  private readonly official: OfficialOvhClient;
  private readonly bucket?: TokenBucket;
  private readonly logger: Logger;

  constructor(config: OvhClientConfig) {
    this.endpoint = resolveEndpoint(config.endpoint);
    if (config.caFile) trustCaFile(config.caFile);
    this.logger = config.logger.child({ component: 'ovh-client' });
    this.official = createOfficialClient({
      appKey: config.applicationKey,
      appSecret: config.applicationSecret,
      consumerKey: config.consumerKey,
      host: this.endpoint.host,
      port: this.endpoint.port,
      basePath: this.endpoint.basePath,
      timeout: config.timeoutMs ?? 30_000,
    });
    if (config.rateLimitPerSecond && config.rateLimitPerSecond > 0) {
      const key = `${this.endpoint.url}|${config.consumerKey}`;
      let bucket = buckets.get(key);
      if (!bucket) buckets.set(key, (bucket = new TokenBucket(config.rateLimitPerSecond)));
      this.bucket = bucket;
    }
  }

  /** One API call. Resolves with OVH's JSON answer; rejects with an {@link OvhApiError}. */
  async call<T>(method: HttpMethod, path: string, params?: Record<string, unknown>): Promise<T> {
    await this.bucket?.take();
    const started = performance.now();
    // The official client deletes keys from `params` as it builds the request: give it a copy.
    const { result, error, meta } = await withResponseMeta(() =>
      this.official.requestPromised(method, path, params ? { ...params } : undefined),
    );
    const durationMs = Math.round(performance.now() - started);
    if (error === undefined) {
      this.logger.debug({ method, path, status: meta.status ?? 200, durationMs, queryId: meta.queryId }, 'ovh call');
      return result as T;
    }
    const failure = classifyOvhRejection(error, { method, path }, meta);
    this.logger.info(
      { method, path, status: failure.httpStatus, kind: failure.kind, durationMs, queryId: failure.queryId, ovhMessage: failure.ovhMessage },
      'ovh call failed',
    );
    throw failure;
  }

  // --- service ---
  getService(serviceName: string) {
    return this.call<HostingService>('GET', `/hosting/web/${seg(serviceName)}`);
  }
  listServices() {
    return this.call<string[]>('GET', '/hosting/web');
  }

  /** What an offer allows (no authentication needed). */
  getOfferCapabilities(offer: string) {
    return this.call<OfferCapabilities>('GET', '/hosting/web/offerCapabilities', { offer });
  }

  // --- tasks ---
  getTask(serviceName: string, taskId: number) {
    return this.call<HostingTask>('GET', `/hosting/web/${seg(serviceName)}/tasks/${seg(taskId)}`);
  }
  listTasks(serviceName: string, filter: { function?: string; status?: string } = {}) {
    return this.call<number[]>('GET', `/hosting/web/${seg(serviceName)}/tasks`, filter);
  }

  // --- attached domains ---
  listAttachedDomains(serviceName: string, filter: { domain?: string; path?: string } = {}) {
    return this.call<string[]>('GET', `/hosting/web/${seg(serviceName)}/attachedDomain`, filter);
  }
  getAttachedDomain(serviceName: string, domain: string) {
    return this.call<AttachedDomain>('GET', `/hosting/web/${seg(serviceName)}/attachedDomain/${seg(domain)}`);
  }
  attachDomain(serviceName: string, body: { domain: string; path: string; ssl: boolean; cdn?: string; firewall?: string }) {
    return this.call<HostingTask>('POST', `/hosting/web/${seg(serviceName)}/attachedDomain`, body);
  }
  detachDomain(serviceName: string, domain: string) {
    return this.call<HostingTask>('DELETE', `/hosting/web/${seg(serviceName)}/attachedDomain/${seg(domain)}`);
  }

  // --- databases ---
  listDatabases(serviceName: string, filter: { user?: string; name?: string; type?: string; mode?: string } = {}) {
    return this.call<string[]>('GET', `/hosting/web/${seg(serviceName)}/database`, filter);
  }
  getDatabase(serviceName: string, name: string) {
    return this.call<Database>('GET', `/hosting/web/${seg(serviceName)}/database/${seg(name)}`);
  }
  createDatabase(
    serviceName: string,
    body: { capabilitie: string; type: string; user: string; password: string; quota?: number; version?: string },
  ) {
    return this.call<HostingTask>('POST', `/hosting/web/${seg(serviceName)}/database`, body);
  }
  deleteDatabase(serviceName: string, name: string) {
    return this.call<HostingTask>('DELETE', `/hosting/web/${seg(serviceName)}/database/${seg(name)}`);
  }

  // --- dumps ---
  listDumps(serviceName: string, databaseName: string, filter: { type?: DumpDate } = {}) {
    return this.call<number[]>('GET', `/hosting/web/${seg(serviceName)}/database/${seg(databaseName)}/dump`, filter);
  }
  getDump(serviceName: string, databaseName: string, id: number) {
    return this.call<DatabaseDump>('GET', `/hosting/web/${seg(serviceName)}/database/${seg(databaseName)}/dump/${seg(id)}`);
  }
  createDump(serviceName: string, databaseName: string, body: { date: DumpDate; sendEmail: boolean }) {
    return this.call<HostingTask>('POST', `/hosting/web/${seg(serviceName)}/database/${seg(databaseName)}/dump`, body);
  }
  restoreDump(serviceName: string, databaseName: string, id: number) {
    return this.call<HostingTask>('POST', `/hosting/web/${seg(serviceName)}/database/${seg(databaseName)}/dump/${seg(id)}/restore`);
  }
  restoreOvhBackup(serviceName: string, databaseName: string, body: { date: DumpDate; sendEmail: boolean }) {
    return this.call<HostingTask>('POST', `/hosting/web/${seg(serviceName)}/database/${seg(databaseName)}/restore`, body);
  }

  // --- modules ---
  listModuleCatalog(filter: { active?: boolean; latest?: boolean; branch?: string } = {}) {
    return this.call<number[]>('GET', '/hosting/web/moduleList', filter);
  }
  getModuleCatalogEntry(id: number) {
    return this.call<ModuleCatalogEntry>('GET', `/hosting/web/moduleList/${seg(id)}`);
  }
  listModules(serviceName: string) {
    return this.call<number[]>('GET', `/hosting/web/${seg(serviceName)}/module`);
  }
  getModule(serviceName: string, id: number) {
    return this.call<InstalledModule>('GET', `/hosting/web/${seg(serviceName)}/module/${seg(id)}`);
  }
  installModule(
    serviceName: string,
    body: { moduleId: number; domain: string; path: string; language: string; adminName: string; adminPassword: string; dependencies: ModuleDependency[] },
  ) {
    return this.call<HostingTask>('POST', `/hosting/web/${seg(serviceName)}/module`, body);
  }
  deleteModule(serviceName: string, id: number) {
    return this.call<HostingTask>('DELETE', `/hosting/web/${seg(serviceName)}/module/${seg(id)}`);
  }

  // --- SSL ---
  /** The hosting's certificate, or `undefined` when it has none (OVH answers 404). */
  async getSsl(serviceName: string): Promise<HostedSsl | undefined> {
    try {
      return await this.call<HostedSsl>('GET', `/hosting/web/${seg(serviceName)}/ssl`);
    } catch (error) {
      if (error instanceof OvhApiError && error.kind === 'notFound') return undefined;
      throw error;
    }
  }
  orderSsl(serviceName: string, custom?: { certificate: string; key: string; chain?: string }) {
    return this.call<HostedSsl>('POST', `/hosting/web/${seg(serviceName)}/ssl`, custom ? { ...custom } : undefined);
  }
  regenerateSsl(serviceName: string) {
    return this.call<HostedSsl>('POST', `/hosting/web/${seg(serviceName)}/ssl/regenerate`);
  }
  listSslDomains(serviceName: string) {
    return this.call<string[]>('GET', `/hosting/web/${seg(serviceName)}/ssl/domains`);
  }
  deleteSsl(serviceName: string) {
    return this.call<HostedSsl>('DELETE', `/hosting/web/${seg(serviceName)}/ssl`);
  }

  // --- users ---
  listUsers(serviceName: string, filter: { login?: string; home?: string } = {}) {
    return this.call<string[]>('GET', `/hosting/web/${seg(serviceName)}/user`, filter);
  }
  getUser(serviceName: string, login: string) {
    return this.call<HostingUser>('GET', `/hosting/web/${seg(serviceName)}/user/${seg(login)}`);
  }
  createUser(serviceName: string, body: { login: string; home: string; password: string; sshState: string }) {
    return this.call<HostingTask>('POST', `/hosting/web/${seg(serviceName)}/user`, body);
  }
  deleteUser(serviceName: string, login: string) {
    return this.call<HostingTask>('DELETE', `/hosting/web/${seg(serviceName)}/user/${seg(login)}`);
  }
}
