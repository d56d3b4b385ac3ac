// The fleet file: every site of every account, declared on the names people use (domain + path, database name,
// login), never on OVH's ids. YAML for people, validated with zod, with a JSON Schema (`ovhflow fleet schema`) for
// editor completion. Secrets are references (`env:NAME`, `file:PATH`) resolved by whoever applies: a plaintext
// password in the file is refused, so the file can live in git.
import yaml from 'js-yaml';
import { z } from 'zod';
import { accountNameIssue } from '../shared/accounts.js';
import { DNS_MODES } from '../shared/dns.js';
import { normalizeRelativePath, normalizeServiceName } from '../shared/inputs/common.js';
import {
  adminNameSchema,
  databaseNameSchema,
  databaseUserSuffixSchema,
  domainSchema,
  ftpLoginSchema,
  homePathSchema,
  idSchema,
  sitePathSchema,
} from '../shared/inputs/field-schemas.js';
import { type InputIssue, type ParseResult } from '../shared/inputs/issues.js';
import {
  ATTACHED_DOMAIN_CDN_STATES,
  ATTACHED_DOMAIN_FIREWALL_STATES,
  DATABASE_CAPABILITIES,
  DATABASE_TYPES,
  HOSTING_COUNTRIES,
  MODULE_LANGUAGES,
  PHP_CONTAINERS,
  PHP_ENGINES,
  PHP_ENVIRONMENTS,
  PHP_HTTP_FIREWALLS,
  PHP_VERSIONS,
  SSH_STATES,
} from '../shared/inputs/ovh-enums.js';
import { databaseQuotaSchema, databaseVersionSchema, knownModuleNameSchema } from '../shared/inputs/provision-site.js';
import { cronJobSpecSchema } from '../shared/inputs/cron.js';
import { siteGitSchema } from '../shared/inputs/deploy.js';
import { envVarNameIssue, envVarValueIssue } from '../shared/inputs/env-vars.js';
import { enumError } from '../shared/inputs/values.js';
import { parseWith } from '../shared/inputs/zod-parse.js';

export const FLEET_FILE_VERSION = 1;

const SECRET_REFERENCE = /^(env:[A-Za-z_][A-Za-z0-9_]*|file:\S.*)$/;
export const PLAINTEXT_REFUSED =
  'a plaintext secret is not allowed in a fleet file (it would end up in git): write a reference, env:NAME (an environment variable of whoever applies) or file:PATH (a file)';

/** A secret by reference. The message never repeats the value: it may be a real password. */
export const secretReferenceSchema = z
  .string({ error: 'must be a secret reference such as env:DB_PASSWORD or file:/run/secrets/db' })
  .refine((raw) => SECRET_REFERENCE.test(raw), { message: PLAINTEXT_REFUSED })
  .describe('a secret reference: env:NAME or file:PATH, never the secret itself');

const fileReferenceSchema = z
  .string()
  .regex(/^file:\S.*$/, 'must be a file reference such as file:certs/shop.pem')
  .describe('file:PATH');

const enumOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: enumError(values) });

export const phpSettingsFields = {
  engineName: enumOf(PHP_ENGINES).optional(),
  // YAML reads `engineVersion: 8.3` as a number, and 8.0 as 8: both mean the version a person wrote.
  engineVersion: z
    .union([z.string(), z.number()], { error: enumError(PHP_VERSIONS) })
    .transform((raw) => (typeof raw === 'number' ? (Number.isInteger(raw) ? raw.toFixed(1) : String(raw)) : raw))
    .pipe(enumOf(PHP_VERSIONS))
    .optional(),
  environment: enumOf(PHP_ENVIRONMENTS).optional(),
  httpFirewall: enumOf(PHP_HTTP_FIREWALLS).optional(),
  container: enumOf(PHP_CONTAINERS).optional(),
};
const phpSchema = z.strictObject(phpSettingsFields).describe("the folder's .ovhconfig; a setting left out is not managed");

const databaseFields = {
  type: enumOf(DATABASE_TYPES).optional(),
  capability: enumOf(DATABASE_CAPABILITIES).optional(),
  version: databaseVersionSchema.optional(),
  quota: databaseQuotaSchema.optional(),
  userSuffix: databaseUserSuffixSchema.optional(),
  password: secretReferenceSchema.optional(),
};
const siteDatabaseSchema = z
  .strictObject({ name: databaseNameSchema.optional(), ...databaseFields })
  .describe('the database the CMS module uses; without a name, provisioning creates one');
const serviceDatabaseSchema = z.strictObject({ name: databaseNameSchema, ...databaseFields });

const moduleSchema = z
  .strictObject({
    name: knownModuleNameSchema.optional(),
    id: idSchema.optional(),
    language: enumOf(MODULE_LANGUAGES).optional(),
    adminName: adminNameSchema.optional(),
    adminPassword: secretReferenceSchema.optional(),
  })
  .refine((module) => (module.name === undefined) !== (module.id === undefined), { message: 'give the module a name (such as wordpress) or a catalog id, one of them' });

