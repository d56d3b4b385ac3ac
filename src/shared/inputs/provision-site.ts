// provisionSite's input: what the CLI, the HTTP API and `retry --set` accept, and the normalized value the workflow
// runs with. Parsing is total (never throws) and happens before anything is started, so a bad input costs zero writes.
import { z } from 'zod';
import {
  adminNameSchema,
  databaseUserSuffixSchema,
  defaultSitePath,
  domainSchema,
  idSchema,
  serviceNameSchema,
  sitePathSchema,
} from './common.js';
import {
  type ParseResult,
  checkedString,
  closest,
  isRecord,
  objectError,
  parseWith,
  quote,
  withoutUndefined,
} from './issues.js';
import { KNOWN_MODULE_NAMES, type KnownModuleName } from './modules.js';
import {
  DATABASE_CAPABILITIES,
  DATABASE_QUOTAS,
  DATABASE_TYPES,
  DATABASE_VERSIONS,
  type DatabaseCapability,
  type DatabaseQuota,
  type DatabaseType,
  type DatabaseVersion,
  MODULE_DEPENDENCY_TYPES,
  MODULE_LANGUAGES,
  type ModuleLanguage,
} from './ovh-enums.js';

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
  adminName: string;
};

export interface CustomCertificate {
  certificate: string;
  key: string;
  chain?: string;
}

export type SslSpec = { mode: 'letsencrypt' } | ({ mode: 'custom' } & CustomCertificate) | { mode: 'none' };
export type SslMode = SslSpec['mode'];
export const SSL_MODES = ['letsencrypt', 'custom', 'none'] as const satisfies readonly SslMode[];

export interface ProvisionSiteInput {
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
}

export const DEFAULT_DATABASE_TYPE: DatabaseType = 'mysql';
export const DEFAULT_DATABASE_CAPABILITY: DatabaseCapability = 'sqlPerso';
export const DEFAULT_ADMIN_NAME = 'admin';
export const DEFAULT_SSL: SslSpec = { mode: 'letsencrypt' };
/** A week: longer than any OVH task should take, short enough that a forgotten run is noticed. */
export const MAX_STEP_DEADLINE_MINUTES = 7 * 24 * 60;

// ---------------------------------------------------------------------------------------------------------------
// Field schemas (exported for `retry --set` and for anyone checking one field)

function enumError(values: readonly (string | number)[]) {
  return (iss: { input?: unknown }) => {
    const allowed = values.map((v) => JSON.stringify(v)).join(', ');
    const got = iss.input;
    if (got === undefined) return `is required; use one of ${allowed}`;
    const shown = typeof got === 'string' ? quote(got) : typeof got === 'number' ? String(got) : 'this value';
    const suggestion = typeof got === 'string' ? closest(got, values.map(String)) : undefined;
    return `${shown} is not allowed; use one of ${allowed}${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`;
  };
}

export const databaseTypeSchema = z.enum(DATABASE_TYPES, { error: enumError(DATABASE_TYPES) });
export const databaseCapabilitySchema = z.enum(DATABASE_CAPABILITIES, { error: enumError(DATABASE_CAPABILITIES) });
export const moduleLanguageSchema = z.enum(MODULE_LANGUAGES, { error: enumError(MODULE_LANGUAGES) });

/** OVH's quota enum is a `long`; accept 256 and "256" alike. */
export const databaseQuotaSchema = z
  .union([z.number(), z.string()], { error: enumError(DATABASE_QUOTAS) })
  .transform((raw, ctx): DatabaseQuota => {
    const value = typeof raw === 'number' ? raw : /^\d{1,6}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN;
    const quota = DATABASE_QUOTAS.find((q) => q === value);
    if (quota !== undefined) return quota;
    ctx.addIssue({ code: 'custom', message: enumError(DATABASE_QUOTAS)({ input: raw }), input: raw });
    return z.NEVER;
  });

/** Versions are text in OVH's enum ("8.0"); a JSON number such as 5.7 is accepted, 8.0 (= 8) is not. */
export const databaseVersionSchema = z
  .union([z.string(), z.number()], { error: enumError(DATABASE_VERSIONS) })
  .transform((raw, ctx): DatabaseVersion => {
    const text = typeof raw === 'number' ? String(raw) : raw.trim();
    const version = DATABASE_VERSIONS.find((v) => v === text);
    if (version !== undefined) return version;
    const hint = typeof raw === 'number' ? ' (write the version as text, e.g. "8.0")' : '';
    ctx.addIssue({ code: 'custom', message: `${enumError(DATABASE_VERSIONS)({ input: raw })}${hint}`, input: raw });
    return z.NEVER;
  });

