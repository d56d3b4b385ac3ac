// `ovhflow retry RUN --set database.capability=sqlPro`: an operator fixes what made a step fail without restarting
// the run. Parsed here, without zod, because the same function runs in three places: the CLI and the HTTP API (before
// sending the update) and the workflow's update validator (in the sandbox, where zod would cost every cached run its
// weight in memory). Each value is checked by the plain rule its field's zod schema is built from (./common.ts,
// ./values.ts, ./provision-site-rules.ts), so the three agree by construction; test/inputs/set-arguments.test.ts
// pins this against the zod patch schema and the full input parser.
import { ATTACHED_DOMAIN_OPTION_KEYS, ATTACHED_DOMAIN_OPTION_RULES, type AttachedDomainOptions } from './attached-domain.js';
import { normalizeAdminName, normalizeDatabaseUserSuffix, normalizeRelativePath } from './common.js';
import { type Checked, type InputIssue, type ParseResult, closest, dottedFieldName, quote, withoutUndefined } from './issues.js';
import type { KnownModuleName } from './modules.js';
import { DATABASE_CAPABILITIES, DATABASE_TYPES, MODULE_LANGUAGES, type ModuleLanguage } from './ovh-enums.js';
import {
  type DatabaseSpec,
  type ModuleSpec,
  type ProvisionSiteInput,
  type SslSpec,
  DEFAULT_DATABASE_CAPABILITY,
  DEFAULT_DATABASE_TYPE,
  SSL_MODES,
  STEP_DEADLINE_RULES,
  DNS_DEADLINE_RULES,
  checkDatabaseQuota,
  checkDatabaseVersion,
  databaseQuotaIssue,
  moduleAdminNameIssues,
  moduleDatabaseIssues,
  moduleRefIssue,
  normalizeKnownModuleName,
} from './provision-site-rules.js';
import { ID_RULES, checkEnum, checkWholeNumber } from './values.js';
import { DNS_MODES, type DnsMode } from '../dns.js';

/** The attached domain's options replace the run's one by one (see ./attached-domain.ts). */
export interface ProvisionSitePatch extends AttachedDomainOptions {
  path?: string;
  /** Merged into the run's database settings (a run without one gets the defaults plus these). */
  database?: Partial<DatabaseSpec>;
  /** Merged into the module settings; an `id` replaces a `name` and vice versa. */
  module?: { id?: number; name?: KnownModuleName; language?: ModuleLanguage; adminName?: string };
  /** Replaces the SSL settings as a whole. */
  ssl?: SslSpec;
  stepDeadlineMinutes?: number;
  dns?: DnsMode;
  dnsDeadlineMinutes?: number;
}

/** The keys `--set` accepts, as the CLI's help lists them. */
export const SETTABLE_KEYS = [
  'path',
  'database.type',
  'database.capability',
  'database.userSuffix',
  'database.quota',
  'database.version',
  'module',
  'module.id',
  'module.name',
  'module.language',
  'module.adminName',
  'ssl.mode',
  'stepDeadlineMinutes',
  'dns',
  'dnsDeadlineMinutes',
  ...ATTACHED_DOMAIN_OPTION_KEYS,
] as const;

const NUMERIC_KEYS = new Set<string>(['module.id', 'stepDeadlineMinutes', 'dnsDeadlineMinutes', 'runtimeId']);

const REFUSED_KEYS: Record<string, string> = {
  serviceName: 'identifies the run and cannot change on retry; abort this run and start a new one',
  domain: 'identifies the run and cannot change on retry; abort this run and start a new one',
  'ssl.certificate': 'certificate material cannot be passed with --set (a private key must not sit in shell history); send the ssl settings as a whole through the HTTP API',
  'ssl.key': 'certificate material cannot be passed with --set (a private key must not sit in shell history); send the ssl settings as a whole through the HTTP API',
  'ssl.chain': 'certificate material cannot be passed with --set (a private key must not sit in shell history); send the ssl settings as a whole through the HTTP API',
};

/** A text value checked by a text rule; `--set` values are always text, numbers only where the key is numeric. */
const text =
  <T>(check: (raw: string) => Checked<T>) =>
  (raw: unknown): Checked<T> =>
    typeof raw === 'string' ? check(raw) : { ok: false, message: 'must be text' };

