// Custom SSL material, checked with real certificates generated at test time (no key is committed).
import selfsigned from 'selfsigned';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCertificateMaterial, checkProvisionSiteCertificate, checkRenewalCertificate } from '../../src/inputs/certificate.js';
import { parseProvisionSiteInput } from '../../src/shared/inputs/index.js';

type Pems = Awaited<ReturnType<typeof selfsigned.generate>>;

const DAY = 24 * 60 * 60 * 1000;
const now = new Date();

function leafExtensions(names: string[]) {
  return [
    { name: 'basicConstraints' as const, cA: false },
    { name: 'keyUsage' as const, digitalSignature: true, keyEncipherment: true },
    { name: 'subjectAltName' as const, altNames: names.map((value) => ({ type: 2 as const, value })) },
  ];
}

let site: Pems; // shop.example.com, *.example.org, xn--bcher-kva.example
let other: Pems; // other.example.net
let expired: Pems;
let future: Pems;
let weak: Pems;
let ec: Pems;
let encrypted: Pems;
let ca: Pems;
let signedByCa: Pems;

beforeAll(async () => {
  const opts = { algorithm: 'sha256', notBeforeDate: new Date(now.getTime() - DAY), notAfterDate: new Date(now.getTime() + 90 * DAY) };
  [site, other, expired, future, weak, ec, encrypted, ca] = await Promise.all([
    selfsigned.generate([{ name: 'commonName', value: 'shop.example.com' }], {
      ...opts,
      extensions: leafExtensions(['shop.example.com', '*.example.org', 'xn--bcher-kva.example']),
    }),
    selfsigned.generate([{ name: 'commonName', value: 'other.example.net' }], opts),
    selfsigned.generate([{ name: 'commonName', value: 'shop.example.com' }], {
      ...opts,
      notBeforeDate: new Date('2020-01-01T00:00:00Z'),
      notAfterDate: new Date('2021-01-01T00:00:00Z'),
    }),
    selfsigned.generate([{ name: 'commonName', value: 'shop.example.com' }], {
      ...opts,
      notBeforeDate: new Date(now.getTime() + 30 * DAY),
      notAfterDate: new Date(now.getTime() + 120 * DAY),
    }),
    selfsigned.generate([{ name: 'commonName', value: 'shop.example.com' }], { ...opts, keySize: 1024 }),
    selfsigned.generate([{ name: 'commonName', value: 'shop.example.com' }], { ...opts, keyType: 'ec' }),
    selfsigned.generate([{ name: 'commonName', value: 'shop.example.com' }], { ...opts, passphrase: 'correct horse' }),
    selfsigned.generate([{ name: 'commonName', value: 'ovhflow test CA' }], {
      ...opts,
      extensions: [
        { name: 'basicConstraints', cA: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true },
      ],
    }),
  ]);
  signedByCa = await selfsigned.generate([{ name: 'commonName', value: 'shop.example.com' }], {
    ...opts,
    ca: { key: ca.private, cert: ca.cert },
    extensions: leafExtensions(['shop.example.com']),
  });
});

const check = (material: { certificate: string; key: string; chain?: string }, domain = 'shop.example.com', when = now) =>
  checkCertificateMaterial(material, { domain, now: when });

