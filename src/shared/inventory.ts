// Read-only inventory (`ovhflow ls ...`): what the CLI asks the worker for and the rows it gets back. The OVH
// credentials live only on the worker, so the CLI starts the `inventory` workflow and prints its answer.
import { normalizeDatabaseName, normalizeServiceName } from './inputs/common.js';

export const INVENTORY_KINDS = ['services', 'databases', 'modules', 'users', 'dumps', 'tasks', 'php', 'env', 'websites', 'crons', 'runtimes'] as const;
export type InventoryKind = (typeof INVENTORY_KINDS)[number];

/** `hosting.web.task.StatusEnum`. */
export const TASK_STATUSES = ['cancelled', 'doing', 'done', 'init', 'todo'] as const;

export const DEFAULT_TASK_LIMIT = 50;
export const MAX_TASK_LIMIT = 500;

export interface InventoryFilters {
  /** modules: the modules installed on `serviceName` instead of OVH's catalog. */
  installed?: boolean;
  /** tasks: OVH's `status` filter; other kinds: keep rows with this `status`. */
  status?: string;
  /** tasks: OVH's `function` filter (e.g. `ovhConfig/update`, `database/create`). */
  function?: string;
  /** tasks: the most recent N (default {@link DEFAULT_TASK_LIMIT}). */
  limit?: number;
}

export interface InventoryRequest {
  kind: InventoryKind;
  /** Required for dumps, tasks and installed modules; otherwise narrows to one service (default: every one). */
  serviceName?: string;
  /** databases / dumps: one database only. */
  database?: string;
  filters?: InventoryFilters;
}

export type InventoryCell = string | number | boolean | null;
export type InventoryRow = Record<string, InventoryCell>;

export interface InventoryResult {
  kind: InventoryKind;
  rows: InventoryRow[];
  /** Rows left out by a limit (tasks). */
  omitted?: number;
}

/** The columns a human table shows, in order (JSON output has every field of a row). */
export const INVENTORY_COLUMNS: Record<InventoryKind | 'installedModules', string[]> = {
  services: ['serviceName', 'state', 'offer', 'primaryLogin', 'cluster'],
  databases: ['serviceName', 'name', 'type', 'version', 'status', 'server', 'port', 'user'],
  modules: ['id', 'name', 'version', 'branch', 'active', 'latest', 'languages'],
  installedModules: ['serviceName', 'id', 'module', 'targetUrl', 'path', 'language', 'status'],
  users: ['serviceName', 'login', 'home', 'sshState', 'state', 'status', 'isPrimaryAccount'],
  dumps: ['serviceName', 'database', 'id', 'type', 'status', 'creationDate', 'deletionDate', 'hasUrl'],
  tasks: ['serviceName', 'id', 'function', 'status', 'objectType', 'objectId', 'startDate', 'doneDate'],
  php: ['serviceName', 'path', 'engineName', 'engineVersion', 'environment', 'httpFirewall', 'container', 'status'],
  env: ['serviceName', 'name', 'type', 'value', 'status'],
  websites: ['serviceName', 'path', 'repository', 'branch', 'status', 'lastDeployment', 'lastDeploymentStatus', 'lastCommit'],
  crons: ['serviceName', 'command', 'frequency', 'language', 'status', 'state', 'description', 'email'],
  runtimes: ['serviceName', 'id', 'name', 'type', 'isDefault', 'appEnv', 'publicDir', 'appBootstrap', 'status', 'attachedDomains'],
};

/** Why a request cannot be answered (bad usage), or `undefined`; the CLI exits 2 on it, the activity refuses it. */
export function inventoryRequestIssue(request: InventoryRequest): string | undefined {
  if (!INVENTORY_KINDS.includes(request.kind)) return `unknown inventory "${String(request.kind)}": one of ${INVENTORY_KINDS.join(', ')}`;
  const filters = request.filters ?? {};
  if (request.serviceName !== undefined) {
    const checked = normalizeServiceName(request.serviceName);
    if (!checked.ok) return `--service: ${checked.message}`;
  }
  if (request.database !== undefined) {
    if (request.kind !== 'databases' && request.kind !== 'dumps') return '--database applies to databases and dumps only';
    const checked = normalizeDatabaseName(request.database);
    if (!checked.ok) return `--database: ${checked.message}`;
  }
  const needsService =
    request.kind === 'dumps' ? 'dumps are listed per service: give --service (and optionally --database)'
    : request.kind === 'tasks' ? 'tasks are listed per service: give --service'
    : request.kind === 'php' ? "each folder's PHP is listed per service: give --service"
    : request.kind === 'env' ? 'environment variables are listed per service: give --service'
    : request.kind === 'websites' ? 'Git website links are listed per service: give --service'
    : request.kind === 'crons' ? 'cron jobs are listed per service: give --service'
    : request.kind === 'runtimes' ? 'runtimes are listed per service: give --service'
    : request.kind === 'modules' && filters.installed ? '--installed lists the modules of one service: give --service'
    : undefined;
  if (needsService && request.serviceName === undefined) return needsService;
  if (filters.installed && request.kind !== 'modules') return '--installed applies to modules only';
  if (filters.function !== undefined && request.kind !== 'tasks') return '--function applies to tasks only';
  if (filters.function !== undefined && !/^[A-Za-z0-9/_.-]{1,100}$/.test(filters.function)) return `--function: "${filters.function}" is not a task function (e.g. database/create)`;
  if (request.kind === 'tasks' && filters.status !== undefined && !(TASK_STATUSES as readonly string[]).includes(filters.status)) {
    return `--status: a task status is one of ${TASK_STATUSES.join(', ')}`;
  }
  if (filters.status !== undefined && !/^[A-Za-z]{1,30}$/.test(filters.status)) return `--status: "${filters.status}" is not a status`;
  if (filters.limit !== undefined) {
    if (request.kind !== 'tasks') return '--limit applies to tasks only';
    if (!Number.isInteger(filters.limit) || filters.limit < 1 || filters.limit > MAX_TASK_LIMIT) return `--limit: a whole number from 1 to ${MAX_TASK_LIMIT}`;
  }
  return undefined;
}

/** Workflow ids of inventory runs: short-lived, never a business key (two `ls` at once are two runs). */
export const INVENTORY_WORKFLOW_PREFIX = 'inventory/';
