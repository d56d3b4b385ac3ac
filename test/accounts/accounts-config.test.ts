// The accounts file's validation (every problem names the file, the account and the field), the secrets a worker
// reads when it starts, the IAM actions derived from the vendored schema, and the OAuth2 token of a service account
// (cached, refreshed before it expires, a refused client a permanent error) against the simulator.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { createAccountRouter } from '../../src/ovh/account-router.js';
import { OvhClient } from '../../src/ovh/client.js';
import { OvhApiError } from '../../src/ovh/errors.js';
import { iamActionsOfOperation, operationsWithoutIamActions, requiredIamActions } from '../../src/ovh/iam-actions.js';
import { ovhOperations } from '../../src/ovh/operations.js';
import { resolveAccount, UnknownAccountError } from '../../src/shared/accounts.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';

const dir = mkdtempSync(join(tmpdir(), 'ovhflow-accounts-config-'));
const logger = createLogger('silent');

function accountsFile(content: unknown): string {
  const path = join(dir, `accounts-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('the accounts file', () => {
  it('names the file, the account and the field of every problem', () => {
    const file = accountsFile({
      default: 'missing',
      accounts: {
        inline: { endpoint: 'ovh-eu', applicationKey: 'abc', applicationSecret: 'oops', consumerKeyFile: '/run/secrets/ck' },
        'bad name!': { endpoint: 'ovh-eu' },
        both: { endpoint: 'ovh-eu', applicationKey: 'abc', applicationSecretEnv: 'S', clientId: 'EU.1', clientSecretEnv: 'T' },
        http: { endpoint: 'http://plain', clientId: 'EU.1', clientSecretEnv: 'T' },
        neither: { endpoint: 'ovh-ca', clientId: 'EU.1' },
        twice: { endpoint: 'ovh-us', applicationKey: 'abc', applicationSecretEnv: 'S', applicationSecretFile: '/x' },
      },
    });
    const problems = problemsOf({ OVHFLOW_ACCOUNTS_FILE: file });
    const where = `OVHFLOW_ACCOUNTS_FILE (${file})`;
    expect(problems).toEqual(
      expect.arrayContaining([
        `${where}: accounts.inline.applicationSecret: a secret is never written in the accounts file: use applicationSecretEnv (an environment variable name) or applicationSecretFile (a file path)`,
        `${where}: accounts.http.endpoint: must be ovh-eu, ovh-ca, ovh-us or an https:// URL`,
      ]),
    );
    // The schema stops at the first file-level problems; fixed, the next layer speaks.
    const second = accountsFile({
      default: 'missing',
      accounts: {
        'bad name!': { endpoint: 'ovh-eu', applicationKey: 'abc', applicationSecretEnv: 'S' },
        both: { endpoint: 'ovh-eu', applicationKey: 'abc', applicationSecretEnv: 'S', clientId: 'EU.1', clientSecretEnv: 'T' },
        neither: { endpoint: 'ovh-ca', clientId: 'EU.1' },
        twice: { endpoint: 'ovh-us', applicationKey: 'abc', applicationSecretEnv: 'S', applicationSecretFile: '/x' },
      },
    });
    const w2 = `OVHFLOW_ACCOUNTS_FILE (${second})`;
    expect(problemsOf({ OVHFLOW_ACCOUNTS_FILE: second })).toEqual([
      `${w2}: accounts.bad name!: "bad name!" is not an account name (letters, digits, . _ - ; at most 63 characters)`,
      `${w2}: accounts.both: either an application key (applicationKey, applicationSecretEnv|File, consumerKeyEnv|File) or a service account (clientId, clientSecretEnv|File), not both`,
      `${w2}: accounts.neither: clientSecretEnv or clientSecretFile: missing (where the service account's client secret is)`,
      `${w2}: accounts.twice: applicationSecretEnv and applicationSecretFile: give one, not both`,
      `${w2}: default: "missing" is not one of the accounts (twice)`,
    ]);
    expect(problemsOf({ OVHFLOW_ACCOUNTS_FILE: join(dir, 'nowhere.json') })).toEqual([`OVHFLOW_ACCOUNTS_FILE (${join(dir, 'nowhere.json')}): the file does not exist`]);
    expect(problemsOf({ OVHFLOW_ACCOUNTS_FILE: accountsFile('{ nope') })[0]).toMatch(/not valid JSON/);
  });

  it('the classic variables are the account `default`; a name clash with the file is refused', () => {
    const classic = { OVH_ENDPOINT: 'ovh-eu', OVH_APPLICATION_KEY: 'ak', OVH_APPLICATION_SECRET: 'as', OVH_CONSUMER_KEY: 'ck' };
    const file = accountsFile({ accounts: { b: { endpoint: 'ovh-eu', clientId: 'EU.1', clientSecretFile: '/run/secrets/b' } } });
    const config = loadConfig({ ...classic, OVHFLOW_ACCOUNTS_FILE: file });
    expect(config.accounts).toMatchObject({ defaultAccount: 'default', names: ['default', 'b'] });
    // Only the secret's source is kept; the file is not read until a worker starts.
    expect(config.accounts.accounts[1]?.auth).toEqual({ kind: 'service-account', clientId: 'EU.1', clientSecret: { file: '/run/secrets/b' } });
    // Without the classic variables and several accounts, there is no default: a run must name one.
    const several = loadConfig({ OVHFLOW_ACCOUNTS_FILE: accountsFile({ accounts: { a: { endpoint: 'ovh-eu', clientId: 'EU.1', clientSecretEnv: 'A' }, b: { endpoint: 'ovh-eu', clientId: 'EU.2', clientSecretEnv: 'B' } } }) });
    expect(several.accounts.defaultAccount).toBeUndefined();
    expect(() => resolveAccount(several.accounts, undefined)).toThrow(new UnknownAccountError('--account: several OVH accounts are configured (a, b) and none is the default: name one'));
    expect(resolveAccount(several.accounts, 'b')).toBe('b');
    expect(problemsOf({ ...classic, OVHFLOW_ACCOUNTS_FILE: accountsFile({ accounts: { default: { endpoint: 'ovh-eu', clientId: 'EU.1', clientSecretEnv: 'A' } } }) })[0]).toContain(
      'accounts.default: also configured by the OVH_* environment variables; rename one',
    );
    // Nothing configured (the simulator of `ovhflow dev`): one account, `default`, as before accounts existed.
    expect(loadConfig({}).accounts).toMatchObject({ defaultAccount: 'default', names: ['default'] });
  });

  it('a worker reads every secret when it starts, and names the account and the variable or file it cannot read', () => {
    const file = accountsFile({
      accounts: {
        a: { endpoint: 'ovh-eu', clientId: 'EU.1', clientSecretEnv: 'A_SECRET' },
        b: { endpoint: 'ovh-eu', applicationKey: 'ak', applicationSecretFile: join(dir, 'absent'), consumerKeyEnv: 'B_CK' },
      },
    });
    const { accounts } = loadConfig({ OVHFLOW_ACCOUNTS_FILE: file });
    expect(() => createAccountRouter(accounts.accounts, accounts.defaultAccount, logger, {})).toThrow(
      [
        'Invalid OVH account configuration:',
        '  - OVH account "a": the environment variable A_SECRET is not set',
        `  - OVH account "b": cannot read ${join(dir, 'absent')} (ENOENT)`,
        '  - OVH account "b": the environment variable B_CK is not set',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'absent'), 'app-secret\n');
    const router = createAccountRouter(accounts.accounts, accounts.defaultAccount, logger, { A_SECRET: 'x', B_CK: 'y' });
    expect(router.names).toEqual(['a', 'b']);
    expect(router.clientFor('a').authKind).toBe('service-account');
    expect(router.clientFor('b').authKind).toBe('classic');
    expect(() => router.clientFor('c')).toThrow('this worker has no OVH account named "c" (it has: a, b)');
  });
});

