// `ovhflow fleet export`, `ovhflow plan` and POST /v1/plans, as operators run them: the binary, against the suite's
// Temporal dev server, a worker of this file and the real simulator over HTTPS. The simulator's request log is the
// proof that a plan writes nothing and reads each resource once.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FleetPlan, SitePlan } from '../../src/shared/fleet.js';
import type { SavedPlan } from '../../src/fleet/plan.js';
import { useApiWithWorker } from '../support/api.js';
import { expectRefusedStdout, parsedJson, startCliStack, type CliStack } from '../support/cli.js';
import type { TestStack } from '../support/stack.js';

const SHOP = 'demo-shop.ovh';
const AGENCY = 'demo-agency.ovh';
const SHOP_SITE = 'shop.example.com';

type FleetDoc = {
  version: number;
  accounts: Record<string, { services: Record<string, { sites?: Array<Record<string, unknown>>; databases?: unknown[]; users?: unknown[]; php?: unknown[]; env?: Record<string, unknown>; cron?: Array<Record<string, unknown>> }> }>;
};

describe('fleet as code: fleet export, plan, POST /v1/plans', { timeout: 180_000 }, () => {
  let cliStack: CliStack;
  let stack: TestStack;

  beforeAll(async () => {
    cliStack = await startCliStack('cli-fleet');
    stack = cliStack.stack;
  });
  afterEach(async () => {
    await cliStack.stopWorkers();
  });
  afterAll(async () => {
    await cliStack?.close();
  });

  const inCwd = (name: string) => join(cliStack.cli.cwd, name);
  /** What the simulator answered from now on: the plan's own calls. */
  const requestsSince = async (mark: number) => (await stack.sim.requests()).slice(mark);
  const mark = async () => (await stack.sim.requests()).length;
  const ovhCalls = (requests: Awaited<ReturnType<typeof requestsSince>>) => requests.filter((r) => r.path !== '/auth/time');
  const siteOf = (plan: FleetPlan, domain: string) => plan.sites.find((site) => site.domain === domain) as SitePlan;

  async function exported(ovhflow: (...args: string[]) => Promise<{ code: number; stdout: string; stderr: string }>, name: string): Promise<FleetDoc> {
    const run = await ovhflow('fleet', 'export', '--out', name);
    expect(run.code, run.stderr).toBe(0);
    return yaml.load(readFileSync(inCwd(name), 'utf8')) as FleetDoc;
  }
  const writeFleet = (name: string, doc: unknown) => writeFileSync(inCwd(name), yaml.dump(doc));

  it('fleet schema prints the JSON Schema of the fleet file', async () => {
    const run = await cliStack.cli.run('unused', 'fleet', 'schema');
    expect(run.code, run.stderr).toBe(0);
    const schema = parsedJson(run);
    expect(schema).toMatchObject({ $schema: expect.stringContaining('json-schema.org'), type: 'object', required: expect.arrayContaining(['version', 'accounts']) });
    expect(JSON.stringify(schema)).toContain('"cdn"');
    expect(JSON.stringify(schema)).toContain('env:NAME or file:PATH');
  });

  it('an exported fleet plans no change, with zero writes and each resource read once', async () => {
    const ovhflow = await cliStack.ownWorker('fleet-roundtrip');
    const file = await exported(ovhflow, 'fleet.yaml');
    const shop = file.accounts.default?.services[SHOP];
    expect(shop?.sites).toEqual([
      expect.objectContaining({
        domain: SHOP_SITE,
        path: 'shop',
        ssl: true,
        cdn: 'none',
        firewall: 'none',
        certificate: 'letsencrypt',
        database: { name: 'demoshopdb1', type: 'mysql', version: '8.0' },
        module: { name: 'wordpress', language: 'en', adminName: 'admin' },
        php: expect.objectContaining({ engineVersion: '8.1' }),
      }),
    ]);
    expect(Object.keys(file.accounts.default?.services ?? {})).toEqual(expect.arrayContaining([AGENCY, SHOP]));

    const before = await mark();
    const run = await ovhflow('plan', 'fleet.yaml', '--json');
    expect(run.code, run.stderr).toBe(0);
    const plan = parsedJson(run) as FleetPlan;
    expect(plan.summary).toEqual({ create: 0, change: 0, blocked: 0, unmanaged: 0 });
    expect(plan.failures).toEqual([]);
    expect(siteOf(plan, SHOP_SITE)).toMatchObject({ account: 'default', serviceName: SHOP, path: 'shop', action: 'none', fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) });

    const calls = ovhCalls(await requestsSince(before));
    expect(calls.filter((r) => r.method !== 'GET')).toEqual([]);
    // The plan counts what it cost, honestly: every call the simulator saw, and none of them twice.
    expect(plan.reads).toBe(calls.length);
    const paths = calls.map((r) => `${r.path}?${new URLSearchParams(r.query).toString()}`);
    expect(new Set(paths).size).toBe(paths.length);
    // The read shape a big fleet's cost rests on: each kind listed exactly once per hosting service.
    for (const service of [AGENCY, SHOP]) {
      for (const listing of ['attachedDomain', 'module', 'database', 'ovhConfig', 'user', 'envVar', 'cron', 'website']) {
        expect(calls.filter((r) => r.path === `/hosting/web/${service}/${listing}`), `${service} ${listing}`).toHaveLength(1);
      }
    }

    const human = await ovhflow('plan', 'fleet.yaml');
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/shop\.example\.com → shop: no change/);
    expect(human.stdout).toMatch(/No change\. 0 to create, 0 to change, 0 blocked, 0 unmanaged .*Nothing was written/);
  });

  it('an edited file plans exactly the edit (cdn flipped, PHP version, a new site), writes nothing, and --out saves the plan with what it read', async () => {
    const ovhflow = await cliStack.ownWorker('fleet-edit');
    const file = await exported(ovhflow, 'fleet-edit.yaml');
    const services = file.accounts.default!.services;
    const shopSite = services[SHOP]!.sites![0]!;
    shopSite.cdn = 'active';
    (shopSite.php as Record<string, unknown>).engineVersion = '8.3';
    (services[AGENCY]!.sites ??= []).push({ domain: 'blog.example.org', path: 'blog', ssl: true, certificate: 'letsencrypt', database: { type: 'mysql' }, module: { name: 'wordpress', adminPassword: 'env:BLOG_ADMIN_PASSWORD' } });
    writeFleet('fleet-edit.yaml', file);

    const before = await mark();
    const run = await ovhflow('plan', 'fleet-edit.yaml', '--json', '--out', 'plan.json');
    expect(run.code, run.stderr).toBe(0);
    const plan = parsedJson(run) as FleetPlan;
    expect(plan.summary).toEqual({ create: 4, change: 2, blocked: 0, unmanaged: 0 });

    const shop = siteOf(plan, SHOP_SITE);
    expect(shop.action).toBe('change');
    expect(shop.resources.filter((r) => r.action !== 'none')).toEqual([
      { kind: 'site', key: SHOP_SITE, action: 'change', changes: [{ field: 'cdn', from: 'none', to: 'active' }], runKind: 'update-domain' },
      { kind: 'php', key: 'shop', action: 'change', changes: [{ field: 'engineVersion', from: '8.1', to: '8.3' }], runKind: 'php' },
    ]);
    const blog = siteOf(plan, 'blog.example.org');
    expect(blog).toMatchObject({ serviceName: AGENCY, path: 'blog', action: 'create' });
    expect(blog.resources.map((r) => [r.kind, r.action, r.runKind])).toEqual([
      ['site', 'create', 'provision'],
      ['module', 'create', 'provision'],
      ['database', 'create', 'provision'],
      ['certificate', 'create', undefined],
    ]);
    expect(ovhCalls(await requestsSince(before)).filter((r) => r.method !== 'GET')).toEqual([]);

    const saved = JSON.parse(readFileSync(inCwd('plan.json'), 'utf8')) as SavedPlan;
    expect(saved).toMatchObject({ kind: 'ovhflow-plan', version: 1, plan: { summary: plan.summary } });
    expect(saved.fingerprints.sites).toEqual(expect.arrayContaining([{ account: 'default', serviceName: SHOP, domain: SHOP_SITE, fingerprint: shop.fingerprint }]));
    // The secret stays a reference: the saved plan holds no value to leak.
    expect(JSON.stringify(saved)).toContain('env:BLOG_ADMIN_PASSWORD');

    const human = await ovhflow('plan', 'fleet-edit.yaml');
    expect(human.stdout).toMatch(/~ site shop\.example\.com: change {2}\[update-domain\]\n\s+cdn: none → active/);
    expect(human.stdout).toMatch(/~ php shop: change {2}\[php\]\n\s+engineVersion: 8\.1 → 8\.3/);
    expect(human.stdout).toMatch(/blog\.example\.org → blog: create/);
  });

  it('what cannot be done is blocked with why: a PHP version the offer lacks, a module whose database differs, an offer without room', async () => {
    const ovhflow = await cliStack.ownWorker('fleet-blocked');
    const file = await exported(ovhflow, 'fleet-blocked.yaml');
    const services = file.accounts.default!.services;
    const shopSite = services[SHOP]!.sites![0]!;
    (shopSite.database as Record<string, unknown>).name = 'otherdb';
    services[AGENCY]!.php = [{ path: '', engineVersion: '8.5' }];
    // Perso: one database, already taken by the first of these two new sites.
    services[AGENCY]!.sites = ['one', 'two'].map((name) => ({ domain: `${name}.example.org`, database: { type: 'mysql' }, module: { name: 'wordpress' } }));
    writeFleet('fleet-blocked.yaml', file);

    const run = await ovhflow('plan', 'fleet-blocked.yaml', '--json');
    expect(run.code, run.stderr).toBe(0);
    const plan = parsedJson(run) as FleetPlan;
    const shop = siteOf(plan, SHOP_SITE);
    expect(shop.action).toBe('blocked');
    expect(shop.resources.find((r) => r.kind === 'module')).toMatchObject({ action: 'blocked', changes: [{ field: 'database', from: 'demoshopdb1', to: 'otherdb' }], reason: expect.stringContaining('uses the database demoshopdb1, not otherdb') });
    expect(shop.resources.find((r) => r.kind === 'database')).toMatchObject({ key: 'otherdb', action: 'blocked', reason: expect.stringContaining('has no database otherdb') });
    expect(plan.services.find((s) => s.serviceName === AGENCY)?.resources).toEqual([
      expect.objectContaining({ kind: 'php', key: '', action: 'blocked', reason: expect.stringMatching(/does not offer PHP 8\.5; it offers 7\.4, .*8\.4/) }),
    ]);
    expect(siteOf(plan, 'one.example.org').resources.find((r) => r.kind === 'database')).toMatchObject({ action: 'create' });
    expect(siteOf(plan, 'two.example.org').resources.find((r) => r.kind === 'database')).toMatchObject({ action: 'blocked', reason: expect.stringContaining('offer PERSO allows 1 sqlPerso databases') });
  });

  it('a site missing from the file is reported unmanaged with what it holds, never as a removal; --site plans one site only', async () => {
    const ovhflow = await cliStack.ownWorker('fleet-unmanaged');
    const file = await exported(ovhflow, 'fleet-unmanaged.yaml');
    const shop = file.accounts.default!.services[SHOP]!;
    shop.sites = [{ domain: 'new.example.com', path: 'new', cdn: 'active' }];
    writeFleet('fleet-unmanaged.yaml', file);
    // Someone adds an FTP user by hand after the export: the file does not name it.
    const created = await stack.ovh.createUser(SHOP, { login: 'demoshop-deploy', home: 'deploy', sshState: 'sftponly', password: 'DeployPassw0rd2026' });
    await stack.sim.waitForTask(SHOP, created.id);

    const before = await mark();
    const run = await ovhflow('plan', 'fleet-unmanaged.yaml', '--json');
    expect(run.code, run.stderr).toBe(0);
    const plan = parsedJson(run) as FleetPlan;
    const unmanaged = siteOf(plan, SHOP_SITE);
    expect(unmanaged).toMatchObject({ action: 'unmanaged', path: 'shop' });
    expect(unmanaged.resources.map((r) => [r.kind, r.key, r.action])).toEqual([
      ['site', SHOP_SITE, 'unmanaged'],
      ['module', 'shop', 'unmanaged'],
      ['php', 'shop', 'unmanaged'],
    ]);
    // The home's PHP is still declared (as none to change); the database no declared site uses is unmanaged.
    expect(plan.services.find((s) => s.serviceName === SHOP)?.resources.filter((r) => r.action !== 'none')).toEqual([
      { kind: 'database', key: 'demoshopdb1', action: 'unmanaged', reason: 'exists at OVH, not in the file: left as it is' },
      { kind: 'user', key: 'demoshop-deploy', action: 'unmanaged', reason: 'exists at OVH, not in the file: left as it is' },
    ]);
    expect(plan.summary).toMatchObject({ create: 1, unmanaged: 5 });
    expect(ovhCalls(await requestsSince(before)).filter((r) => r.method !== 'GET')).toEqual([]);
    const human = await ovhflow('plan', 'fleet-unmanaged.yaml');
    expect(human.stdout).toMatch(/shop\.example\.com → shop: unmanaged/);
    expect(human.stdout).not.toMatch(/remove|delete/i);

    const one = await ovhflow('plan', 'fleet-unmanaged.yaml', '--site', 'new.example.com', '--json');
    expect(one.code, one.stderr).toBe(0);
    const onePlan = parsedJson(one) as FleetPlan;
    expect(onePlan.sites.map((s) => s.domain)).toEqual(['new.example.com']);
    expect(onePlan.summary).toEqual({ create: 1, change: 0, blocked: 0, unmanaged: 0 });
    expect(onePlan.services).toEqual([]);

    // Exported, the user is declared (never its password); declared with SSH on, it is a change for ftp-user-update.
    const again = await exported(ovhflow, 'fleet-users.yaml');
    const users = again.accounts.default!.services[SHOP]!.users as Array<Record<string, unknown>>;
    expect(users).toEqual([{ login: 'demoshop-deploy', home: 'deploy', sshState: 'sftponly' }]);
    users[0]!.sshState = 'active';
    writeFleet('fleet-users.yaml', again);
    const userPlan = parsedJson(await ovhflow('plan', 'fleet-users.yaml', '--json')) as FleetPlan;
    expect(userPlan.summary).toEqual({ create: 0, change: 1, blocked: 0, unmanaged: 0 });
    expect(userPlan.services.find((s) => s.serviceName === SHOP)?.resources).toContainEqual({
      kind: 'user', key: 'demoshop-deploy', action: 'change', changes: [{ field: 'sshState', from: 'sftponly', to: 'active' }], runKind: 'ftp-user-update',
    });

    const unknown = await ovhflow('plan', 'fleet-unmanaged.yaml', '--site', 'nowhere.example.com');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--site nowhere.example.com: no site of fleet-unmanaged.yaml has this domain');
  });

  it('a bad file is refused with exit 2 and a clear message, nothing read: a plaintext password, an unknown field, a bad domain', async () => {
    const ovhflow = await cliStack.ownWorker('fleet-bad');
    const base = { version: 1, accounts: { default: { services: { [SHOP]: { sites: [{ domain: SHOP_SITE }] as Array<Record<string, unknown>>, users: [] as unknown[] } } } } };
    const before = await mark();

    const secret = structuredClone(base);
    secret.accounts.default.services[SHOP].users = [{ login: 'demoshop-dev', home: 'dev', password: 'Hunter2Hunter2' }];
    writeFleet('secret.yaml', secret);
    const refused = await ovhflow('plan', 'secret.yaml');
    expect(refused.code).toBe(2);
    expectRefusedStdout(refused);
    expect(refused.stderr).toMatch(/invalid fleet file, nothing was read:[\s\S]*users\[0\]\.password: a plaintext secret is not allowed in a fleet file .* env:NAME .* file:PATH/);
    expect(refused.stderr).not.toContain('Hunter2Hunter2');

    const unknownField = structuredClone(base);
    unknownField.accounts.default.services[SHOP].sites = [{ domain: SHOP_SITE, cdnn: 'active' }];
    writeFleet('unknown.yaml', unknownField);
    const unknown = await ovhflow('plan', 'unknown.yaml', '--json');
    expect(unknown.code).toBe(2);
    expect(parsedJson(unknown)).toMatchObject({ error: { code: 'invalid_input', issues: [{ field: expect.stringContaining('sites[0].cdnn'), message: expect.stringContaining('unknown field (did you mean "cdn"?)') }] } });

    const badDomain = structuredClone(base);
    badDomain.accounts.default.services[SHOP].sites = [{ domain: 'not a domain!' }];
    writeFleet('domain.yaml', badDomain);
    const domain = await ovhflow('plan', 'domain.yaml');
    expect(domain.code).toBe(2);
    expect(domain.stderr).toMatch(/sites\[0\]\.domain: "not a domain!" is not a valid domain name/);

    writeFileSync(inCwd('broken.yaml'), 'version: 1\naccounts: [unclosed\n');
    const broken = await ovhflow('plan', 'broken.yaml');
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/broken\.yaml: is not valid YAML \(line \d+, column \d+\)/);

    expect(ovhCalls(await requestsSince(before))).toEqual([]);
  });

  it('a service OVH will not let be read makes the plan incomplete: exit 1, the failure named, the other services still planned', async () => {
    const ovhflow = await cliStack.ownWorker('fleet-unreadable');
    await exported(ovhflow, 'fleet-unreadable.yaml');
    await stack.sim.faults([{ method: 'GET', path: `/hosting/web/${SHOP}/module`, status: 403 }]);
    try {
      const run = await ovhflow('plan', 'fleet-unreadable.yaml', '--json');
      expect(run.code, run.stderr).toBe(1);
      const plan = parsedJson(run) as FleetPlan;
      expect(plan.failures).toEqual([{ account: 'default', serviceName: SHOP, message: expect.any(String) }]);
      expect(plan.sites.some((site) => site.serviceName === SHOP)).toBe(false);
      expect(plan.services.map((s) => s.serviceName)).toContain(AGENCY);
      const human = await ovhflow('plan', 'fleet-unreadable.yaml');
      expect(human.code).toBe(1);
      expect(human.stdout).toMatch(new RegExp(`could not read ${SHOP.replace('.', '\\.')} \\(account default\\)`));
      expect(human.stdout).toContain('The plan is INCOMPLETE');
    } finally {
      await stack.sim.clearFaults();
    }
  });

  it('environment variables, cron jobs and a Git link: exported (a password as a reference, never its value) and planned unchanged; an edit plans exactly the edit, zero writes; what the file drops is unmanaged; a new repository is blocked; a plaintext password variable is refused', async () => {
    const ovhflow = await cliStack.ownWorker('fleet-runs');
    const GIT_SITE = 'git.example.org';
    const REPOSITORY = 'https://github.com/acme/gitsite';
    const SECRET = 'ApiKeyS3cret2026';
    const done = async (task: Promise<{ id: number }>) => stack.sim.waitForTask(AGENCY, (await task).id);
    await done(stack.ovh.attachDomain(AGENCY, { domain: GIT_SITE, path: 'gitsite', ssl: false }));
    await done(stack.ovh.createWebsite(AGENCY, { path: 'gitsite', vcsUrl: REPOSITORY, vcsBranch: 'main' }));
    await done(stack.ovh.createEnvVar(AGENCY, { key: 'APP_ENV', type: 'string', value: 'production' }));
    await done(stack.ovh.createEnvVar(AGENCY, { key: 'WORKERS', type: 'integer', value: '4' }));
    await done(stack.ovh.createEnvVar(AGENCY, { key: 'API_KEY', type: 'password', value: SECRET }));
    for (const command of ['gitsite/cron.php', 'gitsite/report.php']) await done(stack.ovh.createCron(AGENCY, { command, frequency: '0 3 * * *', language: 'php8.3' }));

    const file = await exported(ovhflow, 'fleet-runs.yaml');
    expect(readFileSync(inCwd('fleet-runs.yaml'), 'utf8')).not.toContain(SECRET);
    const agency = file.accounts.default!.services[AGENCY]!;
    expect(agency.env).toEqual({ API_KEY: { type: 'password', value: 'env:API_KEY' }, APP_ENV: 'production', WORKERS: { type: 'integer', value: '4' } });
    const job = (command: string) => ({ command, frequency: '0 3 * * *', language: 'php8.3', status: 'enabled' });
    expect(agency.cron).toEqual([job('gitsite/cron.php'), job('gitsite/report.php')]);
    const gitSite = agency.sites!.find((site) => site.domain === GIT_SITE)!;
    expect(gitSite.git).toEqual({ repository: REPOSITORY, branch: 'main' });

    const before = await mark();
    const unchanged = parsedJson(await ovhflow('plan', 'fleet-runs.yaml', '--json')) as FleetPlan;
    expect(unchanged.summary).toEqual({ create: 0, change: 0, blocked: 0, unmanaged: 0 });
    // OVH would answer a password's value, but the file holds a reference the plan never reads: said, not a change.
    expect(unchanged.services.find((s) => s.serviceName === AGENCY)?.resources).toContainEqual({ kind: 'env', key: 'API_KEY', action: 'none', reason: expect.stringContaining("a password's value is not compared") });

    agency.env = { API_KEY: agency.env!.API_KEY, WORKERS: { type: 'integer', value: 8 }, NEW_FLAG: 'on' };
    agency.cron = [{ ...job('gitsite/cron.php'), frequency: '0 4 * * *' }, { command: 'gitsite/new.php', frequency: '30 2 * * 1' }];
    gitSite.git = { repository: REPOSITORY, branch: 'develop' };
    writeFleet('fleet-runs-edit.yaml', file);
    const edited = parsedJson(await ovhflow('plan', 'fleet-runs-edit.yaml', '--json')) as FleetPlan;
    expect(edited.summary).toEqual({ create: 2, change: 3, blocked: 0, unmanaged: 2 });
    expect(siteOf(edited, GIT_SITE).resources.filter((r) => r.action !== 'none')).toEqual([
      { kind: 'git', key: 'gitsite', action: 'change', changes: [{ field: 'branch', from: 'main', to: 'develop' }], reason: 'the link follows develop, then deploys it', runKind: 'deploy' },
      { kind: 'cron', key: 'gitsite/cron.php', action: 'change', changes: [{ field: 'frequency', from: '0 3 * * *', to: '0 4 * * *' }], runKind: 'cron' },
      { kind: 'cron', key: 'gitsite/new.php', action: 'create', reason: '"30 2 * * 1"', runKind: 'cron' },
    ]);
    const unmanaged = { action: 'unmanaged', reason: 'exists at OVH, not in the file: left as it is' };
    expect(edited.services.find((s) => s.serviceName === AGENCY)?.resources.filter((r) => r.action !== 'none')).toEqual([
      { kind: 'env', key: 'WORKERS', action: 'change', changes: [{ field: 'value', from: '4', to: '8' }], runKind: 'env' },
      { kind: 'env', key: 'NEW_FLAG', action: 'create', reason: 'string variable', runKind: 'env' },
      { kind: 'cron', key: 'gitsite/report.php', ...unmanaged },
      { kind: 'env', key: 'APP_ENV', ...unmanaged },
    ]);

    // OVH cannot change a link's repository: a delete (with the deployed files) and a create, never done silently.
    gitSite.git = { repository: 'https://github.com/acme/other', branch: 'main' };
    writeFleet('fleet-runs-repository.yaml', file);
    const human = await ovhflow('plan', 'fleet-runs-repository.yaml');
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/! git gitsite: blocked\n\s+repository: https:\/\/github\.com\/acme\/gitsite → https:\/\/github\.com\/acme\/other\n\s+why: OVH cannot change a link's repository: it is a delete of the link .* then a create — never done silently by an apply/);
    expect(human.stdout).toMatch(/= env API_KEY: a password's value is not compared/);
    expect(ovhCalls(await requestsSince(before)).filter((r) => r.method !== 'GET')).toEqual([]);

    agency.env = { API_KEY: { type: 'password', value: 'Hunter2Hunter2' } };
    writeFleet('fleet-runs-plaintext.yaml', file);
    const sinceRefusal = await mark();
    const refused = await ovhflow('plan', 'fleet-runs-plaintext.yaml');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/env\.API_KEY\.value: a plaintext secret is not allowed in a fleet file/);
    expect(refused.stderr).not.toContain('Hunter2Hunter2');
    expect(ovhCalls(await requestsSince(sinceRefusal))).toEqual([]);
  });

  describe('over HTTP', () => {
    const api = useApiWithWorker(() => stack);

    it('POST /v1/plans answers the plan of a YAML or JSON fleet file, writes nothing; a bad file is a 400', async () => {
      const doc = { version: 1, accounts: { default: { services: { [SHOP]: { sites: [{ domain: SHOP_SITE, path: 'shop', cdn: 'active' }] } } } } };
      const before = await mark();
      const fromYaml = await api.call('POST', '/v1/plans', { rawBody: yaml.dump(doc), headers: { 'Content-Type': 'application/yaml' } });
      expect(fromYaml.status, fromYaml.text).toBe(200);
      expect(fromYaml.body).toMatchObject({ summary: { create: 0, change: 1, blocked: 0 }, failures: [], reads: expect.any(Number) });
      expect((fromYaml.body as FleetPlan).sites.find((s) => s.domain === SHOP_SITE)?.resources[0]).toMatchObject({ kind: 'site', changes: [{ field: 'cdn', from: 'none', to: 'active' }] });

      const fromJson = await api.call('POST', '/v1/plans?site=shop.example.com', { body: doc });
      expect(fromJson.status, fromJson.text).toBe(200);
      expect(fromJson.body).toMatchObject({ summary: { create: 0, change: 1, blocked: 0, unmanaged: 0 }, services: [] });
      expect(ovhCalls(await requestsSince(before)).filter((r) => r.method !== 'GET')).toEqual([]);

      const bad = await api.call('POST', '/v1/plans', { body: { version: 1, accounts: { default: { services: { [SHOP]: { users: [{ login: 'demoshop-x', home: 'x', password: 'PlainHunter22' }] } } } } } });
      expect(bad.status).toBe(400);
      expect(bad.body).toMatchObject({ error: 'invalid_input', issues: [{ field: expect.stringContaining('users[0].password'), message: expect.stringContaining('a plaintext secret is not allowed') }] });
      expect(bad.text).not.toContain('PlainHunter22');
    });
  });
});
