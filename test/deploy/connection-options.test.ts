// Remote Temporal: the options loadConfig + temporalConnectionOptions build for TLS, mTLS, an API key or a client
// config profile, the clear errors for wrong certificates and keys, and a real mTLS connection (client and worker)
// through a TLS endpoint that requires a client certificate, in front of the suite's dev server.
import { mkdirSync, writeFileSync } from 'node:fs';
import { connect as netConnect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { connectClient } from '../../src/runs/temporal-client.js';
import { describeConnection, temporalConnectionOptions } from '../../src/temporal/connection-options.js';
import { connectWorkerConnection } from '../../src/worker.js';
import { createLogger } from '../../src/logging/logger.js';
import { TEST_KEYRING } from '../support/temporal.js';
import { createTestPki, derOf, sec1Pem, type Issued, type TestPki } from './support/certificates.js';

function optionsFrom(env: Record<string, string>) {
  return temporalConnectionOptions(loadConfig(env).temporal);
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('Temporal connection options from configuration', () => {
  let pki: TestPki;
  let client: Issued;
  let otherPki: TestPki;
  let otherClient: Issued;

  beforeAll(async () => {
    pki = await createTestPki('ovhflow test CA');
    client = await pki.issue('ovhflow-worker');
    otherPki = await createTestPki('some other CA');
    otherClient = await otherPki.issue('ovhflow-worker');
  });
  afterAll(() => {
    pki?.remove();
    otherPki?.remove();
  });

  it('is a plain connection to localhost:7233 when nothing is configured', () => {
    expect(optionsFrom({})).toEqual({ address: 'localhost:7233', namespace: 'default' });
    expect(loadConfig({}).temporal.connection).toBeUndefined();
  });

  it('turns TLS on with TEMPORAL_TLS=true alone (publicly trusted server)', () => {
    expect(optionsFrom({ TEMPORAL_ADDRESS: 'temporal.example.com:7233', TEMPORAL_TLS: 'true' })).toEqual({
      address: 'temporal.example.com:7233',
      namespace: 'default',
      tls: true,
    });
  });

  it('trusts a private CA and checks the server name given by TEMPORAL_TLS_SERVER_NAME', () => {
    const options = optionsFrom({ TEMPORAL_ADDRESS: '10.0.0.5:7233', TEMPORAL_TLS_CA: pki.ca.certFile, TEMPORAL_TLS_SERVER_NAME: 'temporal.internal' });
    expect(options.tls).toEqual({ serverNameOverride: 'temporal.internal', serverRootCACertificate: Buffer.from(pki.ca.certPem) });
    expect(describeConnection(options)).toMatchObject({ tls: 'on', auth: 'none' });
  });

  it('sends a client certificate for mTLS (PKCS#8 or SEC1 keys)', () => {
    const options = optionsFrom({ TEMPORAL_TLS_CERT: client.certFile, TEMPORAL_TLS_KEY: client.keyFile, TEMPORAL_TLS_CA: pki.ca.certFile });
    expect(options.tls).toMatchObject({ clientCertPair: { crt: Buffer.from(client.certPem), key: Buffer.from(client.keyPem) } });
    expect(describeConnection(options)).toMatchObject({ tls: 'mutual', auth: 'client-certificate' });

    const sec1 = pki.file('sec1-key.pem', sec1Pem(client.keyPem));
    expect(optionsFrom({ TEMPORAL_TLS_CERT: client.certFile, TEMPORAL_TLS_KEY: sec1 }).tls).toMatchObject({ clientCertPair: { key: Buffer.from(sec1Pem(client.keyPem)) } });
  });

  it('uses an API key over TLS (Temporal Cloud) and never shows the key in what it logs', () => {
    const options = optionsFrom({ TEMPORAL_ADDRESS: 'eu-west-1.aws.api.temporal.io:7233', TEMPORAL_NAMESPACE: 'ovhflow.a1b2c', TEMPORAL_API_KEY: 'secret-api-key-value' });
    expect(options).toEqual({ address: 'eu-west-1.aws.api.temporal.io:7233', namespace: 'ovhflow.a1b2c', tls: true, apiKey: 'secret-api-key-value' });
    const described = describeConnection(options);
    expect(described).toEqual({ address: 'eu-west-1.aws.api.temporal.io:7233', namespace: 'ovhflow.a1b2c', tls: 'on', auth: 'api-key' });
    expect(JSON.stringify(described)).not.toContain('secret-api-key-value');
  });

  it('refuses an API key on a connection with TLS turned off, and certificates with TEMPORAL_TLS=false', () => {
    const problems = problemsOf(() => optionsFrom({ TEMPORAL_TLS: 'false', TEMPORAL_API_KEY: 'k', TEMPORAL_TLS_CA: pki.ca.certFile }));
    expect(problems).toEqual([
      'TEMPORAL_TLS=false contradicts TEMPORAL_TLS_CA: remove one or the other',
      'TEMPORAL_API_KEY needs TLS (it would be sent in clear text): remove TEMPORAL_TLS=false',
    ]);
    expect(problemsOf(() => loadConfig({ TEMPORAL_TLS: 'maybe' })).join('\n')).toContain('TEMPORAL_TLS: expected true or false');
  });

  it('names an unreadable certificate file, a file that is not PEM, and a DER certificate', () => {
    const garbage = pki.file('garbage.pem', 'this is not a certificate\n');
    const der = pki.file('ca.der', derOf(pki.ca.certPem));
    const problems = problemsOf(() => optionsFrom({ TEMPORAL_TLS_CERT: join(pki.dir, 'missing.pem'), TEMPORAL_TLS_KEY: garbage, TEMPORAL_TLS_CA: der }));
    expect(problems).toEqual([
      `TEMPORAL_TLS_CERT: cannot read ${join(pki.dir, 'missing.pem')} (no such file)`,
      `TEMPORAL_TLS_KEY: ${garbage} is not a PEM file: expected a "-----BEGIN PRIVATE KEY-----" block`,
      `TEMPORAL_TLS_CA: ${der} is not a PEM file: expected a "-----BEGIN CERTIFICATE-----" block (it looks like DER: convert it with \`openssl x509 -inform der -in FILE -out FILE.pem\`)`,
    ]);
  });

  it('says when the key does not belong to the certificate, or the two files are swapped', () => {
    const mismatch = problemsOf(() => optionsFrom({ TEMPORAL_TLS_CERT: client.certFile, TEMPORAL_TLS_KEY: otherClient.keyFile }));
    expect(mismatch).toEqual([
      `TEMPORAL_TLS_KEY (${otherClient.keyFile}) is not the private key of the certificate in TEMPORAL_TLS_CERT (${client.certFile}, subject "CN=ovhflow-worker")`,
    ]);
    const swapped = problemsOf(() => optionsFrom({ TEMPORAL_TLS_CERT: client.keyFile, TEMPORAL_TLS_KEY: client.certFile }));
    expect(swapped).toEqual([
      `TEMPORAL_TLS_CERT: ${client.keyFile} holds no certificate (found a "PRIVATE KEY" block: is it the key file?)`,
      `TEMPORAL_TLS_KEY: ${client.certFile} holds no private key (found a "CERTIFICATE" block: is it the certificate file?)`,
    ]);
  });

  it('refuses a certificate without its key, an expired certificate and a passphrase-protected key', async () => {
    expect(problemsOf(() => optionsFrom({ TEMPORAL_TLS_CERT: client.certFile }))).toEqual(['TEMPORAL_TLS_CERT is set without a private key: set TEMPORAL_TLS_KEY too']);
    expect(problemsOf(() => optionsFrom({ TEMPORAL_TLS_KEY: client.keyFile }))).toEqual(['TEMPORAL_TLS_KEY is set without a certificate: set TEMPORAL_TLS_CERT too']);

    const expired = await pki.issue('expired-worker', { notBeforeDays: -10, validDays: 2 });
    expect(problemsOf(() => optionsFrom({ TEMPORAL_TLS_CERT: expired.certFile, TEMPORAL_TLS_KEY: expired.keyFile }))).toEqual([
      expect.stringMatching(new RegExp(`^TEMPORAL_TLS_CERT: the certificate in ${expired.certFile} expired on \\d{4}-`)),
    ]);

    const encrypted = pki.file('encrypted-key.pem', '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n');
    expect(problemsOf(() => optionsFrom({ TEMPORAL_TLS_CERT: client.certFile, TEMPORAL_TLS_KEY: encrypted }))[0]).toContain('is encrypted with a passphrase');
  });

  it('reads a Temporal client config profile, with ovhflow variables overriding it', () => {
    const configFile = pki.file(
      'temporal.toml',
      [
        '[profile.default]',
        'address = "localhost:7233"',
        '',
        '[profile.prod]',
        'address = "temporal.prod.internal:7233"',
        'namespace = "ovhflow-prod"',
        '[profile.prod.tls]',
        `client_cert_path = "${client.certFile}"`,
        `client_key_path = "${client.keyFile}"`,
        `server_ca_cert_data = """${pki.ca.certPem}"""`,
        'server_name = "temporal.prod.internal"',
        '[profile.prod.grpc_meta]',
        'x-team = "hosting-ops"',
        '',
      ].join('\n'),
    );
    const config = loadConfig({ TEMPORAL_PROFILE: 'prod', TEMPORAL_CONFIG_FILE: configFile });
    expect(config.temporal).toMatchObject({ address: 'temporal.prod.internal:7233', namespace: 'ovhflow-prod' });
    const options = temporalConnectionOptions(config.temporal);
    expect(options).toMatchObject({
      address: 'temporal.prod.internal:7233',
      namespace: 'ovhflow-prod',
      tls: { serverNameOverride: 'temporal.prod.internal', serverRootCACertificate: Buffer.from(pki.ca.certPem), clientCertPair: { crt: Buffer.from(client.certPem) } },
      metadata: { 'x-team': 'hosting-ops' },
    });

    const overridden = loadConfig({ TEMPORAL_PROFILE: 'prod', TEMPORAL_CONFIG_FILE: configFile, TEMPORAL_NAMESPACE: 'staging', TEMPORAL_TLS_SERVER_NAME: 'other.internal' });
    expect(overridden.temporal.namespace).toBe('staging');
    expect(temporalConnectionOptions(overridden.temporal).tls).toMatchObject({ serverNameOverride: 'other.internal' });

    // A profile's inline certificate data is checked like a file's.
    const broken = pki.file('broken.toml', '[profile.prod]\n[profile.prod.tls]\nserver_ca_cert_data = "not a certificate"\n');
    expect(problemsOf(() => optionsFrom({ TEMPORAL_PROFILE: 'prod', TEMPORAL_CONFIG_FILE: broken }))).toEqual([
      'profile prod tls.server_ca_cert_data: inline data is not a PEM file: expected a "-----BEGIN CERTIFICATE-----" block',
    ]);
  });

  it('reports a missing profile, a missing config file and unknown keys clearly', () => {
    const configFile = pki.file('only-default.toml', '[profile.default]\naddress = "localhost:7233"\n');
    expect(problemsOf(() => loadConfig({ TEMPORAL_PROFILE: 'prod', TEMPORAL_CONFIG_FILE: configFile }))).toEqual([
      `TEMPORAL_PROFILE "prod": cannot load it from ${configFile} (Profile 'prod' not found in config data)`,
    ]);
    expect(problemsOf(() => loadConfig({ TEMPORAL_CONFIG_FILE: join(pki.dir, 'nope.toml') }))).toEqual([
      `TEMPORAL_PROFILE: cannot load it from ${join(pki.dir, 'nope.toml')} (${join(pki.dir, 'nope.toml')} does not exist)`,
    ]);
    const typo = pki.file('typo.toml', '[profile.default]\nadress = "x:1"\n');
    expect(problemsOf(() => loadConfig({ TEMPORAL_CONFIG_FILE: typo }))[0]).toContain('unrecognized in profile.default: adress');
  });

  it('ignores a client config file in the home folder unless TEMPORAL_PROFILE or TEMPORAL_CONFIG_FILE asks for it', () => {
    const home = join(pki.dir, 'home');
    mkdirSync(join(home, '.config', 'temporalio'), { recursive: true });
    writeFileSync(join(home, '.config', 'temporalio', 'temporal.toml'), '[profile.default]\naddress = "somewhere.else:7233"\napi_key = "k"\n');
    expect(optionsFrom({ HOME: home })).toEqual({ address: 'localhost:7233', namespace: 'default' });
    expect(optionsFrom({ HOME: home, TEMPORAL_PROFILE: 'default' })).toMatchObject({ address: 'somewhere.else:7233', apiKey: 'k', tls: true });
  });

  describe('through a TLS endpoint that requires a client certificate', () => {
    let proxy: TlsServer;
    let proxyAddress: string;

    beforeAll(async () => {
      // TLS terminated here and the gRPC bytes relayed to the dev server, as a load balancer in front of a cluster
      // would do; the handshake demands a client certificate issued by the test CA.
      const server = await pki.issue('temporal.test', { kind: 'server' });
      const [upstreamHost, upstreamPort] = inject('temporalAddress').split(':') as [string, string];
      proxy = createTlsServer(
        { key: server.keyPem, cert: server.certPem, ca: [pki.ca.certPem], requestCert: true, rejectUnauthorized: true, ALPNProtocols: ['h2'] },
        (socket) => {
          const upstream = netConnect(Number(upstreamPort), upstreamHost);
          socket.pipe(upstream).pipe(socket);
          socket.on('error', () => upstream.destroy());
          upstream.on('error', () => socket.destroy());
        },
      );
      proxy.on('tlsClientError', () => undefined);
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      proxyAddress = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
    });

    const mtlsEnv = (cert: Issued) => ({
      TEMPORAL_ADDRESS: proxyAddress,
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      TEMPORAL_TLS_CERT: cert.certFile,
      TEMPORAL_TLS_KEY: cert.keyFile,
      TEMPORAL_TLS_CA: pki.ca.certFile,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.test',
    });

    it('connects the client (CLI, API) and the worker with the configured client certificate', async () => {
      const config = loadConfig(mtlsEnv(client));
      const { client: temporalClient, close } = await connectClient(config.temporal, TEST_KEYRING);
      try {
        const info = await temporalClient.workflowService.getSystemInfo({});
        expect(info.serverVersion).toBeTruthy();
      } finally {
        await close();
      }
      const native = await connectWorkerConnection(config.temporal, createLogger('silent'));
      try {
        const health = await native.healthService.check({});
        expect(health.status).toBe(1); // SERVING
      } finally {
        await native.close();
      }
    });

    it('is refused with a client certificate from another CA', async () => {
      const config = loadConfig({ ...mtlsEnv(otherClient), TEMPORAL_TLS_CA: pki.ca.certFile });
      await expect(connectClient(config.temporal, TEST_KEYRING)).rejects.toThrow(/cannot reach the Temporal server/);
    });
  });
});