export const knownModuleNameSchema = checkedString((raw) => {
  const name = raw.trim().toLowerCase();
  const known = KNOWN_MODULE_NAMES.find((candidate) => candidate === name);
  if (known) return { ok: true as const, value: known };
  const suggestion = closest(name, KNOWN_MODULE_NAMES);
  return {
    ok: false as const,
    message:
      `${quote(raw)} is not a module name ovhflow knows${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; ` +
      `use ${KNOWN_MODULE_NAMES.join(', ')}, or give another module's catalog id ("ovhflow ls modules")`,
  };
}, `a module name (${KNOWN_MODULE_NAMES.join(', ')})`);

export const stepDeadlineMinutesSchema = z
  .number({ error: (iss) => (iss.input === undefined ? 'is required (minutes)' : 'must be a number of minutes') })
  .int('must be a whole number of minutes')
  .min(1, 'must be at least 1 minute')
  .max(MAX_STEP_DEADLINE_MINUTES, `must be at most ${MAX_STEP_DEADLINE_MINUTES} minutes (a week)`);

export const databaseSpecSchema = z
  .strictObject(
    {
      type: databaseTypeSchema.default(DEFAULT_DATABASE_TYPE),
      capability: databaseCapabilitySchema.default(DEFAULT_DATABASE_CAPABILITY),
      userSuffix: databaseUserSuffixSchema.optional(),
      quota: databaseQuotaSchema.optional(),
      version: databaseVersionSchema.optional(),
    },
    { error: objectError('an object such as { "type": "mysql", "capability": "sqlPerso" }, or {} for the defaults') },
  )
  .superRefine((db, ctx) => {
    if (db.quota !== undefined && db.capability !== 'extraSqlPerso') {
      ctx.addIssue({
        code: 'custom',
        path: ['quota'],
        message: `only applies to extraSqlPerso databases (capability is "${db.capability}"); remove it or set capability to "extraSqlPerso"`,
      });
    }
  })
  .transform((db): DatabaseSpec => withoutUndefined(db));

const moduleObjectSchema = z
  .strictObject(
    {
      id: idSchema.optional(),
      name: knownModuleNameSchema.optional(),
      language: moduleLanguageSchema.optional(),
      adminName: adminNameSchema.optional(),
    },
    { error: objectError('{ "name": "wordpress" } or { "id": 123 }, optionally with "language" and "adminName"') },
  )
  .superRefine((module, ctx) => {
    if (module.id !== undefined && module.name !== undefined) {
      ctx.addIssue({ code: 'custom', message: 'give either "id" or "name", not both' });
    } else if (module.id === undefined && module.name === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `give the module's "name" (${KNOWN_MODULE_NAMES.join(', ')}) or its catalog "id"`,
      });
    }
  });

/** `{ name | id, language?, adminName? }`; the shorthand `"wordpress"` or `123` names just the module. */
export const moduleSpecSchema = z
  .preprocess((raw) => {
    if (typeof raw === 'number') return { id: raw };
    if (typeof raw === 'string') return /^\s*\d+\s*$/.test(raw) ? { id: Number(raw) } : { name: raw };
    return raw;
  }, moduleObjectSchema)
  .transform((module): ModuleSpec => {
    const rest = withoutUndefined({
      language: module.language,
      adminName: module.adminName ?? DEFAULT_ADMIN_NAME,
    }) as { language?: ModuleLanguage; adminName: string };
    if (module.id !== undefined) return { id: module.id, ...rest };
    return { name: module.name as KnownModuleName, ...rest };
  });

const MAX_CERTIFICATE_LENGTH = 64 * 1024;
const MAX_KEY_LENGTH = 16 * 1024;
const MAX_CHAIN_LENGTH = 256 * 1024;
const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function pemText(check: (text: string) => string | undefined, maxLength: number, what: string) {
  // Messages here never quote the value: it may be a private key pasted anywhere.
  return z
    .string({ error: (iss) => (iss.input === undefined ? `is required (${what})` : `must be ${what} as text`) })
    .transform((raw, ctx) => {
      if (raw.length > maxLength) {
        ctx.addIssue({ code: 'custom', message: `is ${raw.length} characters long; at most ${maxLength}`, input: '' });
        return z.NEVER;
      }
      const text = raw.replace(/\r\n/g, '\n').trim();
      const problem = check(text);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem, input: '' });
        return z.NEVER;
      }
      return text;
    });
}

export const certificatePemSchema = pemText(
  (text) => {
    if (text.includes('PRIVATE KEY')) return 'contains a private key; put the certificate here and the key in "key"';
    const blocks = text.match(CERTIFICATE_BLOCK)?.length ?? 0;
    if (blocks === 0) return 'is not a PEM certificate (expected a "BEGIN CERTIFICATE" block)';
    if (blocks > 1) {
      return `contains ${blocks} certificates; put only the site's certificate here and the intermediates in "chain"`;
    }
    return undefined;
  },
  MAX_CERTIFICATE_LENGTH,
  'a PEM certificate',
);

