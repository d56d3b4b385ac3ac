// Two process-wide things an OVH account brings must stay that account's:
// - its extra CA file is trusted for its own endpoint only — not for another account's endpoint, nor an OAuth2 token
//   endpoint elsewhere — and a CA file is refused with OVH's public endpoints;
// - its secrets (application secret, consumer key, client secret, the current access token) and the API token are
//   redacted from every log line, and stay so however many run secrets are registered after them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiServer } from '../../src/api/server.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logging/logger.js';
import { registerSecretValue } from '../../src/logging/secret-values.js';
import { OvhClient } from '../../src/ovh/client.js';
import { ClientCredentialsTokenSource } from '../../src/ovh/oauth2.js';
import { createRunService } from '../../src/runs/service.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { connectTestTemporal, TEST_KEYRING, uniqueTaskQueue } from '../support/temporal.js';

const CERTIFICATE_REFUSED = /certificate|self[- ]signed|unable to verify/i;

describe('an OVH account and the rest of the process', { timeout: 60_000 }, () => {
  let sim: TestSimulator;
  const lines: string[] = [];
  const logger = createLogger(
    'info',
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  );

  beforeAll(async () => {
    // This process trusts the simulator only through the accounts configured below (not the test helper's trust).
    sim = await startTestSimulator({ trustCa: false });
  });
  afterAll(async () => {
    await sim?.stop();
  });

  it("trusts an account's CA file for its own endpoint only, not another endpoint or token endpoint", async () => {
    const { port } = new URL(sim.url);
    // The same server under two names its certificate has: one account configures the CA for `localhost`.
    const trusting = new OvhClient({ endpoint: `https://localhost:${port}`, ...sim.credentials, caFile: sim.caFile, logger });
    expect((await trusting.listServices()).length).toBeGreaterThan(0);

    // Another account, at another endpoint, with no CA file: the first one's CA does not vouch for it.
    const other = new OvhClient({ endpoint: `https://127.0.0.1:${port}`, ...sim.credentials, logger });
    await expect(other.listServices()).rejects.toThrow(CERTIFICATE_REFUSED);
    // Nor for a service account's OAuth2 token endpoint there.
    const account = (await sim.admin('POST', '/service-accounts', { account: 'tr1234-ovh', name: 'trust' })) as { clientId: string; clientSecret: string };
    const tokens = new ClientCredentialsTokenSource({ ...account, tokenUrl: `https://127.0.0.1:${port}/auth/oauth2/token` });
    await expect(tokens.token()).rejects.toThrow(CERTIFICATE_REFUSED);
    // At the endpoint that has the CA, the token endpoint is trusted.
    const trustedTokens = new ClientCredentialsTokenSource({ ...account, tokenUrl: `https://localhost:${port}/auth/oauth2/token` });
    expect(await trustedTokens.token()).toMatch(/\S{16,}/);
  });

  it("refuses a CA file with OVH's public endpoints, in the environment, the accounts file and the client", () => {
    const base = { OVH_APPLICATION_KEY: 'appkey', OVH_APPLICATION_SECRET: 'appsecret', OVH_CA_FILE: sim.caFile };
    for (const endpoint of ['ovh-eu', 'ovh-ca', 'ovh-us']) {
      expect(() => loadConfig({ ...base, OVH_ENDPOINT: endpoint })).toThrow(`OVH_CA_FILE: only for an https:// endpoint (the simulator, a test proxy): ${endpoint} is OVH's public endpoint`);
    }
    expect(loadConfig({ ...base, OVH_ENDPOINT: sim.url }).ovh?.caFile).toBe(sim.caFile);
    const dir = mkdtempSync(join(tmpdir(), 'ovhflow-accounts-'));
    const file = join(dir, 'accounts.json');
    writeFileSync(file, JSON.stringify({ accounts: { eu: { endpoint: 'ovh-eu', caFile: sim.caFile, clientId: 'id', clientSecretEnv: 'EU_SECRET' } } }));
    expect(() => loadConfig({ OVHFLOW_ACCOUNTS_FILE: file, EU_SECRET: 'x'.repeat(32) })).toThrow(/caFile: only for an https:\/\/ endpoint .*ovh-eu is OVH's public endpoint/);
    expect(() => new OvhClient({ endpoint: 'ovh-eu', ...sim.credentials, caFile: sim.caFile, logger })).toThrow("a CA file is only for an https:// endpoint (a simulator, a test proxy), not for OVH's ovh-eu");
  });

  it('redacts the API token, application secret, consumer key, client secret and access token, even after thousands of run secrets', async () => {
    const { port } = new URL(sim.url);
    const account = (await sim.admin('POST', '/service-accounts', { account: 'rd1234-ovh', name: 'redact' })) as { clientId: string; clientSecret: string };
    new OvhClient({ endpoint: `https://localhost:${port}`, ...sim.credentials, caFile: sim.caFile, logger });
    const serviceAccount = new OvhClient({ endpoint: `https://localhost:${port}`, serviceAccount: account, caFile: sim.caFile, logger });
    // Its calls work (with an access token it fetched); what it holds is redacted below.
    expect(Array.isArray(await serviceAccount.listServices())).toBe(true);
    const accessToken = await new ClientCredentialsTokenSource({ ...account, tokenUrl: `https://localhost:${port}/auth/oauth2/token` }).token();
    const t = await connectTestTemporal();
    const apiToken = randomBytes(32).toString('base64url');
    const api = createApiServer({ runs: createRunService({ client: t.client, taskQueue: uniqueTaskQueue('redaction') }), keyring: TEST_KEYRING, token: apiToken, logger });
    try {
      // A long `ovhflow dev`: far more run secrets than the registry keeps.
      for (let i = 0; i < 5000; i++) registerSecretValue(`run-secret-${i}-${randomBytes(8).toString('hex')}`);
      const secrets = {
        apiToken,
        applicationSecret: sim.credentials.applicationSecret,
        consumerKey: sim.credentials.consumerKey,
        clientSecret: account.clientSecret,
        accessToken,
      };
      for (const [name, value] of Object.entries(secrets)) logger.warn({ quoted: { deep: value } }, `${name} is ${value}`);
      const written = lines.join('');
      for (const [name, value] of Object.entries(secrets)) expect(written.includes(value), name).toBe(false);
      expect(written.match(/is \[redacted\]/g)?.length).toBe(Object.keys(secrets).length);
    } finally {
      await api.close();
      await t.close();
    }
  });
});