/** Each settable key's rule, in the order the patch schema checks them (so issues come in the same order). */
const RULES: ReadonlyArray<[key: string, check: (raw: unknown) => Checked<unknown>]> = [
  ['path', text((raw) => normalizeRelativePath(raw))],
  ['database.type', (raw) => checkEnum(DATABASE_TYPES, raw)],
  ['database.capability', (raw) => checkEnum(DATABASE_CAPABILITIES, raw)],
  ['database.userSuffix', text(normalizeDatabaseUserSuffix)],
  ['database.quota', text(checkDatabaseQuota)],
  ['database.version', text(checkDatabaseVersion)],
  ['module.id', (raw) => checkWholeNumber(ID_RULES, raw)],
  ['module.name', text(normalizeKnownModuleName)],
  ['module.language', (raw) => checkEnum(MODULE_LANGUAGES, raw)],
  ['module.adminName', text(normalizeAdminName)],
  ['ssl.mode', (raw) => checkEnum(SSL_MODES, raw)],
  ['stepDeadlineMinutes', (raw) => checkWholeNumber(STEP_DEADLINE_RULES, raw)],
  ['dns', (raw) => checkEnum(DNS_MODES, raw)],
  ['dnsDeadlineMinutes', (raw) => checkWholeNumber(DNS_DEADLINE_RULES, raw)],
  ...ATTACHED_DOMAIN_OPTION_KEYS.map((key): [string, (raw: unknown) => Checked<unknown>] => [key, ATTACHED_DOMAIN_OPTION_RULES[key]]),
];

/**
 * `ovhflow retry RUN --set key=value ...` → a validated patch. Keys are dotted (`database.capability=sqlPro`);
 * unknown, refused, repeated or empty keys are issues named after the key.
 */
export function parseSetArguments(pairs: readonly string[]): ParseResult<ProvisionSitePatch> {
  if (!Array.isArray(pairs)) return { ok: false, issues: [{ field: '--set', message: 'must be a list of key=value' }] };
  const issues: InputIssue[] = [];
  const raw = new Map<string, unknown>();
  for (const pair of pairs as unknown[]) {
    if (typeof pair !== 'string') {
      issues.push({ field: '--set', message: 'each setting must be text of the form key=value' });
      continue;
    }
    const eq = pair.indexOf('=');
    if (eq < 0) {
      issues.push({ field: '--set', message: `${quote(pair)} is not of the form key=value (e.g. "path=www2")` });
      continue;
    }
    let key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (key in REFUSED_KEYS) {
      issues.push({ field: key, message: REFUSED_KEYS[key] ?? 'cannot be set' });
      continue;
    }
    if (!(SETTABLE_KEYS as readonly string[]).includes(key)) {
      const suggestion = closest(key, SETTABLE_KEYS);
      issues.push({
        field: key === '' ? '--set' : dottedFieldName(key),
        message: suggestion
          ? `is not a setting (did you mean "${suggestion}"?)`
          : `is not a setting; use one of ${SETTABLE_KEYS.join(', ')}`,
      });
      continue;
    }
    if (value === '') {
      issues.push({ field: key, message: 'has no value (write key=value)' });
      continue;
    }
    if (key === 'module') key = /^\d+$/.test(value) ? 'module.id' : 'module.name';
    if (raw.has(key)) {
      issues.push({ field: key, message: 'is set more than once' });
      continue;
    }
    if (key === 'ssl.mode' && value === 'custom') {
      raw.set(key, undefined);
      issues.push({ field: key, message: REFUSED_KEYS['ssl.certificate'] ?? '' });
      continue;
    }
    raw.set(key, NUMERIC_KEYS.has(key) && /^\d{1,15}$/.test(value) ? Number(value) : value);
  }
  if (issues.length > 0) return { ok: false, issues };

  const values = new Map<string, unknown>();
  for (const [key, check] of RULES) {
    if (!raw.has(key)) continue;
    const checked = check(raw.get(key));
    if (checked.ok) values.set(key, checked.value);
    else issues.push({ field: key, message: checked.message });
  }
  const section = (prefix: string) => {
    const entries = [...values].filter(([key]) => key.startsWith(`${prefix}.`)).map(([key, value]) => [key.slice(prefix.length + 1), value]);
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  };
  const module = section('module') as ProvisionSitePatch['module'];
  // As the zod patch schema does: the rule about the module object as a whole is checked when its fields passed, or
  // failed only a bound (a whole-number id out of range); any other failure of a field stops it.
  const moduleFieldFailed = issues.some((issue) => issue.field.startsWith('module.') && !(issue.field === 'module.id' && Number.isInteger(raw.get('module.id'))));
  const given = (key: string) => raw.has(key);
  if (!moduleFieldFailed && given('module.id') && given('module.name')) {
    issues.push({ field: 'module', message: 'set either the module id or its name, not both' });
  }
  if (issues.length > 0) return { ok: false, issues: orderLikeThePatchSchema(issues) };
  const ssl = section('ssl') as SslSpec | undefined;
  return {
    ok: true,
    value: withoutUndefined({
      path: values.get('path') as string | undefined,
      database: section('database') as Partial<DatabaseSpec> | undefined,
      module,
      ssl: ssl ? { mode: ssl.mode } as SslSpec : undefined,
      stepDeadlineMinutes: values.get('stepDeadlineMinutes') as number | undefined,
      dns: values.get('dns') as DnsMode | undefined,
      dnsDeadlineMinutes: values.get('dnsDeadlineMinutes') as number | undefined,
      ...Object.fromEntries(ATTACHED_DOMAIN_OPTION_KEYS.filter((key) => values.has(key)).map((key) => [key, values.get(key)])),
    }),
  };
}

