// The checks on a custom certificate that need real X.509 parsing (node:crypto), so they run in Node — the CLI, the
// HTTP API and the preflight activity — never in a workflow. The shape checks shared with the sandbox come first, so
// both sides agree on what a PEM looks like. No message ever contains key material.
import { type KeyObject, X509Certificate, createPrivateKey } from 'node:crypto';
import {
  type InputIssue,
  type ProvisionSiteInput,
  type RenewCertificateInput,
  certificatePemSchema,
  chainPemSchema,
  normalizeDomainName,
  parseWith,
  privateKeyPemSchema,
  quote,
} from '../shared/inputs/index.js';

export interface CertificateMaterial {
  certificate: string;
  key: string;
  chain?: string;
}

export interface CertificateCheckOptions {
  /** The domain(s) the certificate must cover (any form `normalizeDomainName` accepts); none: not checked. */
  domain?: string | readonly string[];
  /** A renewal must outlast the certificate it replaces: its end of validity must be later than this. */
  expiresAfter?: Date;
  /** The moment validity is judged at; now by default. */
  now?: Date;
  /** Prefix for issue fields; `ssl` gives `ssl.certificate`, `ssl.key`, `ssl.chain` as in provisionSite's input. */
  field?: string;
}

/** RSA below this is refused by browsers and by OVH's import. */
const MIN_RSA_BITS = 2048;
const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Everything wrong with a certificate/key/chain for a domain: unreadable PEM, a key that is not the certificate's,
 * expired or not yet valid, a domain the certificate does not cover (SANs, wildcards included), a chain that does not
 * parse or does not lead from the certificate's issuer upwards. Empty when OVH can install it. Never throws.
 */
export function checkCertificateMaterial(material: CertificateMaterial, options: CertificateCheckOptions): InputIssue[] {
  const prefix = options.field ?? 'ssl';
  const field = (name: string) => (prefix === '' ? name : `${prefix}.${name}`);
  const now = options.now ?? new Date();
  const issues: InputIssue[] = [];
  const add = (name: string, message: string) => issues.push({ field: field(name), message });

  if (typeof material !== 'object' || material === null) {
    return [{ field: prefix || 'input', message: 'must be an object with "certificate" and "key"' }];
  }

  // Shape first, with the sandbox's own rules.
  const shapes = {
    certificate: parseWith(certificatePemSchema, material.certificate),
    key: parseWith(privateKeyPemSchema, material.key),
    chain: material.chain === undefined ? undefined : parseWith(chainPemSchema, material.chain),
  };
  for (const [name, result] of Object.entries(shapes)) {
    if (result && !result.ok) for (const issue of result.issues) add(name, issue.message);
  }

  const certificate = shapes.certificate.ok ? readCertificate(shapes.certificate.value) : undefined;
  if (shapes.certificate.ok && !certificate) add('certificate', 'is not a readable X.509 certificate');

  let key: KeyObject | undefined;
  if (shapes.key.ok) {
    const read = readPrivateKey(shapes.key.value);
    if ('problem' in read) add('key', read.problem);
    else key = read.key;
  }

  if (certificate) {
    if (certificate.ca) add('certificate', "is a CA certificate; give the site's own certificate");
    const validFrom = new Date(certificate.validFrom);
    const validTo = new Date(certificate.validTo);
    if (now.getTime() > validTo.getTime()) add('certificate', `expired on ${validTo.toISOString()}`);
    else if (now.getTime() < validFrom.getTime()) add('certificate', `is not valid before ${validFrom.toISOString()}`);

    const names = coveredNames(certificate);
    const wanted = options.domain === undefined ? [] : typeof options.domain === 'string' ? [options.domain] : options.domain;
    for (const wantedDomain of wanted) {
      const domain = typeof wantedDomain === 'string' ? normalizeDomainName(wantedDomain) : undefined;
      if (domain?.ok && certificate.checkHost(domain.value) === undefined) {
        add(
          'certificate',
          `does not cover ${quote(domain.value)}${names.length > 0 ? ` (it covers ${names.map((n) => quote(n)).join(', ')})` : ''}`,
        );
      }
    }
    if (options.expiresAfter && validTo.getTime() <= options.expiresAfter.getTime()) {
      add(
        'certificate',
        `expires on ${validTo.toISOString()}, not later than the current certificate (${options.expiresAfter.toISOString()}): a renewal must outlast the certificate it replaces`,
      );
    }
  }

  if (key) {
    const details = key.asymmetricKeyDetails;
    if (key.asymmetricKeyType === 'rsa' && details?.modulusLength !== undefined && details.modulusLength < MIN_RSA_BITS) {
      add('key', `is a ${details.modulusLength}-bit RSA key; use at least ${MIN_RSA_BITS} bits`);
    }
    if (certificate && !safely(() => certificate.checkPrivateKey(key))) {
      add('key', 'does not match the certificate (it is the private key of another certificate)');
    }
  }

  if (shapes.chain?.ok) {
    const blocks = shapes.chain.value.match(CERTIFICATE_BLOCK) ?? [];
    const chain: X509Certificate[] = [];
    blocks.forEach((block, index) => {
      const parsed = readCertificate(block);
      if (!parsed) add('chain', `certificate #${index + 1} is not a readable X.509 certificate`);
      else chain.push(parsed);
    });
    if (chain.length === blocks.length) {
      chain.forEach((issuer, index) => {
        if (now.getTime() > new Date(issuer.validTo).getTime()) {
          add('chain', `certificate #${index + 1} (${issuer.subject.replace(/\n/g, ', ')}) expired on ${new Date(issuer.validTo).toISOString()}`);
        }
      });
      const first = chain[0];
      if (certificate && first && !issuedBy(certificate, first)) {
        add(
          'chain',
          `does not start with the certificate's issuer (${certificate.issuer.replace(/\n/g, ', ')}); list the intermediates from the issuer upwards`,
        );
      }
      for (let i = 0; i + 1 < chain.length; i++) {
        const child = chain[i];
        const parent = chain[i + 1];
        if (child && parent && !issuedBy(child, parent)) {
          add('chain', `certificate #${i + 1} was not issued by certificate #${i + 2}; list the intermediates from the issuer upwards`);
          break;
        }
      }
    }
  }
  return issues;
}