export const privateKeyPemSchema = pemText(
  (text) => {
    if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text)) {
      return 'is encrypted with a passphrase; give the unencrypted private key';
    }
    if (!/-----BEGIN (RSA |EC )?PRIVATE KEY-----[\s\S]+-----END (RSA |EC )?PRIVATE KEY-----/.test(text)) {
      return text.includes('CERTIFICATE')
        ? 'contains a certificate, not a private key'
        : 'is not a PEM private key (expected a "BEGIN PRIVATE KEY" block)';
    }
    return undefined;
  },
  MAX_KEY_LENGTH,
  'a PEM private key',
);

export const chainPemSchema = pemText(
  (text) => {
    if (text.includes('PRIVATE KEY')) return 'contains a private key; the chain holds only intermediate certificates';
    if ((text.match(CERTIFICATE_BLOCK)?.length ?? 0) === 0) {
      return 'is not a PEM certificate chain (expected "BEGIN CERTIFICATE" blocks)';
    }
    return undefined;
  },
  MAX_CHAIN_LENGTH,
  'PEM certificates',
);

const sslModeSchema = z.enum(SSL_MODES, { error: enumError(SSL_MODES) });

const sslObjectSchema = z
  .strictObject(
    {
      mode: sslModeSchema,
      certificate: certificatePemSchema.optional(),
      key: privateKeyPemSchema.optional(),
      chain: chainPemSchema.optional(),
    },
    { error: objectError('{ "mode": "letsencrypt" | "custom" | "none" }, with certificate and key for "custom"') },
  )
  .superRefine((ssl, ctx) => {
    const material = (['certificate', 'key', 'chain'] as const).filter((field) => ssl[field] !== undefined);
    if (ssl.mode === 'custom') {
      for (const field of ['certificate', 'key'] as const) {
        if (ssl[field] === undefined) {
          ctx.addIssue({ code: 'custom', path: [field], message: `is required when mode is "custom"` });
        }
      }
    } else {
      for (const field of material) {
        ctx.addIssue({ code: 'custom', path: [field], message: `only applies when mode is "custom" (mode is "${ssl.mode}")` });
      }
    }
  });

/** `{ mode, certificate?, key?, chain? }`; the shorthand `"none"` or `"letsencrypt"` gives just the mode. */
export const sslSpecSchema = z
  .preprocess((raw) => (typeof raw === 'string' ? { mode: raw } : raw), sslObjectSchema)
  .transform((ssl): SslSpec => {
    if (ssl.mode !== 'custom') return { mode: ssl.mode };
    return withoutUndefined({
      mode: 'custom' as const,
      certificate: ssl.certificate ?? '',
      key: ssl.key ?? '',
      chain: ssl.chain,
    });
  });

// ---------------------------------------------------------------------------------------------------------------
// The whole input

export const provisionSiteInputSchema = z
  .strictObject(
    {
      serviceName: serviceNameSchema,
      domain: domainSchema,
      path: sitePathSchema.optional(),
      database: databaseSpecSchema.optional(),
      module: moduleSpecSchema.optional(),
      ssl: sslSpecSchema.default(DEFAULT_SSL),
      stepDeadlineMinutes: stepDeadlineMinutesSchema.optional(),
    },
    { error: objectError('an object with at least "serviceName" and "domain"') },
  )
  // Cross-field rules run even when another field failed, so one submission shows every problem; hence the
  // defensive reads (a failed field's value is not its normalized type).
  .superRefine(
    (input: unknown, ctx) => {
      if (!isRecord(input) || input.module === undefined) return;
      const database = input.database;
      if (database === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['database'],
          message: 'is required when a module is installed (the module needs a MySQL database); give {} for the defaults',
        });
      } else if (isRecord(database) && isDatabaseType(database.type) && !isModuleDependencyType(database.type)) {
        // An unknown type has its own issue already; this one is only for a real type a module cannot use.
        ctx.addIssue({
          code: 'custom',
          path: ['database', 'type'],
          message: `"${database.type}" cannot back a module: OVH modules only use a ${MODULE_DEPENDENCY_TYPES.join('/')} database`,
        });
      }
    },
    { when: () => true },
  )
  .transform(
    (input): ProvisionSiteInput =>
      withoutUndefined({
        serviceName: input.serviceName,
        domain: input.domain,
        path: input.path ?? defaultSitePath(input.domain),
        database: input.database,
        module: input.module,
        ssl: input.ssl,
        stepDeadlineMinutes: input.stepDeadlineMinutes,
      }),
  );

/** What callers may send (before defaults and normalization). */
export type ProvisionSiteRequest = z.input<typeof provisionSiteInputSchema>;

export function parseProvisionSiteInput(raw: unknown): ParseResult<ProvisionSiteInput> {
  return parseWith(provisionSiteInputSchema, raw);
}

// ---------------------------------------------------------------------------------------------------------------

function isDatabaseType(type: unknown): type is DatabaseType {
  return (DATABASE_TYPES as readonly unknown[]).includes(type);
}

function isModuleDependencyType(type: string): boolean {
  return (MODULE_DEPENDENCY_TYPES as readonly string[]).includes(type);
}
