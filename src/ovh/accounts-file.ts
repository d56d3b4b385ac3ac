// Named OVH accounts: the accounts file (OVHFLOW_ACCOUNTS_FILE, JSON), plus the classic single account of the
// OVH_* environment variables (named `default`). Each account has its endpoint, its credentials — an application
// key, secret and consumer key, or a service account's OAuth2 client id and secret — and its own rate limit.
//
// Secrets are never written in the file: they are named — an environment variable (`applicationSecretEnv`) or a
// file (`consumerKeyFile`, e.g. a Docker/Kubernetes secret) — and read only by the worker, when it starts. The CLI
// and the HTTP API read the same file for the account NAMES alone (to validate `--account` before starting
// anything), so they never need, nor see, any account's secrets.
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import type { OvhSettings } from './settings.js';
import { accountNameIssue, DEFAULT_ACCOUNT_NAME, type AccountNames } from '../shared/accounts.js';

/** Where a secret is: an environment variable, a file, or (the OVH_* variables of the classic setup) a value. */
export type SecretSource = { env: string } | { file: string } | { value: string; setting: string };

export type AccountAuth =
  | { kind: 'classic'; applicationKey: string; applicationSecret: SecretSource; consumerKey?: SecretSource }
  | { kind: 'service-account'; clientId: string; clientSecret: SecretSource; tokenUrl?: string };

export interface AccountSettings {
  name: string;
  endpoint: string;
  auth: AccountAuth;
  /** The OVH account (NIC handle) the credentials belong to: names the service account's IAM identity. */
  nic?: string;
  caFile?: string;
  timeoutMs: number;
  /** This account's client-side rate limit (each OVH account has its own limit at OVH). */
  rateLimitPerSecond: number;
}

export interface AccountsSettings extends AccountNames {
  accounts: AccountSettings[];
  /** The accounts file, when one is configured (for messages). */
  file?: string;
}

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name');
const path = z.string().min(1, 'expected a file path');

/** An extra CA is for an endpoint of one's own (the simulator, a test proxy); OVH's are vouched for by the public roots. */
export const CA_FILE_ONLY_FOR_URLS = (endpoint: string) =>
  `only for an https:// endpoint (the simulator, a test proxy): ${endpoint} is OVH's public endpoint, whose certificate the public roots vouch for (an extra CA there could only let someone impersonate OVH)`;
const endpoint = z.string().regex(/^(ovh-eu|ovh-ca|ovh-us|https:\/\/.+)$/, 'must be ovh-eu, ovh-ca, ovh-us or an https:// URL');

// Inline secrets are refused by name, with the fix in the message: a file that holds secrets ends up in a repository.
const inlineSecret = (field: string) =>
  z.undefined({ error: `a secret is never written in the accounts file: use ${field}Env (an environment variable name) or ${field}File (a file path)` }).optional();

const accountSchema = z
  .object({
    endpoint,
    nic: z.string().regex(/^[A-Za-z0-9-]+$/, 'expected an OVH NIC handle such as ab1234-ovh').optional(),
    caFile: path.optional(),
    timeoutMs: z.number().int().min(1000).max(600_000).optional(),
    rateLimitPerSecond: z.number().min(0).max(1000).optional(),
    // Classic: the application key is an identifier, not a secret; its secret and the consumer key are.
    applicationKey: z.string().regex(/^\w+$/, 'letters and digits only').optional(),
    applicationKeyEnv: envName.optional(),
    applicationSecret: inlineSecret('applicationSecret'),
    applicationSecretEnv: envName.optional(),
    applicationSecretFile: path.optional(),
    consumerKey: inlineSecret('consumerKey'),
    consumerKeyEnv: envName.optional(),
    consumerKeyFile: path.optional(),
    // Service account: the client id is an identifier (it appears in IAM identities); the secret is a secret.
    clientId: z.string().regex(/^[\w.-]+$/, 'expected an OAuth2 client id such as EU.0123456789abcdef').optional(),
    clientIdEnv: envName.optional(),
    clientSecret: inlineSecret('clientSecret'),
    clientSecretEnv: envName.optional(),
    clientSecretFile: path.optional(),
    tokenUrl: z.string().regex(/^https:\/\/.+/, 'expected an https:// URL').optional(),
  })
  .strict();

