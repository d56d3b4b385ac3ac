// The fleet file's rules, as pure functions: what a person may write, what is refused and how it reads back.
import { describe, expect, it } from 'vitest';
import { fleetJsonSchema, parseFleetFile, renderFleetFile } from '../../src/fleet/file.js';

const SHOP = `version: 1
accounts:
  default:
    services:
      demo-shop.ovh:
        sites:
          - domain: Shop.Example.com
            path: shop
            cdn: active
            php: { engineVersion: 8.0 }
            database: { name: demoshopdb1, password: env:SHOP_DB_PASSWORD }
            module: { name: wordpress, adminPassword: file:/run/secrets/wp }
            certificate: { mode: custom, certificate: file:certs/shop.pem, key: env:SHOP_KEY }
        users:
          - { login: demoshop-dev, home: dev, sshState: sftponly }
`;

const issuesOf = (text: string) => {
  const parsed = parseFleetFile(text, 'fleet.yaml');
  if (parsed.ok) throw new Error('expected a refusal');
  return parsed.issues;
};

describe('the fleet file', () => {
  it('reads a site with every kind of resource, normalizing names and YAML numbers, and reads back what it renders', () => {
    const parsed = parseFleetFile(SHOP);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const site = parsed.value.accounts.default?.services['demo-shop.ovh']?.sites?.[0];
    expect(site).toMatchObject({ domain: 'shop.example.com', php: { engineVersion: '8.0' }, database: { password: 'env:SHOP_DB_PASSWORD' } });
    const again = parseFleetFile(renderFleetFile(parsed.value));
    expect(again).toEqual(parsed);
  });

  it('refuses a plaintext secret wherever a secret goes, without repeating it', () => {
    for (const [from, to] of [
      ['env:SHOP_DB_PASSWORD', 'S3cret-Passw0rd'],
      ['file:/run/secrets/wp', 'S3cret-Passw0rd'],
      ['key: env:SHOP_KEY', 'key: S3cret-Passw0rd'],
    ] as const) {
      const issues = issuesOf(SHOP.replace(from, to));
      expect(issues).toEqual([expect.objectContaining({ message: expect.stringContaining('a plaintext secret is not allowed in a fleet file') })]);
      expect(JSON.stringify(issues)).not.toContain('S3cret');
    }
  });

  it('refuses a domain declared twice in an account, an unknown account name, bad YAML and an empty file', () => {
    const twice = SHOP.replace('        users:', '      demo-agency.ovh:\n        sites: [{ domain: shop.example.com }]\n      demo-shop2.ovh:\n        users:');
    expect(issuesOf(twice)).toEqual([expect.objectContaining({ message: 'shop.example.com is declared twice (also in demo-shop.ovh): a domain is one site' })]);
    expect(issuesOf(SHOP.replace('  default:', '  "bad name!":'))[0]?.message).toMatch(/is not an account name/);
    expect(issuesOf('version: 1\n  accounts: {')[0]).toMatchObject({ field: 'fleet.yaml', message: expect.stringMatching(/^is not valid YAML \(line \d+, column \d+\)/) });
    expect(issuesOf('')[0]?.message).toMatch(/is empty/);
    expect(issuesOf(SHOP.replace('version: 1', 'version: 2'))).toEqual([expect.objectContaining({ field: 'version' })]);
  });

  it("reads a service's variables (a plain value, an integer, a password by reference), cron jobs and a site's Git link; refuses a plaintext password variable, a repository not on GitHub, a job declared twice", () => {
    const RUNS = `${SHOP}        env:
          APP_ENV: production
          WORKERS: { type: integer, value: 4 }
          API_KEY: { type: password, value: env:API_KEY }
        cron:
          - { command: ./shop/cron.php  --full, frequency: "0 3 * * *", language: php8.3 }
`.replace('            path: shop\n', '            path: shop\n            git: { repository: https://github.com/acme/shop, branch: main }\n');
    const parsed = parseFleetFile(RUNS);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const service = parsed.value.accounts.default?.services['demo-shop.ovh'];
    expect(service?.env).toEqual({ APP_ENV: { type: 'string', value: 'production' }, WORKERS: { type: 'integer', value: '4' }, API_KEY: { type: 'password', value: 'env:API_KEY' } });
    expect(service?.cron).toEqual([{ command: 'shop/cron.php --full', frequency: '0 3 * * *', language: 'php8.3' }]);
    expect(service?.sites?.[0]?.git).toEqual({ repository: 'https://github.com/acme/shop', branch: 'main' });
    expect(parseFleetFile(renderFleetFile(parsed.value))).toEqual(parsed);

    const plaintext = issuesOf(RUNS.replace('value: env:API_KEY', 'value: S3cret-Passw0rd'));
    expect(plaintext).toEqual([expect.objectContaining({ field: expect.stringContaining('env.API_KEY.value'), message: expect.stringContaining('a plaintext secret is not allowed in a fleet file') })]);
    expect(JSON.stringify(plaintext)).not.toContain('S3cret');
    expect(issuesOf(RUNS.replace('https://github.com/acme/shop', 'https://gitlab.com/acme/shop'))).toEqual([expect.objectContaining({ message: expect.stringContaining('OVH deploys from GitHub only') })]);
    expect(issuesOf(RUNS.replace('language: php8.3 }', 'language: php8.3 }\n          - { command: shop/cron.php --full, frequency: "0 4 * * *" }'))).toEqual([
      expect.objectContaining({ field: expect.stringContaining('cron[1].command'), message: '"shop/cron.php --full" is declared twice: a job is known by its command' }),
    ]);
    expect(issuesOf(RUNS.replace('APP_ENV: production', '1APP: production'))[0]?.message).toMatch(/a variable name is letters, digits and _/);
  });

  it('has a JSON Schema naming every site option and the secret reference rule', () => {
    const schema = JSON.stringify(fleetJsonSchema());
    for (const option of ['cdn', 'firewall', 'ownLog', 'runtimeId', 'ipLocation', 'bypassDNSConfiguration', 'dns', 'certificate', 'database', 'module', 'php', 'git', 'repository', 'users', 'sshState', 'env', 'cron', 'frequency']) {
      expect(schema).toContain(`"${option}"`);
    }
    expect(schema).toContain('env:NAME or file:PATH');
  });
});
