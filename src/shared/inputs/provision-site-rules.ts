// provisionSite's normalized input (what a workflow receives) and the rules that need no zod: the known module names,
// the quota and version enums, the step deadline's bounds and the rules between fields. The zod schemas in
// ./provision-site.ts are built from these, and the workflow's `retry --set` validator applies them as they are, so
// an operator's correction is judged by the same rules in the CLI, the HTTP API and the workflow.
import type { AttachedDomainOptions } from './attached-domain.js';
import { type Checked, type InputIssue, closest, isRecord, quote } from './issues.js';
import { cmsAdminNameIssue, KNOWN_MODULE_NAMES, type KnownModuleName } from './modules.js';
import {
  DATABASE_QUOTAS,
  DATABASE_TYPES,
  DATABASE_VERSIONS,
  type DatabaseCapability,
  type DatabaseQuota,
  type DatabaseType,
  type DatabaseVersion,
  MODULE_DEPENDENCY_TYPES,
  type ModuleLanguage,
} from './ovh-enums.js';
import { enumError, type WholeNumberRule } from './values.js';
import type { DnsMode } from '../dns.js';
import type { PhpSettings } from './php-config.js';
import type { EnvVarSetting } from './env-vars.js';
import type { SiteGitSpec } from './deploy.js';
import type { SiteCronJob } from './cron.js';

// ---------------------------------------------------------------------------------------------------------------
// The normalized value (what a workflow receives)

export interface DatabaseSpec {
  type: DatabaseType;
  /** Sent to OVH as `capabilitie` (sic). */
  capability: DatabaseCapability;
  /** Appended to the hosting's primary login to make the database user; chosen by the run when absent. */
  userSuffix?: string;
  /** MB; only for `extraSqlPerso`. */
  quota?: DatabaseQuota;
  version?: DatabaseVersion;
}

/** A module by catalog id, or by a known name whose id is looked up in `/hosting/web/moduleList` at run time. */
export type ModuleRef = { id: number; name?: never } | { name: KnownModuleName; id?: never };

export type ModuleSpec = ModuleRef & {
  /** OVH's default language for the module when absent. */
  language?: ModuleLanguage;
  /**
   * The CMS's administrator login; absent: the CMS's default (`admin`, or `admin@<domain>` where the login is an
   * e-mail address), chosen once the catalog says which CMS it is (see defaultAdminName in ./modules.ts).
   */
  adminName?: string;
};

export interface CustomCertificate {
  certificate: string;
  key: string;
  chain?: string;
}

export type SslSpec = { mode: 'letsencrypt' } | ({ mode: 'custom' } & CustomCertificate) | { mode: 'none' };
export type SslMode = SslSpec['mode'];
export const SSL_MODES = ['letsencrypt', 'custom', 'none'] as const satisfies readonly SslMode[];

/** The attached domain's options beyond path and ssl (cdn, firewall, ownLog, runtimeId, ipLocation, bypassDNSConfiguration). */
export interface ProvisionSiteInput extends AttachedDomainOptions {
  serviceName: string;
  /** Lowercase ASCII; internationalized names in Punycode. */
  domain: string;
  /** The attached domain's root folder, relative to the hosting home; defaults to a folder named after the domain. */
  path: string;
  /** Absent: no database is created. Required when a module is installed. */
  database?: DatabaseSpec;
  module?: ModuleSpec;
  ssl: SslSpec;
  /** Per-step deadline for OVH tasks; the workflow's default when absent. */
  stepDeadlineMinutes?: number;
  /** The DNS readiness step (`auto` when absent): see src/shared/dns.ts. */
  dns?: DnsMode;
  /** How long the DNS step waits for the domain to point at the hosting; a day when absent. */
  dnsDeadlineMinutes?: number;
  /** The `.ovhconfig` of the site's folder (engine, version, environment, firewall, container); OVH's when absent. */
  php?: PhpSettings;
  /** The hosting's environment variables the site needs (the hosting's, shared by its sites: never removed with it). */
  env?: EnvVarSetting[];
  /** The site's folder deployed from a GitHub repository's branch (the folder must be empty: no module with it). */
  git?: SiteGitSpec;
  /** Cron jobs the site needs, each known by its command (added; an existing one with other settings stops the run). */
  cron?: SiteCronJob[];
}

export const DEFAULT_DATABASE_TYPE: DatabaseType = 'mysql';
export const DEFAULT_DATABASE_CAPABILITY: DatabaseCapability = 'sqlPerso';
/** The admin login of runs started before the per-CMS defaults (their recorded inputs carry it). */
export const DEFAULT_ADMIN_NAME = 'admin';
export const DEFAULT_SSL: SslSpec = { mode: 'letsencrypt' };
/** A week: longer than any OVH task should take, short enough that a forgotten run is noticed. */
export const MAX_STEP_DEADLINE_MINUTES = 7 * 24 * 60;


export const STEP_DEADLINE_RULES: WholeNumberRule = {
  required: 'is required (minutes)',
  notNumber: 'must be a number of minutes',
  notWhole: 'must be a whole number of minutes',
  min: 1,
  tooSmall: 'must be at least 1 minute',
  max: MAX_STEP_DEADLINE_MINUTES,
  tooLarge: `must be at most ${MAX_STEP_DEADLINE_MINUTES} minutes (a week)`,
};