const CERTIFICATE_SHAPES = 'must be letsencrypt, none, or { mode: custom, certificate: file:…, key: env:…|file:… }';
const certificateSchema = z.union([
  // Text first checked as text: an object then fails this branch on its type, and zod reports the object's own issue.
  z
    .string({ error: CERTIFICATE_SHAPES })
    .pipe(z.enum(['letsencrypt', 'none'], { error: CERTIFICATE_SHAPES }))
    .describe('letsencrypt or none'),
  z.strictObject({ mode: z.literal('custom'), certificate: fileReferenceSchema, key: secretReferenceSchema, chain: fileReferenceSchema.optional() }),
]);

// An environment variable as `env set NAME[:TYPE]=VALUE` takes it: a plain value is a string variable; an integer is
// `{ type: integer, value }`; a password's value is a secret reference, never the password.
const ENV_SHAPES = 'must be a value, { type: integer, value: 42 } or { type: password, value: env:NAME }';
const plainEnvValueSchema = z.union([z.string(), z.number()], { error: ENV_SHAPES }).transform(String);
const envVarSchema = z.union([
  // A scalar first checked as a scalar: an object then fails this branch on its type, and zod reports its own issue.
  plainEnvValueSchema.transform((value) => ({ type: 'string' as const, value })).describe('a string variable'),
  z.discriminatedUnion(
    'type',
    [
      z.strictObject({ type: z.literal('string'), value: plainEnvValueSchema }),
      z.strictObject({ type: z.literal('integer'), value: plainEnvValueSchema }),
      z.strictObject({ type: z.literal('password'), value: secretReferenceSchema }),
    ],
    { error: 'type must be string, integer or password' },
  ),
], { error: ENV_SHAPES });
const envSchema = z
  .record(z.string(), envVarSchema)
  .superRefine((variables, ctx) => {
    for (const [name, variable] of Object.entries(variables)) {
      const nameIssue = envVarNameIssue(name);
      if (nameIssue) ctx.addIssue({ code: 'custom', path: [name], message: nameIssue });
      // A reference is checked when it is read (apply); a value written here is checked now.
      const valueIssue = variable.type === 'password' ? undefined : envVarValueIssue(variable.type, variable.value);
      if (valueIssue) ctx.addIssue({ code: 'custom', path: [name, 'value'], message: valueIssue });
    }
  })
  .describe('environment variables of the hosting, by name: VALUE, { type: integer, value }, or { type: password, value: env:NAME }');

const cronSchema = z
  .array(cronJobSpecSchema)
  .describe('cron jobs of the hosting, each known by its command (a script relative to the home, with its arguments)');

export const siteSchema = z.strictObject({
  domain: domainSchema,
  path: sitePathSchema.optional().describe('the folder the domain serves, relative to the home (default: the domain name)'),
  ssl: z.boolean().optional().describe('HTTPS on this attached domain'),
  cdn: enumOf(ATTACHED_DOMAIN_CDN_STATES).optional(),
  firewall: enumOf(ATTACHED_DOMAIN_FIREWALL_STATES).optional(),
  ownLog: domainSchema.optional(),
  runtimeId: idSchema.optional(),
  ipLocation: enumOf(HOSTING_COUNTRIES).optional(),
  bypassDNSConfiguration: z.boolean().optional().describe('sent when the domain is attached; OVH does not report it back'),
  dns: enumOf(DNS_MODES).optional().describe('how provisioning makes the domain point at the hosting (auto, check, skip)'),
  certificate: certificateSchema.optional(),
  database: siteDatabaseSchema.optional(),
  module: moduleSchema.optional(),
  php: phpSchema.optional(),
  git: siteGitSchema.optional().describe("the site's folder deployed from a GitHub repository's branch"),
});

const userSchema = z.strictObject({
  login: ftpLoginSchema,
  home: homePathSchema,
  sshState: enumOf(SSH_STATES).optional(),
  password: secretReferenceSchema.optional(),
});

const folderPhpSchema = z.strictObject({ path: z.string().describe('the folder, relative to the home ("" for the home itself)'), ...phpSettingsFields });

export const serviceSchema = z.strictObject({
  sites: z.array(siteSchema).optional(),
  databases: z.array(serviceDatabaseSchema).optional().describe('databases no site of the file uses'),
  php: z.array(folderPhpSchema).optional().describe('.ovhconfig of folders no site of the file serves'),
  users: z.array(userSchema).optional().describe('FTP/SSH users (not the primary login)'),
  env: envSchema.optional(),
  cron: cronSchema.optional(),
});

const accountSchema = z.strictObject({ services: z.record(z.string(), serviceSchema) });

