// What the simulator remembers about each hosting service. Records hold the simulator's own truth (including
// secrets such as database passwords, which no answer ever shows); the views in hosting/views.ts turn them into the
// schema's models. Times are epoch milliseconds.
import { OFFERS } from './offers.js';

export type ServiceState = 'active' | 'bloqued' | 'maintenance';
export type OfferName = 'START' | 'PERSO' | 'PRO' | 'PERFORMANCE_1';

export interface AttachedDomainRecord {
  domain: string;
  path: string;
  ssl: boolean;
  cdn: 'active' | 'none';
  firewall: 'active' | 'none';
  ipLocation: string | null;
  ownLog: string | null;
  runtimeId: number | null;
  status: 'created' | 'creating' | 'deleting' | 'updating';
  taskId: number | null;
}

export interface DatabaseRecord {
  name: string;
  user: string;
  /** Never shown; a module's mysql dependency must present it. `null` when OVH would have generated one. */
  password: string | null;
  type: 'mysql' | 'mariadb' | 'postgresql' | 'redis';
  version: string;
  capabilitie: string;
  quotaMb: number;
  server: string;
  port: number;
  status: 'checking' | 'created' | 'creating' | 'deleting' | 'dumping' | 'importing' | 'locked' | 'optimizing' | 'restoring' | 'updating';
  taskId: number | null;
  createdAt: number;
  /** Restores applied, newest last, so tests can tell a restore really happened. */
  restoredFrom: string[];
}

export type DumpDate = 'now' | 'daily.1' | 'weekly.1';

export interface DumpRecord {
  id: number;
  databaseName: string;
  type: DumpDate;
  creationDate: number;
  deletionDate: number;
  status: 'created' | 'creating' | 'deleting';
  taskId: number | null;
  /** What the caller asked for, with OVH's default (true) applied when the field was omitted. */
  sendEmail: boolean;
  orphan: boolean;
}

export interface ModuleDependencyRecord {
  type: 'mysql';
  name: string | null;
  port: number | null;
  prefix: string | null;
  server: string | null;
  user: string | null;
}

export interface ModuleRecord {
  id: number;
  moduleId: number;
  domain: string;
  path: string;
  language: string;
  adminName: string;
  adminFolder: string;
  targetUrl: string;
  dependencies: ModuleDependencyRecord[];
  status: 'created' | 'creating' | 'deleting' | 'updating';
  taskId: number | null;
  creationDate: number;
  lastUpdate: number;
}

export interface UserRecord {
  login: string;
  home: string;
  sshState: 'active' | 'none' | 'sftponly';
  state: 'off' | 'rw';
  isPrimaryAccount: boolean;
  status: 'created' | 'creating' | 'deleting' | 'updating';
  taskId: number | null;
}

export interface SslRecord {
  provider: 'COMODO' | 'CUSTOM' | 'LETSENCRYPT';
  type: 'CUSTOM' | 'DV' | 'EV';
  status: 'created' | 'creating' | 'deleting' | 'importing' | 'regenerating';
  taskId: number | null;
  /** The domains the certificate covers now (a regeneration replaces them when its task is done). */
  domains: string[];
  createdAt: number;
}

export interface HostingService {
  serviceName: string;
  displayName: string | null;
  offer: OfferName;
  state: ServiceState;
  primaryLogin: string;
  cluster: string;
  datacenter: string;
  home: string;
  clusterIp: string;
  clusterIpv6: string;
  createdAt: number;
  attachedDomains: Map<string, AttachedDomainRecord>;
  databases: Map<string, DatabaseRecord>;
  dumps: Map<number, DumpRecord>;
  modules: Map<number, ModuleRecord>;
  users: Map<string, UserRecord>;
  ssl: SslRecord | null;
  /** When each SSL regeneration was asked, for OVH's limit of 5 per week. */
  sslRegenerations: number[];
}

export type TaskFunction =
  | 'attachedDomain/create'
  | 'attachedDomain/delete'
  | 'database/create'
  | 'database/delete'
  | 'dump/create'
  | 'dump/delete'
  | 'database/restore'
  | 'module/install'
  | 'module/delete'
  | 'user/create'
  | 'user/delete'
  | 'hostedssl/create'
  | 'hostedssl/import'
  | 'hostedssl/regenerate'
  | 'hostedssl/delete';

export type TaskObjectType = 'AttachedDomain' | 'Database' | 'Dump' | 'Module' | 'User' | 'Hostedssl';

export interface TaskRecord {
  id: number;
  serviceName: string;
  function: TaskFunction;
  objectType: TaskObjectType;
  objectId: string | null;
  /** The key of the record the task works on (domain, database name, dump id, module id, login). */
  subject: string;
  createdAt: number;
  /** The nominal duration: the todo → init → doing phases are fractions of it. */
  durationMs: number;
  /** When the task ends; `null` for a task that is stuck and never ends. */
  finishAt: number | null;
  outcome: 'done' | 'cancelled';
  /** True once its effect on the records has been applied. */
  settled: boolean;
  /** For SSL tasks: the domains the certificate will cover when the task is done. */
  domains?: string[];
  /** For restores: what is being restored (`dump 5001`, `backup daily.1`). */
  detail?: string;
}

export interface SimulatorState {
  services: Map<string, HostingService>;
  tasks: Map<number, TaskRecord>;
  nextIds: { task: number; dump: number; module: number };
}

export function newService(fields: Omit<HostingService, 'attachedDomains' | 'databases' | 'dumps' | 'modules' | 'users' | 'ssl' | 'sslRegenerations'>): HostingService {
  const service: HostingService = {
    ...fields,
    attachedDomains: new Map(),
    databases: new Map(),
    dumps: new Map(),
    modules: new Map(),
    users: new Map(),
    ssl: null,
    sslRegenerations: [],
  };
  service.users.set(fields.primaryLogin, {
    login: fields.primaryLogin,
    home: '.',
    sshState: OFFERS[fields.offer].ssh ? 'active' : 'none',
    state: 'rw',
    isPrimaryAccount: true,
    status: 'created',
    taskId: null,
  });
  return service;
}