describe('custom certificate material', () => {
  it('accepts a matching, current certificate that covers the domain', () => {
    expect(check({ certificate: site.cert, key: site.private })).toEqual([]);
    expect(check({ certificate: ec.cert, key: ec.private })).toEqual([]);
  });

  it('matches wildcards for one label only, and internationalized names by their Punycode', () => {
    expect(check({ certificate: site.cert, key: site.private }, 'blog.example.org')).toEqual([]);
    expect(check({ certificate: site.cert, key: site.private }, 'Bücher.example')).toEqual([]);
    expect(check({ certificate: site.cert, key: site.private }, 'a.b.example.org')).toEqual([
      {
        field: 'ssl.certificate',
        message: 'does not cover "a.b.example.org" (it covers "shop.example.com", "*.example.org", "xn--bcher-kva.example")',
      },
    ]);
    expect(check({ certificate: site.cert, key: site.private }, 'example.org')[0]?.message).toMatch(/does not cover "example.org"/);
  });

  it('refuses a key that belongs to another certificate', () => {
    expect(check({ certificate: site.cert, key: other.private })).toEqual([
      { field: 'ssl.key', message: 'does not match the certificate (it is the private key of another certificate)' },
    ]);
  });

  it('refuses expired and not-yet-valid certificates, judged at the given moment', () => {
    expect(check({ certificate: expired.cert, key: expired.private })).toEqual([
      { field: 'ssl.certificate', message: 'expired on 2021-01-01T00:00:00.000Z' },
    ]);
    expect(check({ certificate: future.cert, key: future.private })[0]?.message).toMatch(/^is not valid before /);
    expect(check({ certificate: site.cert, key: site.private }, 'shop.example.com', new Date(now.getTime() + 365 * DAY))[0]?.message).toMatch(
      /^expired on /,
    );
  });

  it('refuses weak RSA keys and encrypted keys', () => {
    expect(check({ certificate: weak.cert, key: weak.private })).toEqual([
      { field: 'ssl.key', message: 'is a 1024-bit RSA key; use at least 2048 bits' },
    ]);
    expect(check({ certificate: encrypted.cert, key: encrypted.private })).toEqual([
      { field: 'ssl.key', message: 'is encrypted with a passphrase; give the unencrypted private key' },
    ]);
  });

  it('checks the chain: readable, starting at the issuer', () => {
    expect(check({ certificate: signedByCa.cert, key: signedByCa.private, chain: ca.cert })).toEqual([]);
    expect(check({ certificate: signedByCa.cert, key: signedByCa.private, chain: other.cert })).toEqual([
      {
        field: 'ssl.chain',
        message: "does not start with the certificate's issuer (CN=ovhflow test CA); list the intermediates from the issuer upwards",
      },
    ]);
    expect(check({ certificate: signedByCa.cert, key: signedByCa.private, chain: `${ca.cert}\n${other.cert}` })).toEqual([
      { field: 'ssl.chain', message: 'certificate #1 was not issued by certificate #2; list the intermediates from the issuer upwards' },
    ]);
    const garbageBlock = '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----';
    expect(check({ certificate: signedByCa.cert, key: signedByCa.private, chain: `${ca.cert}\n${garbageBlock}` })).toEqual([
      { field: 'ssl.chain', message: 'certificate #2 is not a readable X.509 certificate' },
    ]);
  });

  it('refuses a CA certificate as the site certificate', () => {
    expect(check({ certificate: ca.cert, key: ca.private }, 'ovhflow-test-ca.example')).toContainEqual({
      field: 'ssl.certificate',
      message: "is a CA certificate; give the site's own certificate",
    });
  });

  it.each([
    ['garbage', 'hello', 'world'],
    ['empty', '', ''],
    ['truncated', () => site.cert.slice(0, site.cert.length / 2), () => site.private.slice(0, site.private.length / 2)],
    ['truncated inside the armour', () => `${site.cert.slice(0, 200)}\n-----END CERTIFICATE-----`, () => `${site.private.slice(0, 300)}\n-----END PRIVATE KEY-----`],
    ['swapped', () => site.private, () => site.cert],
    ['public key for private', () => site.cert, () => site.public],
  ])('describes %s material without throwing or leaking the key', (_name, certificate, key) => {
    const material = {
      certificate: typeof certificate === 'function' ? certificate() : certificate,
      key: typeof key === 'function' ? key() : key,
    };
    const issues = check(material);
    expect(issues.length).toBeGreaterThan(0);
    const text = issues.map((i) => `${i.field}: ${i.message}`).join('\n');
    for (const line of site.private.split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'))) {
      expect(text).not.toContain(line.slice(0, 20));
    }
    for (const issue of issues) expect(issue.field).toMatch(/^ssl\.(certificate|key|chain)$/);
  });

  it('never throws on values that are not text', () => {
    expect(checkCertificateMaterial({ certificate: 42, key: null } as never, { domain: 'shop.example.com' })).toEqual([
      { field: 'ssl.certificate', message: 'must be a PEM certificate as text' },
      { field: 'ssl.key', message: 'must be a PEM private key as text' },
    ]);
    expect(checkCertificateMaterial(null as never, { domain: 'x.example' })).toHaveLength(1);
  });

  it('names fields with the prefix a caller asks for', () => {
    expect(checkCertificateMaterial({ certificate: 'x', key: 'y' }, { domain: 'a.example', field: '' }).map((i) => i.field)).toEqual([
      'certificate',
      'key',
    ]);
  });
});

describe('the certificate check for a provisionSite input', () => {
  it('runs only for custom SSL, against the run’s own domain', () => {
    const parsed = (ssl: unknown, domain = 'shop.example.com') => {
      const result = parseProvisionSiteInput({ serviceName: 'demo-agency.ovh', domain, ssl });
      if (!result.ok) throw new Error(JSON.stringify(result.issues));
      return result.value;
    };
    expect(checkProvisionSiteCertificate(parsed({ mode: 'letsencrypt' }))).toEqual([]);
    expect(checkProvisionSiteCertificate(parsed({ mode: 'custom', certificate: site.cert, key: site.private }), now)).toEqual([]);
    expect(
      checkProvisionSiteCertificate(parsed({ mode: 'custom', certificate: site.cert, key: site.private }, 'other.example.com'), now),
    ).toEqual([{ field: 'ssl.certificate', message: expect.stringMatching(/does not cover "other.example.com"/) }]);
  });
});

describe('the certificate check for a renewal', () => {
  const renewal = (certificate: Pems, current?: Pems) => ({
    serviceName: 'demo-shop.ovh',
    mode: 'custom' as const,
    confirmed: true,
    certificate: certificate.cert,
    key: certificate.private,
    ...(current ? { currentCertificate: current.cert } : {}),
  });

  it('must cover every domain the current certificate covers, each named when it does not', () => {
    expect(checkRenewalCertificate(renewal(site), { domains: ['shop.example.com', 'blog.example.org'], now })).toEqual([]);
    expect(checkRenewalCertificate(renewal(site), { domains: ['shop.example.com', 'other.example.net', 'a.b.example.org'], now }).map((i) => i.message)).toEqual([
      expect.stringMatching(/^does not cover "other.example.net"/),
      expect.stringMatching(/^does not cover "a.b.example.org"/),
    ]);
  });

  it('must expire later than the certificate it replaces, when the caller gives it', () => {
    // `future` ends 120 days from now, `site` 90 days: one may replace the other, not the reverse.
    expect(checkRenewalCertificate(renewal(future, site), { now: new Date(now.getTime() + 31 * DAY) })).toEqual([]);
    expect(checkRenewalCertificate(renewal(site, future), { now })).toEqual([
      { field: 'certificate', message: expect.stringMatching(/^expires on .*, not later than the current certificate \(.*\): a renewal must outlast the certificate it replaces$/) },
    ]);
    expect(checkRenewalCertificate({ ...renewal(site), currentCertificate: 'not a certificate' }, { now })).toEqual([
      { field: 'currentCertificate', message: 'is not a readable X.509 certificate' },
    ]);
  });
});