describe('IAM actions, from the vendored schema', () => {
  it('every operation a service account makes has IAM actions in the schema', () => {
    expect(operationsWithoutIamActions()).toEqual([]);
    const needed = requiredIamActions();
    // Matched by method and path, not copied: e.g. attaching a domain is the schema's attachedDomain/create.
    expect(iamActionsOfOperation({ method: 'POST', path: '/hosting/web/{serviceName}/attachedDomain' })).toEqual(['webHosting:apiovh:attachedDomain/create']);
    expect(needed.find((n) => n.action === 'webHosting:apiovh:get')?.operations).toEqual(['listServices', 'getService']);
    // Each needed action is needed by an operation the code calls, and every such operation is covered.
    const called = ovhOperations().filter((o) => !o.noAuthentication && !o.notCalled && !o.consumerKeyOnly).map((o) => o.name);
    expect([...new Set(needed.flatMap((n) => n.operations))].sort()).toEqual([...called].sort());
  });
});

describe('a service account OAuth2 token', () => {
  let sim: TestSimulator;
  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(async () => {
    await sim?.stop();
  });

  const tokenRequests = async () => (await sim.requests()).filter((r) => r.path === '/auth/oauth2/token').length;

  it('is fetched once, shared, refreshed before it expires; a refused client is a permanent error that says so', async () => {
    await sim.config({ oauth2TokenTtlSec: 2 });
    const account = (await sim.admin('POST', '/service-accounts', { account: 'tk1234-ovh', name: 'w' })) as { clientId: string; clientSecret: string };
    const client = new OvhClient({ endpoint: sim.url, serviceAccount: account, logger });
    const before = await tokenRequests();
    await Promise.all([client.listServices(), client.listServices(), client.listServices()]);
    expect(await tokenRequests()).toBe(before + 1);
    // Two-second tokens are refreshed at half their life: a call a second and a bit later fetches a new one.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await client.listServices();
    expect(await tokenRequests()).toBe(before + 2);

    const refused = new OvhClient({ endpoint: sim.url, serviceAccount: { clientId: account.clientId, clientSecret: 'wrong' }, logger });
    const error = await refused.listServices().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OvhApiError);
    expect(error).toMatchObject({ kind: 'invalidCredentials', httpStatus: 401 });
    expect((error as OvhApiError).message).toContain("the service account's OAuth2 token was refused: invalid_client (Client authentication failed); check its client id and secret");
    expect((error as OvhApiError).transient).toBe(false);
    await sim.config({ oauth2TokenTtlSec: 3600 });
  });
});
