// How ovhflow reaches Temporal: one place that turns the configuration (environment variables or a Temporal client
// config profile, merged by loadConfig) into the options both `Connection.connect` (client: CLI, HTTP API) and
// `NativeConnection.connect` (worker) take. Certificates and keys are read and checked here, before any connection
// is attempted, so a wrong file is a clear configuration error instead of an opaque TLS handshake failure.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { ConfigError, type PemSource, type TemporalConfig } from '../config.js';

export interface TemporalConnectionOptions {
  address: string;
  namespace: string;
  /** `undefined` for a plain connection (the local dev server); `true` for TLS with the system's trusted roots. */
  tls?: TLSConfig | true;
  apiKey?: string;
  metadata?: Record<string, string>;
}

/** What a connection uses, for logs: never the key itself. */
export function describeConnection(options: TemporalConnectionOptions): { address: string; namespace: string; tls: 'off' | 'on' | 'mutual'; auth: 'none' | 'api-key' | 'client-certificate' } {
  const mutual = typeof options.tls === 'object' && options.tls.clientCertPair !== undefined;
  return {
    address: options.address,
    namespace: options.namespace,
    tls: options.tls === undefined ? 'off' : mutual ? 'mutual' : 'on',
    auth: options.apiKey ? 'api-key' : mutual ? 'client-certificate' : 'none',
  };
}

/**
 * Builds the connection options from the configuration, reading and checking every certificate and key.
 * Throws a ConfigError naming each problem (the setting, the file, what is wrong) — never the key material.
 */
export function temporalConnectionOptions(temporal: Pick<TemporalConfig, 'address' | 'namespace' | 'connection'>): TemporalConnectionOptions {
  const base = { address: temporal.address, namespace: temporal.namespace };
  const settings = temporal.connection;
  if (!settings) return base;
  const problems: string[] = [];
  const { clientCert, clientKey, serverCa, serverName, apiKey, metadata } = settings;
  const wantsTls = clientCert !== undefined || clientKey !== undefined || serverCa !== undefined || serverName !== undefined || apiKey !== undefined;
  const tlsOn = settings.tls ?? wantsTls;

  if (!tlsOn) {
    const given = [clientCert?.setting, clientKey?.setting, serverCa?.setting, serverName !== undefined ? 'TEMPORAL_TLS_SERVER_NAME' : undefined].filter(Boolean);
    if (given.length > 0) problems.push(`TEMPORAL_TLS=false contradicts ${given.join(', ')}: remove one or the other`);
    // An API key on a plain connection would travel in clear text.
    if (apiKey !== undefined) problems.push('TEMPORAL_API_KEY needs TLS (it would be sent in clear text): remove TEMPORAL_TLS=false');
  }
  if (clientCert && !clientKey) problems.push(`${clientCert.setting} is set without a private key: set TEMPORAL_TLS_KEY too`);
  if (clientKey && !clientCert) problems.push(`${clientKey.setting} is set without a certificate: set TEMPORAL_TLS_CERT too`);

  let clientCertPair: { crt: Buffer; key: Buffer } | undefined;
  if (clientCert && clientKey) {
    const certPem = readPem(clientCert, 'CERTIFICATE', problems);
    const keyPem = readPem(clientKey, 'PRIVATE KEY', problems);
    const certificate = certPem ? parseCertificates(clientCert, certPem, problems)[0] : undefined;
    const key = keyPem ? parsePrivateKey(clientKey, keyPem, problems) : undefined;
    if (certificate) checkValidity(clientCert, certificate, problems);
    if (certificate && key && !certificate.checkPrivateKey(key)) {
      problems.push(`${clientKey.setting} (${where(clientKey)}) is not the private key of the certificate in ${clientCert.setting} (${where(clientCert)}, subject "${oneLine(certificate.subject)}")`);
    }
    if (certPem && keyPem) clientCertPair = { crt: certPem, key: keyPem };
  }
  let serverRootCACertificate: Buffer | undefined;
  if (serverCa) {
    const caPem = readPem(serverCa, 'CERTIFICATE', problems);
    if (caPem && parseCertificates(serverCa, caPem, problems).length > 0) serverRootCACertificate = caPem;
  }
  if (problems.length > 0) throw new ConfigError(problems);

  let tls: TLSConfig | true | undefined;
  if (tlsOn) {
    const custom: TLSConfig = {
      ...(serverName !== undefined ? { serverNameOverride: serverName } : {}),
      ...(serverRootCACertificate ? { serverRootCACertificate } : {}),
      ...(clientCertPair ? { clientCertPair } : {}),
    };
    tls = Object.keys(custom).length > 0 ? custom : true;
  }
  return {
    ...base,
    ...(tls !== undefined ? { tls } : {}),
    ...(apiKey !== undefined ? { apiKey } : {}),
    ...(metadata && Object.keys(metadata).length > 0 ? { metadata } : {}),
  };
}

