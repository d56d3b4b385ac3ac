// Throwaway PKI for the remote-Temporal tests: a CA, server and client certificates issued by it, written as PEM
// files into a temporary folder that the test removes. Generated at test time; no key is ever committed.
import { createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const DAY = 24 * 60 * 60 * 1000;

export interface Issued {
  certPem: string;
  keyPem: string;
  certFile: string;
  keyFile: string;
}

export interface TestPki {
  dir: string;
  ca: Issued;
  /** A certificate signed by this CA: `server` for localhost (serverAuth), `client` for mTLS (clientAuth). */
  issue(name: string, options?: { kind?: 'server' | 'client'; validDays?: number; notBeforeDays?: number }): Promise<Issued>;
  /** Writes arbitrary content to a file in the folder (a malformed PEM, a DER file...). */
  file(name: string, content: string | Buffer): string;
  remove(): void;
}

export async function createTestPki(caName = 'ovhflow test CA'): Promise<TestPki> {
  const dir = mkdtempSync(join(tmpdir(), 'ovhflow-pki-'));
  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  const caKeys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${caName}`,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 30 * DAY),
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const safeName = caName.replace(/\W+/g, '-');
  const ca: Issued = {
    certPem: caCert.toString('pem'),
    keyPem: await pemOf(caKeys.privateKey),
    certFile: '',
    keyFile: '',
  };
  ca.certFile = file(`${safeName}.pem`, ca.certPem);
  ca.keyFile = file(`${safeName}-key.pem`, ca.keyPem);

  return {
    dir,
    ca,
    file,
    async issue(name, options = {}) {
      const kind = options.kind ?? 'client';
      const keys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
      const notBefore = new Date(Date.now() + (options.notBeforeDays ?? -1) * DAY);
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: serial(),
        subject: `CN=${name}`,
        issuer: caCert.subject,
        notBefore,
        notAfter: new Date(notBefore.getTime() + (options.validDays ?? 30) * DAY),
        publicKey: keys.publicKey,
        signingKey: caKeys.privateKey,
        signingAlgorithm: ALGORITHM,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([kind === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth]),
          ...(kind === 'server'
            ? [new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: name }, { type: 'dns', value: 'localhost' }, { type: 'ip', value: '127.0.0.1' }])]
            : []),
          await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
          await x509.AuthorityKeyIdentifierExtension.create(caCert),
        ],
      });
      const issued: Issued = { certPem: cert.toString('pem'), keyPem: await pemOf(keys.privateKey), certFile: '', keyFile: '' };
      const base = name.replace(/\W+/g, '-');
      issued.certFile = file(`${base}.pem`, issued.certPem);
      issued.keyFile = file(`${base}-key.pem`, issued.keyPem);
      return issued;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The same key in the traditional "EC PRIVATE KEY" (SEC1) form some tools write. */
export function sec1Pem(keyPem: string): string {
  return createPrivateKey(keyPem).export({ type: 'sec1', format: 'pem' }).toString();
}

/** The certificate as DER bytes, as some CAs hand them out. */
export function derOf(certPem: string): Buffer {
  return Buffer.from(new x509.X509Certificate(certPem).rawData);
}

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] as number) & 0x7f;
  return bytes.toString('hex');
}

async function pemOf(key: webcrypto.CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}