const fileSchema = z
  .object({
    default: z.string().optional(),
    accounts: z.record(z.string(), accountSchema),
  })
  .strict();

type AccountEntry = z.infer<typeof accountSchema>;

/**
 * The accounts: the file's (when OVHFLOW_ACCOUNTS_FILE names one) and the classic OVH_* account as `default` (when
 * configured). Problems are pushed to `problems`, each naming the file and the field.
 */
export function loadAccounts(
  file: string | undefined,
  classic: OvhSettings | null,
  defaults: { timeoutMs: number; rateLimitPerSecond: number },
  problems: string[],
): AccountsSettings {
  const accounts: AccountSettings[] = [];
  if (classic) {
    const { applicationKey, applicationSecret, consumerKey, ...rest } = classic;
    accounts.push({
      name: DEFAULT_ACCOUNT_NAME,
      ...rest,
      auth: {
        kind: 'classic',
        applicationKey,
        applicationSecret: { value: applicationSecret, setting: 'OVH_APPLICATION_SECRET' },
        ...(consumerKey ? { consumerKey: { value: consumerKey, setting: 'OVH_CONSUMER_KEY' } } : {}),
      },
    });
  }
  let defaultAccount: string | undefined;
  if (file !== undefined) {
    const where = `OVHFLOW_ACCOUNTS_FILE (${file})`;
    const parsed = readAccountsFile(file, where, problems);
    if (parsed) {
      for (const [name, entry] of Object.entries(parsed.accounts)) {
        const nameIssue = accountNameIssue(name);
        if (nameIssue) problems.push(`${where}: accounts.${name}: ${nameIssue}`);
        else if (accounts.some((a) => a.name === name)) problems.push(`${where}: accounts.${name}: also configured by the OVH_* environment variables; rename one`);
        else {
          const account = accountOf(name, entry, defaults, `${where}: accounts.${name}`, problems);
          if (account) accounts.push(account);
        }
      }
      if (parsed.default !== undefined) {
        if (accounts.some((a) => a.name === parsed.default)) defaultAccount = parsed.default;
        else problems.push(`${where}: default: "${parsed.default}" is not one of the accounts (${accounts.map((a) => a.name).join(', ')})`);
      }
    }
  }
  const names = accounts.map((a) => a.name);
  // No account at all (the simulator of `ovhflow dev`, or a worker not configured yet): one `default` account.
  if (names.length === 0) return { defaultAccount: DEFAULT_ACCOUNT_NAME, names: [DEFAULT_ACCOUNT_NAME], accounts, ...(file ? { file } : {}) };
  defaultAccount ??= names.includes(DEFAULT_ACCOUNT_NAME) ? DEFAULT_ACCOUNT_NAME : names.length === 1 ? names[0] : undefined;
  return { ...(defaultAccount ? { defaultAccount } : {}), names, accounts, ...(file ? { file } : {}) };
}

function readAccountsFile(file: string, where: string, problems: string[]): z.infer<typeof fileSchema> | undefined {
  if (!existsSync(file)) {
    problems.push(`${where}: the file does not exist`);
    return undefined;
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    problems.push(`${where}: not valid JSON (${(error as Error).message})`);
    return undefined;
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${where}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    return undefined;
  }
  return parsed.data;
}

