import { describe, expect, it } from 'vitest';
import {
  type ProvisionSiteInput,
  formatIssues,
  parseProvisionSiteInput,
  provisionSiteInputSchema,
} from '../../src/shared/inputs/index.js';

const base = { serviceName: 'demo-agency.ovh', domain: 'shop.example.com' };

function issuesOf(raw: unknown) {
  const result = parseProvisionSiteInput(raw);
  if (result.ok) throw new Error(`expected issues, got ${JSON.stringify(result.value)}`);
  return result.issues;
}

function valueOf(raw: unknown): ProvisionSiteInput {
  const result = parseProvisionSiteInput(raw);
  if (!result.ok) throw new Error(formatIssues(result.issues));
  return result.value;
}

describe('provisionSite input: normalization and defaults', () => {
  it('fills the defaults: a folder named after the domain, Let’s Encrypt, no database, no module', () => {
    expect(valueOf(base)).toEqual({
      serviceName: 'demo-agency.ovh',
      domain: 'shop.example.com',
      path: 'shop.example.com',
      ssl: { mode: 'letsencrypt' },
    });
  });

  it('normalizes the names: lowercase, Punycode, no trailing dot, tidy path', () => {
    expect(valueOf({ serviceName: 'Demo-Agency.OVH', domain: 'Bücher.Example.', path: './sites/shop/' })).toMatchObject({
      serviceName: 'demo-agency.ovh',
      domain: 'xn--bcher-kva.example',
      path: 'sites/shop',
    });
    expect(valueOf({ ...base, domain: 'münchen.de' }).path).toBe('xn--mnchen-3ya.de');
  });

  it('gives a database MySQL on sqlPerso unless told otherwise', () => {
    expect(valueOf({ ...base, database: {} }).database).toEqual({ type: 'mysql', capability: 'sqlPerso' });
    expect(
      valueOf({ ...base, database: { type: 'mariadb', capability: 'extraSqlPerso', quota: '512', version: 10.6, userSuffix: 'shop' } })
        .database,
    ).toEqual({ type: 'mariadb', capability: 'extraSqlPerso', quota: 512, version: '10.6', userSuffix: 'shop' });
  });

  it('takes a module by known name or by catalog id; the admin login is left to the CMS\'s default unless given', () => {
    expect(valueOf({ ...base, database: {}, module: { name: 'WordPress', language: 'fr' } }).module).toEqual({ name: 'wordpress', language: 'fr' });
    expect(valueOf({ ...base, database: {}, module: { id: 195, adminName: 'boss' } }).module).toEqual({ id: 195, adminName: 'boss' });
  });

  it('refuses an admin login the named CMS does not accept, naming its rule', () => {
    const refused = parseProvisionSiteInput({ ...base, database: {}, module: { name: 'prestashop', adminName: 'boss' } });
    expect(refused).toEqual({
      ok: false,
      issues: [{ field: 'module.adminName', message: `"boss" is not an e-mail address; PrestaShop's admin login is an e-mail address (e.g. admin@your-shop.example)` }],
    });
    expect(parseProvisionSiteInput({ ...base, database: {}, module: { name: 'joomla', adminName: 'a' } })).toMatchObject({
      ok: false,
      issues: [{ field: 'module.adminName', message: expect.stringContaining('Joomla! takes an admin login of 2 to 150') }],
    });
    expect(valueOf({ ...base, database: {}, module: { name: 'prestashop', adminName: 'owner@shop.example' } }).module?.adminName).toBe('owner@shop.example');
  });

  it('takes every option of the attached domain, checked against the schema\'s enums and types', () => {
    expect(valueOf({ ...base, cdn: 'active', firewall: 'none', ownLog: 'Logs.Example.com', runtimeId: 3, ipLocation: 'DE', bypassDNSConfiguration: 'true' })).toMatchObject({
      cdn: 'active',
      firewall: 'none',
      ownLog: 'logs.example.com',
      runtimeId: 3,
      ipLocation: 'DE',
      bypassDNSConfiguration: true,
    });
    const refused = parseProvisionSiteInput({ ...base, cdn: 'on', ipLocation: 'GB', runtimeId: 0 });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.issues.map((issue) => issue.field)).toEqual(['cdn', 'runtimeId', 'ipLocation']);
  });

  it('accepts the shorthands a CLI flag produces: module "wordpress" or "195", ssl "none"', () => {
    expect(valueOf({ ...base, database: {}, module: 'wordpress' }).module).toEqual({ name: 'wordpress' });
    expect(valueOf({ ...base, database: {}, module: '195' }).module).toEqual({ id: 195 });
    expect(valueOf({ ...base, database: {}, module: 7 }).module).toEqual({ id: 7 });
    expect(valueOf({ ...base, ssl: 'none' }).ssl).toEqual({ mode: 'none' });
  });

  it('keeps custom certificate material, trimmed and with Unix line endings', () => {
    const certificate = '-----BEGIN CERTIFICATE-----\r\nAAAA\r\n-----END CERTIFICATE-----\r\n';
    const key = `-----BEGIN ${'PRIVATE KEY'}-----\nBBBB\n-----END ${'PRIVATE KEY'}-----`;
    expect(valueOf({ ...base, ssl: { mode: 'custom', certificate, key } }).ssl).toEqual({
      mode: 'custom',
      certificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----',
      key,
    });
  });

  it('accepts its own output again unchanged (what a retry re-validates)', () => {
    const first = valueOf({ ...base, domain: 'Bücher.example', database: { capability: 'extraSqlPerso', quota: 256 }, module: 'drupal', stepDeadlineMinutes: 45 });
    expect(valueOf(first)).toEqual(first);
  });

  it('exposes the schema for callers that compose it', () => {
    expect(provisionSiteInputSchema.safeParse(base).success).toBe(true);
  });
});