export const fleetFileSchema = z
  .strictObject({
    version: z.literal(FLEET_FILE_VERSION),
    accounts: z.record(z.string(), accountSchema),
  })
  .superRefine((file, ctx) => {
    for (const [account, { services }] of Object.entries(file.accounts)) {
      const accountIssue = accountNameIssue(account);
      if (accountIssue) ctx.addIssue({ code: 'custom', path: ['accounts', account], message: accountIssue });
      const domainsSeen = new Map<string, string>();
      for (const [serviceName, service] of Object.entries(services)) {
        const at = ['accounts', account, 'services', serviceName];
        const name = normalizeServiceName(serviceName);
        if (!name.ok) ctx.addIssue({ code: 'custom', path: at, message: name.message });
        (service.sites ?? []).forEach((site, index) => {
          const other = domainsSeen.get(site.domain);
          if (other !== undefined) ctx.addIssue({ code: 'custom', path: [...at, 'sites', index, 'domain'], message: `${site.domain} is declared twice (also in ${other}): a domain is one site` });
          domainsSeen.set(site.domain, serviceName);
        });
        duplicates((service.users ?? []).map((u) => u.login), (index, login) => ctx.addIssue({ code: 'custom', path: [...at, 'users', index, 'login'], message: `${login} is declared twice` }));
        duplicates((service.cron ?? []).map((job) => job.command), (index, command) => ctx.addIssue({ code: 'custom', path: [...at, 'cron', index, 'command'], message: `"${command}" is declared twice: a job is known by its command` }));
        duplicates((service.databases ?? []).map((d) => d.name), (index, db) => ctx.addIssue({ code: 'custom', path: [...at, 'databases', index, 'name'], message: `${db} is declared twice` }));
        (service.php ?? []).forEach((folder, index) => {
          const checked = normalizeRelativePath(folder.path, { allowRoot: true });
          if (!checked.ok && folder.path !== '') ctx.addIssue({ code: 'custom', path: [...at, 'php', index, 'path'], message: checked.message });
        });
      }
    }
  });

function duplicates(values: string[], report: (index: number, value: string) => void): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) report(index, value);
    seen.add(value);
  });
}

export type FleetFile = z.output<typeof fleetFileSchema>;
export type FleetService = z.output<typeof serviceSchema>;
export type FleetSite = z.output<typeof siteSchema>;
export type FleetUser = z.output<typeof userSchema>;
export type FleetPhp = z.output<typeof phpSchema>;
export type FleetFolderPhp = z.output<typeof folderPhpSchema>;
export type FleetDatabase = z.output<typeof siteDatabaseSchema>;
export type FleetModule = z.output<typeof moduleSchema>;
export type FleetEnvVar = z.output<typeof envVarSchema>;
export type FleetCronJob = z.output<typeof cronJobSpecSchema>;
export type FleetGit = z.output<typeof siteGitSchema>;

/** YAML (or JSON, which is YAML) to a checked fleet file; never throws. */
export function parseFleetFile(text: string, source = 'fleet file'): ParseResult<FleetFile> {
  let raw: unknown;
  try {
    // JSON_SCHEMA: no YAML 1.1 surprises (`no` as false, 010 as octal), no custom tags.
    raw = yaml.load(text, { schema: yaml.JSON_SCHEMA, filename: source });
  } catch (error) {
    const mark = (error as { mark?: { line: number; column: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error as Error).message;
    return { ok: false, issues: [{ field: source, message: `is not valid YAML${mark ? ` (line ${mark.line + 1}, column ${mark.column + 1})` : ''}: ${reason}` }] };
  }
  if (raw === null || raw === undefined) return { ok: false, issues: [{ field: source, message: 'is empty: a fleet file starts with `version: 1` and `accounts:`' }] };
  return parseFleetValue(raw);
}

/** An already-parsed value (an HTTP body sent as JSON) to a checked fleet file. */
export function parseFleetValue(raw: unknown): ParseResult<FleetFile> {
  return parseWith(fleetFileSchema, raw);
}

/** The file's JSON Schema, what `ovhflow fleet schema` prints (editors: `# yaml-language-server: $schema=…`). */
export function fleetJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(fleetFileSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  return { ...schema, title: 'ovhflow fleet file', description: 'Every site of every OVH account, declared on natural keys; secrets as env:NAME or file:PATH references.' };
}

const HEADER = `# ovhflow fleet file: \`ovhflow plan FILE\` shows what would change (nothing is written).
# Secrets are references (env:NAME or file:PATH), never values. Schema: \`ovhflow fleet schema\`.
`;

export function renderFleetFile(file: FleetFile): string {
  return `${HEADER}${yaml.dump(file, { indent: 2, lineWidth: 120, noRefs: true, quotingType: '"' })}`;
}

export type { InputIssue };