function accountOf(name: string, e: AccountEntry, defaults: { timeoutMs: number; rateLimitPerSecond: number }, where: string, problems: string[]): AccountSettings | undefined {
  const secret = (field: string, env: string | undefined, file: string | undefined): SecretSource | undefined => {
    if (env !== undefined && file !== undefined) problems.push(`${where}: ${field}Env and ${field}File: give one, not both`);
    return env !== undefined ? { env } : file !== undefined ? { file } : undefined;
  };
  const classic = e.applicationKey !== undefined || e.applicationKeyEnv !== undefined || e.applicationSecretEnv !== undefined || e.applicationSecretFile !== undefined;
  const service = e.clientId !== undefined || e.clientIdEnv !== undefined || e.clientSecretEnv !== undefined || e.clientSecretFile !== undefined;
  if (e.caFile && !e.endpoint.startsWith('https://')) problems.push(`${where}: caFile: ${CA_FILE_ONLY_FOR_URLS(e.endpoint)}`);
  const common = {
    name,
    endpoint: e.endpoint,
    ...(e.nic ? { nic: e.nic } : {}),
    ...(e.caFile ? { caFile: e.caFile } : {}),
    timeoutMs: e.timeoutMs ?? defaults.timeoutMs,
    rateLimitPerSecond: e.rateLimitPerSecond ?? defaults.rateLimitPerSecond,
  };
  if (classic && service) {
    problems.push(`${where}: either an application key (applicationKey, applicationSecretEnv|File, consumerKeyEnv|File) or a service account (clientId, clientSecretEnv|File), not both`);
    return undefined;
  }
  if (service) {
    const clientSecret = secret('clientSecret', e.clientSecretEnv, e.clientSecretFile);
    const clientId = e.clientId ?? (e.clientIdEnv ? `env:${e.clientIdEnv}` : undefined);
    if (!clientId) problems.push(`${where}: clientId: missing (the service account's OAuth2 client id, or clientIdEnv)`);
    if (!clientSecret) problems.push(`${where}: clientSecretEnv or clientSecretFile: missing (where the service account's client secret is)`);
    if (!clientId || !clientSecret) return undefined;
    return { ...common, auth: { kind: 'service-account', clientId, clientSecret, ...(e.tokenUrl ? { tokenUrl: e.tokenUrl } : {}) } };
  }
  const applicationSecret = secret('applicationSecret', e.applicationSecretEnv, e.applicationSecretFile);
  const consumerKey = secret('consumerKey', e.consumerKeyEnv, e.consumerKeyFile);
  const applicationKey = e.applicationKey ?? (e.applicationKeyEnv ? `env:${e.applicationKeyEnv}` : undefined);
  if (!applicationKey) problems.push(`${where}: applicationKey: missing (or clientId and clientSecretEnv|File for a service account)`);
  if (!applicationSecret) problems.push(`${where}: applicationSecretEnv or applicationSecretFile: missing (where the application secret is)`);
  if (!applicationKey || !applicationSecret) return undefined;
  return { ...common, auth: { kind: 'classic', applicationKey, applicationSecret, ...(consumerKey ? { consumerKey } : {}) } };
}

/** Reads a secret (worker start only). Pushes a problem naming the account and the variable or file when it cannot. */
export function readSecret(source: SecretSource, env: NodeJS.ProcessEnv, where: string, problems: string[]): string | undefined {
  if ('value' in source) return source.value;
  if ('env' in source) {
    const value = env[source.env];
    if (value === undefined || value === '') problems.push(`${where}: the environment variable ${source.env} is not set`);
    return value || undefined;
  }
  try {
    const value = readFileSync(source.file, 'utf8').trim();
    if (!value) problems.push(`${where}: ${source.file} is empty`);
    return value || undefined;
  } catch (error) {
    problems.push(`${where}: cannot read ${source.file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    return undefined;
  }
}

/** An identifier given inline or as `env:NAME` (applicationKeyEnv, clientIdEnv). */
export function readIdentifier(value: string, env: NodeJS.ProcessEnv, where: string, problems: string[]): string | undefined {
  return value.startsWith('env:') ? readSecret({ env: value.slice(4) }, env, where, problems) : value;
}
