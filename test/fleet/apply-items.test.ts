// From a plan to the runs an apply starts, without Temporal: which run kind each planned change becomes, the child ids
// that make a second start find the first, secrets resolved from references and never written into what is shown,
// and a saved plan found stale by its fingerprints.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApplyInputError, applyTasksOf, secretResolver, staleSince } from '../../src/fleet/apply-items.js';
import type { FleetFile } from '../../src/fleet/file.js';
import type { FleetPlan, SitePlan } from '../../src/shared/fleet.js';

const SHOP = 'demo-shop.ovh';
const site = (domain: string, resources: SitePlan['resources'], fingerprint = 'f0'): SitePlan => ({ account: 'default', serviceName: SHOP, domain, path: domain.split('.')[0] as string, action: 'change', resources, fingerprint });
const planOf = (sites: SitePlan[], services: FleetPlan['services'] = []): FleetPlan => ({ summary: { create: 0, change: 0, blocked: 0, unmanaged: 0 }, sites, services, reads: 0, failures: [] });

const file: FleetFile = {
  version: 1,
  accounts: {
    default: {
      services: {
        [SHOP]: {
          sites: [
            { domain: 'shop.example.com', path: 'shop', cdn: 'active', php: { engineVersion: '8.3' } },
            { domain: 'new.example.com', path: 'new', database: { type: 'mysql' }, module: { name: 'wordpress' }, certificate: 'letsencrypt' },
          ],
          users: [{ login: 'demoshop-ci', home: 'ci', sshState: 'sftponly', password: 'env:CI_PASSWORD' }],
        },
      },
    },
  },
};

const plan = planOf(
  [
    site('shop.example.com', [
      { kind: 'site', key: 'shop.example.com', action: 'change', changes: [{ field: 'cdn', from: 'none', to: 'active' }], runKind: 'update-domain' },
      { kind: 'php', key: 'shop', action: 'change', changes: [{ field: 'engineVersion', from: '8.1', to: '8.3' }], runKind: 'php' },
    ]),
    site('new.example.com', [
      { kind: 'site', key: 'new.example.com', action: 'create', runKind: 'provision' },
      { kind: 'database', key: '(new database of new.example.com)', action: 'create', runKind: 'provision' },
    ]),
    site('old.example.com', [{ kind: 'site', key: 'old.example.com', action: 'unmanaged' }]),
  ],
  [{ account: 'default', serviceName: SHOP, fingerprint: 's0', resources: [{ kind: 'user', key: 'demoshop-ci', action: 'create', runKind: 'ftp-user' }] }],
);

const resolve = secretResolver(tmpdir(), { CI_PASSWORD: 'CiPassw0rd2026' });