function where(source: PemSource): string {
  return 'path' in source ? source.path : 'inline data';
}

function oneLine(text: string): string {
  return text.split('\n').join(', ');
}

/** The PEM bytes of a source, or `undefined` with a problem recorded. */
function readPem(source: PemSource, expected: 'CERTIFICATE' | 'PRIVATE KEY', problems: string[]): Buffer | undefined {
  let bytes: Buffer;
  if ('path' in source) {
    try {
      bytes = readFileSync(source.path);
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : message;
      problems.push(`${source.setting}: cannot read ${source.path} (${why})`);
      return undefined;
    }
  } else {
    bytes = Buffer.from(source.data, 'utf8');
  }
  const text = bytes.toString('latin1');
  if (!/-----BEGIN [A-Z0-9 ]+-----/.test(text)) {
    const looksBinary = bytes.length > 0 && bytes[0] === 0x30; // an ASN.1 SEQUENCE: DER
    const hint = looksBinary
      ? ` (it looks like DER: convert it with \`openssl ${expected === 'CERTIFICATE' ? 'x509' : 'pkey'} -inform der -in FILE -out FILE.pem\`)`
      : '';
    problems.push(`${source.setting}: ${where(source)} is not a PEM file: expected a "-----BEGIN ${expected}-----" block${hint}`);
    return undefined;
  }
  return bytes;
}

function parseCertificates(source: PemSource, pem: Buffer, problems: string[]): X509Certificate[] {
  const blocks = pem.toString('latin1').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) {
    const found = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem.toString('latin1'))?.[1];
    problems.push(`${source.setting}: ${where(source)} holds no certificate (found a "${found}" block${found?.includes('KEY') ? ': is it the key file?' : ''})`);
    return [];
  }
  const certificates: X509Certificate[] = [];
  for (const [index, block] of blocks.entries()) {
    try {
      certificates.push(new X509Certificate(block));
    } catch (error) {
      problems.push(`${source.setting}: certificate ${index + 1} in ${where(source)} cannot be parsed (${(error as Error).message})`);
    }
  }
  return certificates;
}

function parsePrivateKey(source: PemSource, pem: Buffer, problems: string[]): KeyObject | undefined {
  const text = pem.toString('latin1');
  if (!/-----BEGIN (?:[A-Z0-9]+ )?PRIVATE KEY-----/.test(text)) {
    const found = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1];
    problems.push(`${source.setting}: ${where(source)} holds no private key (found a "${found}" block${found === 'CERTIFICATE' ? ': is it the certificate file?' : ''})`);
    return undefined;
  }
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text)) {
    problems.push(`${source.setting}: ${where(source)} is encrypted with a passphrase; give the worker an unencrypted key (\`openssl pkey -in KEY -out KEY.plain\`) kept readable only by it`);
    return undefined;
  }
  try {
    return createPrivateKey(pem);
  } catch (error) {
    problems.push(`${source.setting}: ${where(source)} is not a valid private key (${(error as Error).message})`);
    return undefined;
  }
}

function checkValidity(source: PemSource, certificate: X509Certificate, problems: string[]): void {
  const now = Date.now();
  if (Date.parse(certificate.validTo) < now) problems.push(`${source.setting}: the certificate in ${where(source)} expired on ${new Date(certificate.validTo).toISOString()}`);
  else if (Date.parse(certificate.validFrom) > now) problems.push(`${source.setting}: the certificate in ${where(source)} is not valid before ${new Date(certificate.validFrom).toISOString()}`);
}