/** The custom-certificate check for a parsed provisionSite input; nothing to check for the other SSL modes. */
export function checkProvisionSiteCertificate(input: ProvisionSiteInput, now?: Date): InputIssue[] {
  if (input.ssl.mode !== 'custom') return [];
  return checkCertificateMaterial(input.ssl, { domain: input.domain, now, field: 'ssl' });
}

/** Whether a PEM certificate covers a domain (SANs, wildcards included). */
export function certificateCovers(pem: string, domain: string): boolean {
  const certificate = readCertificate(pem);
  return certificate !== undefined && certificate.checkHost(domain) !== undefined;
}

/** When a PEM certificate stops being valid; undefined when it does not parse. */
export function certificateValidTo(pem: string): Date | undefined {
  const certificate = typeof pem === 'string' ? readCertificate(pem) : undefined;
  return certificate ? new Date(certificate.validTo) : undefined;
}

/**
 * A renewal's certificate: the material checks, the domains it must keep covering (when known: the worker reads them
 * from OVH), and — when the caller gave the certificate it replaces — a later end of validity.
 */
export function checkRenewalCertificate(
  input: Extract<RenewCertificateInput, { mode: 'custom' }>,
  options: { domains?: readonly string[]; now?: Date } = {},
): InputIssue[] {
  const currentValidTo = input.currentCertificate === undefined ? undefined : certificateValidTo(input.currentCertificate);
  const issues: InputIssue[] =
    input.currentCertificate !== undefined && !currentValidTo ? [{ field: 'currentCertificate', message: 'is not a readable X.509 certificate' }] : [];
  return [...issues, ...checkCertificateMaterial(input, { field: '', domain: options.domains, now: options.now, expiresAfter: currentValidTo })];
}

function readCertificate(pem: string): X509Certificate | undefined {
  try {
    return new X509Certificate(pem);
  } catch {
    return undefined;
  }
}

function readPrivateKey(pem: string): { key: KeyObject } | { problem: string } {
  try {
    const key = createPrivateKey({ key: pem, format: 'pem' });
    return { key };
  } catch (error) {
    // The error's own text is not repeated: it is not meant for users and could echo part of the input.
    const code = (error as { code?: unknown } | null)?.code;
    if (code === 'ERR_MISSING_PASSPHRASE') return { problem: 'is encrypted with a passphrase; give the unencrypted private key' };
    return { problem: 'is not a readable private key' };
  }
}

function issuedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  return safely(() => child.checkIssued(issuer) && child.verify(issuer.publicKey));
}

function safely(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}

/** The DNS names in the SAN extension, or the subject CN when there is none (what `checkHost` falls back to). */
function coveredNames(certificate: X509Certificate): string[] {
  const sans = (certificate.subjectAltName ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4));
  if (sans.length > 0) return sans.slice(0, 10);
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(certificate.subject)?.[1];
  return cn ? [cn] : [];
}
