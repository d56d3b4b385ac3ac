// Corrected inputs for `retry`: an operator fixes what made a step fail (`ovhflow retry RUN --set
// database.capability=sqlPro`) without restarting the run. The patch is validated on its own (the workflow's update
// validator rejects a bad one before it is recorded), and again once merged, so cross-field rules still hold.
import { z } from 'zod';
import { adminNameSchema, databaseUserSuffixSchema, idSchema, sitePathSchema } from './common.js';
import {
  type InputIssue,
  type ParseResult,
  closest,
  dottedFieldName,
  objectError,
  parseWith,
  quote,
  withoutUndefined,
} from './issues.js';
import type { KnownModuleName } from './modules.js';
import type { ModuleLanguage } from './ovh-enums.js';
import {
  type DatabaseSpec,
  type ModuleSpec,
  type ProvisionSiteInput,
  type SslSpec,
  databaseCapabilitySchema,
  databaseQuotaSchema,
  databaseTypeSchema,
  databaseVersionSchema,
  knownModuleNameSchema,
  moduleLanguageSchema,
  parseProvisionSiteInput,
  sslSpecSchema,
  stepDeadlineMinutesSchema,
} from './provision-site.js';

export interface ProvisionSitePatch {
  path?: string;
  /** Merged into the run's database settings (a run without one gets the defaults plus these). */
  database?: Partial<DatabaseSpec>;
  /** Merged into the module settings; an `id` replaces a `name` and vice versa. */
  module?: { id?: number; name?: KnownModuleName; language?: ModuleLanguage; adminName?: string };
  /** Replaces the SSL settings as a whole. */
  ssl?: SslSpec;
  stepDeadlineMinutes?: number;
}

export const provisionSitePatchSchema = z
  .strictObject(
    {
      path: sitePathSchema.optional(),
      database: z
        .strictObject(
          {
            type: databaseTypeSchema.optional(),
            capability: databaseCapabilitySchema.optional(),
            userSuffix: databaseUserSuffixSchema.optional(),
            quota: databaseQuotaSchema.optional(),
            version: databaseVersionSchema.optional(),
          },
          { error: objectError('an object of database settings to change') },
        )
        .optional(),
      module: z
        .strictObject(
          {
            id: idSchema.optional(),
            name: knownModuleNameSchema.optional(),
            language: moduleLanguageSchema.optional(),
            adminName: adminNameSchema.optional(),
          },
          { error: objectError('an object of module settings to change') },
        )
        .superRefine((module, ctx) => {
          if (module.id !== undefined && module.name !== undefined) {
            ctx.addIssue({ code: 'custom', message: 'set either the module id or its name, not both' });
          }
        })
        .optional(),
      ssl: sslSpecSchema.optional(),
      stepDeadlineMinutes: stepDeadlineMinutesSchema.optional(),
    },
    {
      error: (iss) =>
        iss.code === 'invalid_type' ? 'must be an object of the settings to change ({} for none)' : undefined,
    },
  )
  .transform(
    (patch): ProvisionSitePatch =>
      withoutUndefined({
        ...patch,
        database: patch.database && withoutUndefined(patch.database as Partial<DatabaseSpec>),
        module: patch.module && withoutUndefined(patch.module),
      }),
  );

/** A patch as an update carries it; `undefined` is no change. */
export function parseProvisionSitePatch(raw: unknown): ParseResult<ProvisionSitePatch> {
  return parseWith(provisionSitePatchSchema, raw ?? {});
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
] as const;

const NUMERIC_KEYS = new Set<string>(['module.id', 'stepDeadlineMinutes']);

const REFUSED_KEYS: Record<string, string> = {
  serviceName: 'identifies the run and cannot change on retry; abort this run and start a new one',
  domain: 'identifies the run and cannot change on retry; abort this run and start a new one',
  'ssl.certificate': 'certificate material cannot be passed with --set (a private key must not sit in shell history); send the ssl settings as a whole through the HTTP API',
  'ssl.key': 'certificate material cannot be passed with --set (a private key must not sit in shell history); send the ssl settings as a whole through the HTTP API',
  'ssl.chain': 'certificate material cannot be passed with --set (a private key must not sit in shell history); send the ssl settings as a whole through the HTTP API',
};

/**
 * `ovhflow retry RUN --set key=value ...` → a validated patch. Keys are dotted (`database.capability=sqlPro`);
 * unknown, refused, repeated or empty keys are issues named after the key.
 */
export function parseSetArguments(pairs: readonly string[]): ParseResult<ProvisionSitePatch> {
  if (!Array.isArray(pairs)) return { ok: false, issues: [{ field: '--set', message: 'must be a list of key=value' }] };
  const issues: InputIssue[] = [];
  const seen = new Set<string>();
  const raw: Record<string, unknown> = {};
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
    if (seen.has(key)) {
      issues.push({ field: key, message: 'is set more than once' });
      continue;
    }
    seen.add(key);
    if (key === 'ssl.mode' && value === 'custom') {
      issues.push({ field: key, message: REFUSED_KEYS['ssl.certificate'] ?? '' });
      continue;
    }
    const typed = NUMERIC_KEYS.has(key) && /^\d{1,15}$/.test(value) ? Number(value) : value;
    setDotted(raw, key, typed);
  }
  if (issues.length > 0) return { ok: false, issues };
  return parseProvisionSitePatch(raw);
}

function setDotted(target: Record<string, unknown>, key: string, value: unknown): void {
  const [head, tail] = key.split('.', 2) as [string, string | undefined];
  if (tail === undefined) {
    target[head] = value;
    return;
  }
  const inner = (target[head] ??= {}) as Record<string, unknown>;
  inner[tail] = value;
}

/**
 * The run's input with a patch applied, validated as a whole (a patch that is fine alone can still conflict, e.g. a
 * postgresql database under a module). Changing the capability away from extraSqlPerso drops a quota that only
 * applied to it.
 */
export function applyProvisionSitePatch(
  base: ProvisionSiteInput,
  patch: ProvisionSitePatch,
): ParseResult<ProvisionSiteInput> {
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
  return parseProvisionSiteInput(
    withoutUndefined({
      ...base,
      path: patch.path ?? base.path,
      database: database as DatabaseSpec | undefined,
      module,
      ssl: patch.ssl ?? base.ssl,
      stepDeadlineMinutes: patch.stepDeadlineMinutes ?? base.stepDeadlineMinutes,
    } satisfies Record<string, unknown>),
  );
}