export const DNS_DEADLINE_RULES: WholeNumberRule = { ...STEP_DEADLINE_RULES };

// ---------------------------------------------------------------------------------------------------------------
// Single values

/** A module ovhflow knows by name (`WordPress ` → `wordpress`). */
export function normalizeKnownModuleName(raw: string): Checked<KnownModuleName> {
  const name = raw.trim().toLowerCase();
  const known = KNOWN_MODULE_NAMES.find((candidate) => candidate === name);
  if (known) return { ok: true, value: known };
  const suggestion = closest(name, KNOWN_MODULE_NAMES);
  return {
    ok: false,
    message:
      `${quote(raw)} is not a module name ovhflow knows${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; ` +
      `use ${KNOWN_MODULE_NAMES.join(', ')}, or give another module's catalog id ("ovhflow ls modules")`,
  };
}

/** OVH's quota enum is a `long`; 256 and "256" alike. */
export function checkDatabaseQuota(raw: number | string): Checked<DatabaseQuota> {
  const value = typeof raw === 'number' ? raw : /^\d{1,6}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
  const quota = DATABASE_QUOTAS.find((q) => q === value);
  return quota !== undefined ? { ok: true, value: quota } : { ok: false, message: enumError(DATABASE_QUOTAS)({ input: raw }) };
}

/** Versions are text in OVH's enum ("8.0"); a JSON number such as 5.7 is accepted, 8.0 (= 8) is not. */
export function checkDatabaseVersion(raw: number | string): Checked<DatabaseVersion> {
  const text = typeof raw === 'number' ? String(raw) : raw.trim();
  const version = DATABASE_VERSIONS.find((v) => v === text);
  if (version !== undefined) return { ok: true, value: version };
  const hint = typeof raw === 'number' ? ' (write the version as text, e.g. "8.0")' : '';
  return { ok: false, message: `${enumError(DATABASE_VERSIONS)({ input: raw })}${hint}` };
}

// ---------------------------------------------------------------------------------------------------------------
// Rules between fields

/** A quota is only for extraSqlPerso databases. */
export function databaseQuotaIssue(db: { capability?: unknown; quota?: unknown }): InputIssue | undefined {
  if (db.quota === undefined || db.capability === 'extraSqlPerso') return undefined;
  return {
    field: 'database.quota',
    message: `only applies to extraSqlPerso databases (capability is "${String(db.capability)}"); remove it or set capability to "extraSqlPerso"`,
  };
}

/** A module is named by its catalog id or by a known name: one of the two. */
export function moduleRefIssue(module: { id?: unknown; name?: unknown }): InputIssue | undefined {
  if (module.id !== undefined && module.name !== undefined) return { field: 'module', message: 'give either "id" or "name", not both' };
  if (module.id === undefined && module.name === undefined) {
    return { field: 'module', message: `give the module's "name" (${KNOWN_MODULE_NAMES.join(', ')}) or its catalog "id"` };
  }
  return undefined;
}

/**
 * A module needs a database it can use. Reads defensively: zod runs it even when another field failed (so one
 * submission shows every problem), and a failed field's value is not its normalized type.
 */
export function moduleDatabaseIssues(input: unknown): InputIssue[] {
  if (!isRecord(input) || input.module === undefined) return [];
  const database = input.database;
  if (database === undefined) {
    return [{ field: 'database', message: 'is required when a module is installed (the module needs a MySQL database); give {} for the defaults' }];
  }
  if (isRecord(database) && isDatabaseType(database.type) && !isModuleDependencyType(database.type)) {
    // An unknown type has its own issue already; this one is only for a real type a module cannot use.
    return [
      {
        field: 'database.type',
        message: `"${database.type}" cannot back a module: OVH modules only use a ${MODULE_DEPENDENCY_TYPES.join('/')} database`,
      },
    ];
  }
  return [];
}

function isDatabaseType(type: unknown): type is DatabaseType {
  return (DATABASE_TYPES as readonly unknown[]).includes(type);
}

function isModuleDependencyType(type: string): boolean {
  return (MODULE_DEPENDENCY_TYPES as readonly string[]).includes(type);
}

/**
 * An admin login the named CMS's installer would refuse (PrestaShop wants an e-mail address, Joomla! at least two
 * characters...), so it is refused before anything starts. A module given by catalog id is checked by preflight, once
 * the catalog says which CMS it is. Reads defensively, like moduleDatabaseIssues.
 */
export function moduleAdminNameIssues(input: unknown): InputIssue[] {
  if (!isRecord(input) || !isRecord(input.module)) return [];
  const { name, adminName } = input.module;
  if (typeof adminName !== 'string' || !(KNOWN_MODULE_NAMES as readonly unknown[]).includes(name)) return [];
  const issue = cmsAdminNameIssue(name as KnownModuleName, adminName);
  return issue ? [{ field: 'module.adminName', message: issue }] : [];
}

/** OVH deploys from Git only into an empty folder: a module installed in the same folder cannot be deployed over. */
export function moduleGitIssues(input: unknown): InputIssue[] {
  if (!isRecord(input) || input.module === undefined || input.git === undefined) return [];
  return [{ field: 'git', message: "cannot go with a module: OVH deploys from Git only into an empty folder, and the module's files would be there; deploy the CMS from your repository, or drop one of them" }];
}