describe('the runs an apply starts', () => {
  it('a changed site is its domain update then its PHP, a new site one provisioning, a new user an ftp-user run; unmanaged only with prune', () => {
    const tasks = applyTasksOf(file, plan, resolve);
    expect(tasks.map((t) => [t.subject, t.changes.map((c) => c.runType)])).toEqual([
      ['shop.example.com', ['update-domain', 'php']],
      ['new.example.com', ['provision']],
      ['user demoshop-ci', ['ftp-user']],
    ]);
    expect(tasks[0]!.changes[0]!.input).toEqual({ serviceName: SHOP, domain: 'shop.example.com', cdn: 'active' });
    expect(tasks[1]!.changes[0]!.input).toMatchObject({ serviceName: SHOP, domain: 'new.example.com', path: 'new', database: { type: 'mysql' }, module: { name: 'wordpress' }, ssl: { mode: 'letsencrypt' } });
    const pruned = applyTasksOf(file, plan, resolve, { prune: true });
    expect(pruned.at(-1)).toMatchObject({ subject: 'old.example.com', changes: [{ runType: 'decommission', input: { serviceName: SHOP, domain: 'old.example.com', confirmed: false } }] });
  });

  it('the same change planned twice gets the same child id; another change another', () => {
    const [first] = applyTasksOf(file, plan, resolve);
    const [again] = applyTasksOf(file, plan, resolve);
    expect(again!.changes.map((c) => c.requestId)).toEqual(first!.changes.map((c) => c.requestId));
    const other = structuredClone(plan);
    other.sites[0]!.resources[0]!.changes = [{ field: 'cdn', from: 'active', to: 'none' }];
    expect(applyTasksOf(file, other, resolve)[0]!.changes[0]!.requestId).not.toBe(first!.changes[0]!.requestId);
  });

  it('a secret reference is resolved into the input and never into what is shown; one that cannot be read refuses the apply', () => {
    const user = applyTasksOf(file, plan, resolve).at(-1)!.changes[0]!;
    expect(user.input).toMatchObject({ password: 'CiPassw0rd2026' });
    expect(`${user.what}${user.requestId}`).not.toContain('CiPassw0rd2026');
    expect(() => applyTasksOf(file, plan, secretResolver(tmpdir(), {}))).toThrow(ApplyInputError);
    const dir = mkdtempSync(join(tmpdir(), 'apply-secret-'));
    writeFileSync(join(dir, 'ci.txt'), 'FromFile2026pw');
    expect(secretResolver(dir)('file:ci.txt', 'x')).toBe('FromFile2026pw');
    expect(() => secretResolver(dir)('file:missing.txt', 'x')).toThrow(/file:missing\.txt: cannot be read \(ENOENT\)/);
  });

  it("variables are one env run per service (a password resolved, never shown), a job a cron run, a branch a deploy run; a new site's Git link and jobs go into its provisioning", () => {
    const withRuns: FleetFile = {
      version: 1,
      accounts: {
        default: {
          services: {
            [SHOP]: {
              sites: [
                { domain: 'shop.example.com', path: 'shop', git: { repository: 'https://github.com/acme/shop', branch: 'develop' } },
                { domain: 'new.example.com', path: 'new', git: { repository: 'https://github.com/acme/new', branch: 'main' } },
              ],
              env: { WORKERS: { type: 'integer', value: '8' }, API_KEY: { type: 'password', value: 'env:API_KEY' } },
              cron: [
                { command: 'shop/cron.php', frequency: '0 4 * * *', language: 'php8.3' },
                { command: 'new/cron.php', frequency: '0 5 * * *' },
              ],
            },
          },
        },
      },
    };
    const runsPlan = planOf(
      [
        site('shop.example.com', [
          { kind: 'git', key: 'shop', action: 'change', changes: [{ field: 'branch', from: 'main', to: 'develop' }], runKind: 'deploy' },
          { kind: 'cron', key: 'shop/cron.php', action: 'change', changes: [{ field: 'frequency', from: '0 3 * * *', to: '0 4 * * *' }], runKind: 'cron' },
        ]),
        site('new.example.com', [
          { kind: 'site', key: 'new.example.com', action: 'create', runKind: 'provision' },
          { kind: 'git', key: 'new', action: 'create', runKind: 'provision' },
          { kind: 'cron', key: 'new/cron.php', action: 'create', runKind: 'provision' },
        ]),
      ],
      [
        {
          account: 'default',
          serviceName: SHOP,
          fingerprint: 's0',
          resources: [
            { kind: 'env', key: 'WORKERS', action: 'change', changes: [{ field: 'value', from: '4', to: '8' }], runKind: 'env' },
            { kind: 'env', key: 'API_KEY', action: 'create', runKind: 'env' },
            { kind: 'env', key: 'APP_ENV', action: 'unmanaged' },
          ],
        },
      ],
    );
    const tasks = applyTasksOf(withRuns, runsPlan, secretResolver(tmpdir(), { API_KEY: 'ApiKeyValue2026' }));
    expect(tasks.map((t) => [t.subject, t.changes.map((c) => c.runType)])).toEqual([
      ['shop.example.com', ['deploy', 'cron']],
      ['new.example.com', ['provision']],
      [`env of ${SHOP}`, ['env']],
    ]);
    expect(tasks[0]!.changes[0]!.input).toMatchObject({ serviceName: SHOP, path: 'shop', repository: 'https://github.com/acme/shop', branch: 'develop', confirmed: false });
    expect(tasks[0]!.changes[1]!.input).toEqual({ serviceName: SHOP, action: 'update', command: 'shop/cron.php', frequency: '0 4 * * *' });
    expect(tasks[1]!.changes[0]!.input).toMatchObject({ git: { repository: 'https://github.com/acme/new', branch: 'main' }, cron: [{ command: 'new/cron.php', frequency: '0 5 * * *' }] });
    const env = tasks[2]!.changes[0]!;
    expect(env.input).toEqual({ serviceName: SHOP, set: [{ name: 'WORKERS', type: 'integer', value: '8' }, { name: 'API_KEY', type: 'password', value: 'ApiKeyValue2026' }], unset: [] });
    expect(`${env.what}${env.requestId}`).not.toContain('ApiKeyValue2026');
  });

  it('a saved plan is stale for each site whose fingerprint moved, and for a site that appeared', () => {
    expect(staleSince(plan, structuredClone(plan))).toEqual([]);
    const now = structuredClone(plan);
    now.sites[0]!.fingerprint = 'f1';
    now.sites.push(site('appeared.example.com', [], 'f9'));
    expect(staleSince(plan, now)).toEqual(['appeared.example.com (demo-shop.ovh, account default)', 'shop.example.com (demo-shop.ovh, account default)']);
  });
});