describe('provisionSite input: refusals', () => {
  it('reports every problem of one submission together, each under its field', () => {
    const issues = issuesOf({
      serviceName: 'demo',
      domain: 'shop..example.com',
      path: '/etc',
      database: { type: 'postgresql', quota: 7 },
      module: { name: 'wordpres' },
      ssl: { mode: 'custom' },
      stepDeadlineMinutes: -1,
      extra: true,
    });
    expect(issues.map((i) => i.field).sort()).toEqual(
      [
        'serviceName',
        'domain',
        'path',
        'database.quota',
        'database.type',
        'module.name',
        'ssl.certificate',
        'ssl.key',
        'stepDeadlineMinutes',
        'extra',
      ].sort(),
    );
  });

  it('reads like the CLI prints it', () => {
    const text = formatIssues(issuesOf({ ...base, domain: 'shop..example.com', path: '../x' }));
    expect(text).toBe(
      [
        'domain: "shop..example.com" is not a valid domain name (empty label)',
        'path: must be relative to the hosting home and must not contain ".."',
      ].join('\n'),
    );
    expect(formatIssues([{ field: 'path', message: 'x' }], '  - ')).toBe('  - path: x');
    expect(formatIssues([])).toBe('');
  });

  it('suggests the field meant by a typo or by the guide’s wrong names', () => {
    expect(issuesOf({ ...base, domian: 'x' })).toContainEqual({ field: 'domian', message: 'unknown field (did you mean "domain"?)' });
    expect(issuesOf({ ...base, database: { capabilitie: 'sqlPro' } })).toContainEqual({
      field: 'database.capabilitie',
      message: 'unknown field (did you mean "capability"?)',
    });
    expect(issuesOf({ ...base, database: { capability: 'sqlPersonal' } })[0]?.message).toMatch(
      /"sqlPersonal" is not allowed; use one of .*"sqlPerso".*\(did you mean "sqlPerso"\?\)/,
    );
  });

  it('lists the allowed fields when nothing is close', () => {
    expect(issuesOf({ ...base, ssl: { mode: 'none', zzzzzzzz: 1 } })).toContainEqual({
      field: 'ssl.zzzzzzzz',
      message: 'unknown field (allowed: mode, certificate, key, chain)',
    });
  });

  it('needs a MySQL database for a module', () => {
    expect(issuesOf({ ...base, module: 'joomla' })).toEqual([
      {
        field: 'database',
        message: 'is required when a module is installed (the module needs a MySQL database); give {} for the defaults',
      },
    ]);
    expect(issuesOf({ ...base, database: { type: 'redis' }, module: 'joomla' })).toEqual([
      { field: 'database.type', message: '"redis" cannot back a module: OVH modules only use a mysql database' },
    ]);
  });

  it('keeps a quota to extraSqlPerso databases', () => {
    expect(issuesOf({ ...base, database: { quota: 256 } })[0]).toMatchObject({
      field: 'database.quota',
      message: expect.stringMatching(/only applies to extraSqlPerso/),
    });
  });

  it('explains a version given as a number that lost its ".0"', () => {
    expect(issuesOf({ ...base, database: { version: 8.0 } })[0]?.message).toMatch(/write the version as text, e.g. "8.0"/);
  });

  it('never repeats certificate or key material in a message', () => {
    const secret = 'c2VjcmV0LWtleS1tYXRlcmlhbC10aGF0LW11c3Qtbm90LWxlYWs';
    const pemKey = `-----BEGIN ${'PRIVATE KEY'}-----\n${secret}\n-----END ${'PRIVATE KEY'}-----`;
    const cases = [
      { mode: 'custom', certificate: pemKey, key: pemKey },
      { mode: 'custom', certificate: secret, key: secret },
      { mode: 'letsencrypt', key: pemKey },
      { mode: 'custom', certificate: 'x'.repeat(70_000), key: `${secret}${'y'.repeat(20_000)}` },
    ];
    for (const ssl of cases) {
      const text = formatIssues(issuesOf({ ...base, ssl }));
      expect(text).not.toContain(secret);
      expect(text).not.toContain('yyyy');
    }
    // Even pasted into the wrong field.
    expect(formatIssues(issuesOf({ ...base, domain: pemKey }))).not.toContain(secret);
  });

  it('refuses a certificate bundle in the certificate field and an encrypted key', () => {
    const cert = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----';
    const encrypted = `-----BEGIN ENCRYPTED ${'PRIVATE KEY'}-----\nAAAA\n-----END ENCRYPTED ${'PRIVATE KEY'}-----`;
    const issues = issuesOf({ ...base, ssl: { mode: 'custom', certificate: `${cert}\n${cert}`, key: encrypted } });
    expect(issues).toEqual([
      { field: 'ssl.certificate', message: expect.stringMatching(/contains 2 certificates; .*"chain"/) },
      { field: 'ssl.key', message: 'is encrypted with a passphrase; give the unencrypted private key' },
    ]);
  });

  it('turns unreadable input into an issue instead of throwing', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
        ownKeys() {
          throw new Error('boom');
        },
      },
    );
    expect(parseProvisionSiteInput(hostile)).toEqual({
      ok: false,
      issues: [{ field: 'input', message: 'could not be read (not plain data)' }],
    });
  });

  it('caps the number of issues on a flood of unknown fields', () => {
    const flood = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`field${i}`, i]));
    const issues = issuesOf({ ...base, ...flood });
    expect(issues).toHaveLength(51);
    expect(issues.at(-1)).toEqual({ field: 'input', message: 'and 450 more problems not listed' });
  });
});
