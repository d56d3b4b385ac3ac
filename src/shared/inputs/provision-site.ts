// provisionSite's input: what the CLI, the HTTP API and `retry --set` accept, and the normalized value the workflow
// runs with. Parsing is total (never throws) and happens before anything is started, so a bad input costs zero writes.
import { z } from 'zod';
import { defaultSitePath } from './common.js';
import { adminNameSchema, databaseUserSuffixSchema, domainSchema, idSchema, serviceNameSchema, sitePathSchema, wholeNumberSchema } from './field-schemas.js';
import { type ParseResult, withoutUndefined } from './issues.js';
import { KNOWN_MODULE_NAMES, type KnownModuleName } from './modules.js';
import { attachedDomainOptionsOf, checkBooleanText } from './attached-domain.js';
import {
  ATTACHED_DOMAIN_CDN_STATES,
  ATTACHED_DOMAIN_FIREWALL_STATES,
  DATABASE_CAPABILITIES,
  DATABASE_QUOTAS,
  DATABASE_TYPES,
  DATABASE_VERSIONS,
  HOSTING_COUNTRIES,
  MODULE_LANGUAGES,
  type ModuleLanguage,
} from './ovh-enums.js';
import {
  type DatabaseSpec,
  type ModuleSpec,
  type ProvisionSiteInput,
  type SslSpec,
  DEFAULT_DATABASE_CAPABILITY,
  DEFAULT_DATABASE_TYPE,
  DEFAULT_SSL,
  SSL_MODES,
  STEP_DEADLINE_RULES,
  DNS_DEADLINE_RULES,
  checkDatabaseQuota,
  checkDatabaseVersion,
  databaseQuotaIssue,
  moduleAdminNameIssues,
  moduleDatabaseIssues,
  moduleGitIssues,
  moduleRefIssue,
  normalizeKnownModuleName,
} from './provision-site-rules.js';
import { enumError } from './values.js';
import { phpSettingsSchema } from './php-config.js';
import { envVarSettingsSchema } from './env-vars.js';
import { siteGitSchema } from './deploy.js';
import { siteCronJobsSchema } from './cron.js';
import { DNS_MODES } from '../dns.js';
import { checkedString, objectError, parseWith } from './zod-parse.js';

// ---------------------------------------------------------------------------------------------------------------
// Field schemas (exported for `retry --set` and for anyone checking one field)

export const databaseTypeSchema = z.enum(DATABASE_TYPES, { error: enumError(DATABASE_TYPES) });
export const databaseCapabilitySchema = z.enum(DATABASE_CAPABILITIES, { error: enumError(DATABASE_CAPABILITIES) });
export const moduleLanguageSchema = z.enum(MODULE_LANGUAGES, { error: enumError(MODULE_LANGUAGES) });

/** OVH's quota enum is a `long`; accept 256 and "256" alike. */
export const databaseQuotaSchema = z
  .union([z.number(), z.string()], { error: enumError(DATABASE_QUOTAS) })
  .transform((raw, ctx) => {
    const quota = checkDatabaseQuota(raw);
    if (quota.ok) return quota.value;
    ctx.addIssue({ code: 'custom', message: quota.message, input: raw });
    return z.NEVER;
  });

/** Versions are text in OVH's enum ("8.0"); a JSON number such as 5.7 is accepted, 8.0 (= 8) is not. */
export const databaseVersionSchema = z
  .union([z.string(), z.number()], { error: enumError(DATABASE_VERSIONS) })
  .transform((raw, ctx) => {
    const version = checkDatabaseVersion(raw);
    if (version.ok) return version.value;
    ctx.addIssue({ code: 'custom', message: version.message, input: raw });
    return z.NEVER;
  });

