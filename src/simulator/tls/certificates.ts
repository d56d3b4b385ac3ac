// The simulator's TLS identity: a private CA generated on first start and a server certificate it signs for
// localhost / 127.0.0.1 / ::1 (and the listening host). Both are kept in the data directory so restarts reuse them
// and a client trusts the simulator once (the CA file); the server certificate is renewed when it nears expiry or
// does not cover the host.
//
// Built with @peculiar/x509 (the library `selfsigned` wraps) because strict verifiers — Python 3.13+ with a recent
// urllib3 sets VERIFY_X509_STRICT — require the subject and authority key identifiers `selfsigned` cannot add.
import { X509Certificate as NodeCertificate, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

export interface SimulatorCertificates {
  caFile: string;
  caPem: string;
  certPem: string;
  keyPem: string;
}

const DAY = 24 * 60 * 60 * 1000;
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export async function ensureCertificates(dataDir: string, hosts: string[]): Promise<SimulatorCertificates> {
  mkdirSync(dataDir, { recursive: true });
  const files = {
    ca: join(dataDir, 'ca.pem'),
    caKey: join(dataDir, 'ca-key.pem'),
    cert: join(dataDir, 'server.pem'),
    key: join(dataDir, 'server-key.pem'),
  };
  const names = [...new Set(['localhost', '127.0.0.1', '::1', ...hosts.filter((host) => host && host !== '0.0.0.0' && host !== '::')])];

  let ca = readPair(files.ca, files.caKey);
  if (!ca || !stillValid(ca.cert, 30 * DAY)) {
    ca = await generateCa();
    writeAtomically(files.caKey, ca.key, 0o600);
    writeAtomically(files.ca, ca.cert, 0o644);
  }
  let server = readPair(files.cert, files.key);
  if (!server || !stillValid(server.cert, DAY) || !issuedBy(server.cert, ca.cert) || !covers(server.cert, names)) {
    server = await generateServerCertificate(ca, names);
    writeAtomically(files.key, server.key, 0o600);
    writeAtomically(files.cert, server.cert, 0o644);
  }
  return { caFile: files.ca, caPem: ca.cert, certPem: server.cert, keyPem: server.key };
}

interface Pair {
  cert: string;
  key: string;
}

function readPair(certFile: string, keyFile: string): Pair | null {
  if (!existsSync(certFile) || !existsSync(keyFile)) return null;
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

function stillValid(pem: string, margin: number): boolean {
  try {
    return Date.parse(new NodeCertificate(pem).validTo) > Date.now() + margin;
  } catch {
    return false;
  }
}

function issuedBy(pem: string, caPem: string): boolean {
  try {
    const certificate = new NodeCertificate(pem);
    const authority = new NodeCertificate(caPem);
    return certificate.checkIssued(authority) && certificate.verify(authority.publicKey);
  } catch {
    return false;
  }
}

function covers(pem: string, names: string[]): boolean {
  const certificate = new NodeCertificate(pem);
  return names.every((name) => (isIP(name) ? certificate.checkIP(name) : certificate.checkHost(name)) !== undefined);
}

function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] as number) & 0x7f; // a positive serial (RFC 5280)
  return bytes.toString('hex');
}

async function newKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

async function privateKeyPem(key: webcrypto.CryptoKey): Promise<string> {
  const der = await webcrypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function generateCa(): Promise<Pair> {
  const now = Date.now();
  const keys = await newKeys();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: 'CN=ovhflow OVH API simulator CA, O=ovhflow',
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 3650 * DAY),
    keys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: certificate.toString('pem'), key: await privateKeyPem(keys.privateKey) };
}

async function generateServerCertificate(ca: Pair, names: string[]): Promise<Pair> {
  const now = Date.now();
  const authority = new x509.X509Certificate(ca.cert);
  const caKeyDer = createPrivateKey(ca.key).export({ type: 'pkcs8', format: 'der' });
  const caKey = await webcrypto.subtle.importKey('pkcs8', caKeyDer, ALGORITHM, false, ['sign']);
  const keys = await newKeys();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: 'CN=localhost',
    issuer: authority.subject,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 365 * DAY),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names.map((name) => ({ type: isIP(name) ? 'ip' : 'dns', value: name }))),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(authority),
    ],
  });
  return { cert: certificate.toString('pem'), key: await privateKeyPem(keys.privateKey) };
}

/** Another process may be reading these files: never let it see half a file. */
function writeAtomically(file: string, content: string, mode: number): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode });
  renameSync(temporary, file);
}