/** Module issues (its fields, then the object rule) before ssl and the deadline, as the patch schema orders them. */
function orderLikeThePatchSchema(issues: InputIssue[]): InputIssue[] {
  const rank = (field: string) => {
    const at = RULES.findIndex(([key]) => key === field);
    return at >= 0 ? at : RULES.findIndex(([key]) => key === 'module.adminName') + 0.5;
  };
  return [...issues].sort((a, b) => rank(a.field) - rank(b.field));
}

/**
 * The run's input with a patch merged in, before it is judged: the database settings are merged (changing the
 * capability away from extraSqlPerso drops a quota that only applied to it), the module's settings too (an `id`
 * replaces a `name` and vice versa), the SSL settings replaced. `applyProvisionSitePatch` (zod) judges the result with
 * the full input parser; `correctProvisionSiteInput` with the rules a patch can break.
 */
export function mergeProvisionSitePatch(base: ProvisionSiteInput, patch: ProvisionSitePatch): Record<string, unknown> {
  let database: Partial<DatabaseSpec> | undefined = base.database;
  if (patch.database) {
    database = { ...(base.database ?? {}), ...patch.database };
    if (patch.database.capability !== undefined && patch.database.capability !== 'extraSqlPerso' && patch.database.quota === undefined) {
      delete database.quota;
    }
  }
  let module: Partial<ModuleSpec> | undefined = base.module;
  if (patch.module) {
    const { id: _id, name: _name, ...settings } = base.module ?? {};
    const ref = patch.module.id !== undefined || patch.module.name !== undefined ? {} : { id: _id, name: _name };
    module = withoutUndefined({ ...settings, ...ref, ...patch.module }) as Partial<ModuleSpec>;
  }
  return withoutUndefined({
    ...base,
    path: patch.path ?? base.path,
    database: database as DatabaseSpec | undefined,
    module,
    ssl: patch.ssl ?? base.ssl,
    stepDeadlineMinutes: patch.stepDeadlineMinutes ?? base.stepDeadlineMinutes,
    dns: patch.dns ?? base.dns,
    dnsDeadlineMinutes: patch.dnsDeadlineMinutes ?? base.dnsDeadlineMinutes,
    ...Object.fromEntries(ATTACHED_DOMAIN_OPTION_KEYS.map((key) => [key, patch[key] ?? base[key]])),
  } satisfies Record<string, unknown>);
}

/**
 * The run's input corrected by a patch from {@link parseSetArguments}, without zod: what a workflow's update validator
 * and its update handler use. Every field the patch carries was checked by its own rule already; what is left is
 * what the input parser adds to a merged input — the defaults of a database or module created by the patch, and the
 * rules between fields. Gives exactly what `applyProvisionSitePatch` gives (test/inputs/set-arguments.test.ts).
 */
export function correctProvisionSiteInput(base: ProvisionSiteInput, patch: ProvisionSitePatch): ParseResult<ProvisionSiteInput> {
  const merged = mergeProvisionSitePatch(base, patch) as Partial<ProvisionSiteInput>;
  const issues: InputIssue[] = [];
  let database: DatabaseSpec | undefined;
  if (merged.database) {
    database = withoutUndefined({ ...merged.database, type: merged.database.type ?? DEFAULT_DATABASE_TYPE, capability: merged.database.capability ?? DEFAULT_DATABASE_CAPABILITY });
    const quota = databaseQuotaIssue(database);
    if (quota) issues.push(quota);
  }
  let module: ModuleSpec | undefined;
  if (merged.module) {
    const ref = moduleRefIssue(merged.module);
    if (ref) issues.push(ref);
    const { id, name, language } = merged.module;
    const rest = withoutUndefined({ language, adminName: merged.module.adminName });
    module = (id !== undefined ? { id, ...rest } : { name, ...rest });
  }
  issues.push(...moduleDatabaseIssues({ database, module }), ...moduleAdminNameIssues({ module }));
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: withoutUndefined({ ...(merged as ProvisionSiteInput), database, module }) };
}