// The attached domain's options (hosting.web.AttachedDomain), by the rules of ./attached-domain.ts.
export const attachedDomainCdnSchema = z.enum(ATTACHED_DOMAIN_CDN_STATES, { error: enumError(ATTACHED_DOMAIN_CDN_STATES) });
export const attachedDomainFirewallSchema = z.enum(ATTACHED_DOMAIN_FIREWALL_STATES, { error: enumError(ATTACHED_DOMAIN_FIREWALL_STATES) });
export const ipLocationSchema = z.enum(HOSTING_COUNTRIES, { error: enumError(HOSTING_COUNTRIES) });
export const booleanSchema = z
  .union([z.boolean(), z.string()], { error: 'must be true or false' })
  .transform((raw, ctx) => {
    const checked = checkBooleanText(raw);
    if (checked.ok) return checked.value;
    ctx.addIssue({ code: 'custom', message: checked.message, input: raw });
    return z.NEVER;
  });

/** Every option of `POST`/`PUT attachedDomain` but the domain, path and ssl; each optional. */
export const attachedDomainOptionFields = {
  cdn: attachedDomainCdnSchema.optional(),
  firewall: attachedDomainFirewallSchema.optional(),
  ownLog: domainSchema.optional(),
  runtimeId: idSchema.optional(),
  ipLocation: ipLocationSchema.optional(),
  bypassDNSConfiguration: booleanSchema.optional(),
};

export const knownModuleNameSchema = checkedString(normalizeKnownModuleName, `a module name (${KNOWN_MODULE_NAMES.join(', ')})`);

export const stepDeadlineMinutesSchema = wholeNumberSchema(STEP_DEADLINE_RULES);
export const dnsModeSchema = z.enum(DNS_MODES, { error: enumError(DNS_MODES) });
export const dnsDeadlineMinutesSchema = wholeNumberSchema(DNS_DEADLINE_RULES);

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
    if (databaseQuotaIssue(db)) ctx.addIssue({ code: 'custom', path: ['quota'], message: databaseQuotaIssue(db)?.message ?? '' });
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
    const issue = moduleRefIssue(module);
    if (issue) ctx.addIssue({ code: 'custom', message: issue.message });
  });

/** `{ name | id, language?, adminName? }`; the shorthand `"wordpress"` or `123` names just the module. */
export const moduleSpecSchema = z
  .preprocess((raw) => {
    if (typeof raw === 'number') return { id: raw };
    if (typeof raw === 'string') return /^\s*\d+\s*$/.test(raw) ? { id: Number(raw) } : { name: raw };
    return raw;
  }, moduleObjectSchema)
  .transform((module): ModuleSpec => {
    const rest = withoutUndefined({ language: module.language, adminName: module.adminName }) as { language?: ModuleLanguage; adminName?: string };
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
      dns: dnsModeSchema.optional(),
      dnsDeadlineMinutes: dnsDeadlineMinutesSchema.optional(),
      php: phpSettingsSchema.optional(),
      env: envVarSettingsSchema.optional(),
      git: siteGitSchema.optional(),
      cron: siteCronJobsSchema.optional(),
      ...attachedDomainOptionFields,
    },
    { error: objectError('an object with at least "serviceName" and "domain"') },
  )
  // Cross-field rules run even when another field failed, so one submission shows every problem; hence the
  // defensive reads (a failed field's value is not its normalized type).
  .superRefine(
    (input: unknown, ctx) => {
      for (const issue of [...moduleDatabaseIssues(input), ...moduleAdminNameIssues(input), ...moduleGitIssues(input)]) {
        ctx.addIssue({ code: 'custom', path: issue.field.split('.'), message: issue.message });
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
        dns: input.dns,
        dnsDeadlineMinutes: input.dnsDeadlineMinutes,
        php: input.php,
        env: input.env && input.env.length > 0 ? input.env : undefined,
        git: input.git,
        cron: input.cron && input.cron.length > 0 ? input.cron : undefined,
        ...attachedDomainOptionsOf(input),
      }),
  );

/** What callers may send (before defaults and normalization). */
export type ProvisionSiteRequest = z.input<typeof provisionSiteInputSchema>;

export function parseProvisionSiteInput(raw: unknown): ParseResult<ProvisionSiteInput> {
  return parseWith(provisionSiteInputSchema, raw);
}

