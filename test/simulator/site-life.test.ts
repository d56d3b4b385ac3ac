// The life of a site after provisioning: each CMS's admin and table-prefix rules, password changes (module admin,
// database, FTP user), FTP users changed and deleted, attached-domain options, runtimes, what breaks a CMS, and how
// a certificate is replaced.
import { generate } from 'selfsigned';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestSimulator, type Json, type OfficialOvhClient, type TestSimulator } from '../support/simulator.js';

let sim: TestSimulator;
let client: OfficialOvhClient;
const shop = '/hosting/web/demo-shop.ovh';
const agency = '/hosting/web/demo-agency.ovh';
const shopDependency = { type: 'mysql', name: 'demoshopdb1', server: 'demoshopdb1.mysql.db', port: 3306, user: 'demoshopdb1', password: 'DemoShopDb2024' };

beforeAll(async () => {
  sim = await startTestSimulator({ taskDurationMs: { default: 20 } });
  client = sim.ovhClient();
});
beforeEach(async () => {
  await sim.reset();
  await sim.config({ taskDurationMs: { default: 20 } });
});
afterAll(async () => {
  await sim.stop();
});

async function done(service: string, answer: { status: number; body: Json }): Promise<Record<string, Json>> {
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return sim.waitForTask(service, (answer.body.id ?? answer.body.taskId) as number);
}

/** Waits for the task a PUT started (PUT answers nothing: the resource names its task). */
async function settled(path: string): Promise<Record<string, Json>> {
  const resource = (await client.requestPromised('GET', path)) as Record<string, Json>;
  if (resource.taskId !== null) await sim.waitForTask(path.split('/')[3] as string, resource.taskId as number);
  return (await client.requestPromised('GET', path)) as Record<string, Json>;
}

const install = (body: Record<string, unknown>) =>
  sim.call('POST', `${shop}/module`, { body: { domain: 'shop.example.com', path: 'shop/cms', dependencies: [shopDependency], ...body } });

describe('module catalog rules', () => {
  it('lists every CMS of the 1-click catalog', async () => {
    const ids = (await client.requestPromised('GET', '/hosting/web/moduleList', { active: true, latest: true })) as number[];
    const names = await Promise.all(ids.map(async (id) => ((await client.requestPromised('GET', `/hosting/web/moduleList/${id}`)) as Record<string, Json>).name));
    expect(names.sort()).toEqual(['drupal', 'joomla', 'prestashop', 'wordpress']);
  });

  it.each([
    [{ moduleId: 302, adminName: 'admin' }, '[adminName] prestashop needs an email address as admin login'],
    [{ moduleId: 303, adminName: 'a' }, '[adminName] The joomla admin login must be 2 to 150 characters long'],
    [{ moduleId: 303, adminName: 'ad"min' }, '[adminName] The joomla admin login may contain any character but < > \\ " \' % ; ( ) & only'],
    [{ moduleId: 301, adminName: 'admin!' }, '[adminName] The wordpress admin login may contain letters, digits, spaces and _ . - @ only'],
    [{ moduleId: 301, adminName: 'x'.repeat(61) }, '[adminName] The wordpress admin login must be 1 to 60 characters long'],
    [{ moduleId: 301, adminPassword: 'short' }, '[adminPassword] The password must be at least 8 characters long'],
    [{ moduleId: 303, adminPassword: 'elevenchars' }, '[adminPassword] The joomla admin password must be at least 12 characters long'],
  ])('refuses %j', async (body, message) => {
    const answer = await install(body);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ class: 'Client::BadRequest', message });
  });

  it("checks the table prefix against the CMS's rule", async () => {
    const joomla = await install({ moduleId: 303, adminPassword: 'Long-enough-12', dependencies: [{ ...shopDependency, prefix: '1jos_' }] });
    expect(joomla.body.message).toBe(
      '[dependencies[0].prefix] Invalid table prefix for joomla: 1jos_ (a letter, then letters, digits and underscores, at most 15 characters)',
    );
    const wordpress = await install({ moduleId: 301, dependencies: [{ ...shopDependency, prefix: 'wp-' }] });
    expect(wordpress.status).toBe(400);
    await done('demo-shop.ovh', await install({ moduleId: 302, adminName: 'owner@shop.example.com', adminPassword: 'Shop-admin-1', dependencies: [{ ...shopDependency, prefix: 'ps8_' }] }));
    const modules = (await sim.state()).services['demo-shop.ovh']?.modules ?? [];
    expect(modules.find((module) => module.path === 'shop/cms')).toMatchObject({ moduleId: 302, adminName: 'owner@shop.example.com', dependencies: [expect.objectContaining({ prefix: 'ps8_' })] });
  });
});

describe('password changes', () => {
  it("has no call to change a module's admin password any more (OVH's 2026 API): 404, the module untouched", async () => {
    const answer = await sim.call('POST', `${shop}/module/701/changePassword`);
    expect(answer.status).toBe(404);
    expect(await client.requestPromised('GET', `${shop}/module/701`)).toMatchObject({ status: 'created', taskId: null });
    expect((await sim.state()).services['demo-shop.ovh']?.passwordChanges).toEqual([]);
  });

  it("changes a database password, which breaks the CMS that still uses the old one", async () => {
    const weak = await sim.call('POST', `${shop}/database/demoshopdb1/changePassword`, { body: { password: 'weak' } });
    expect(weak.body.message).toMatch(/^\[password\] The password must be 8 to 30 characters long/);
    const task = await done('demo-shop.ovh', await sim.call('POST', `${shop}/database/demoshopdb1/changePassword`, { body: { password: 'NewShopDb2025' } }));
    expect(task).toMatchObject({ function: 'database/changePassword', status: 'done' });
    const state = (await sim.state()).services['demo-shop.ovh'];
    expect(state?.moduleHealth).toEqual([{ id: 701, healthy: false, problems: ['the password of the database demoshopdb1 changed: the CMS still uses the old one'] }]);
    const old = await install({ moduleId: 301 });
    expect(old.body.message).toBe('[dependencies[0].password] Unable to connect to the database demoshopdb1 with the given server, port, user and password');
    expect((await sim.requests()).find((request) => request.path.endsWith('/changePassword') && request.status === 200)?.body).toEqual({ password: '***' });
  });

  it('lets a database used by a module be deleted (OVH has no such rule), which breaks the module', async () => {
    await done('demo-shop.ovh', await sim.call('DELETE', `${shop}/database/demoshopdb1`));
    expect((await sim.state()).services['demo-shop.ovh']?.moduleHealth).toEqual([{ id: 701, healthy: false, problems: ['the database demoshopdb1 was deleted'] }]);
  });

  it('changes an FTP user password with the FTP password rule', async () => {
    await done('demo-shop.ovh', await sim.call('POST', `${shop}/user`, { body: { login: 'demoshop-dev', home: 'www', password: 'Passw0rdOk' } }));
    expect((await sim.call('POST', `${shop}/user/demoshop-dev/changePassword`, { body: { password: 'no-digits-Here' } })).status).toBe(400);
    const task = await done('demo-shop.ovh', await sim.call('POST', `${shop}/user/demoshop-dev/changePassword`, { body: { password: 'Passw0rdNew' } }));
    expect(task.function).toBe('user/changePassword');
    expect((await sim.call('POST', `${shop}/user/nobody/changePassword`, { body: { password: 'Passw0rdNew' } })).body).toEqual({
      class: 'Client::NotFound',
      message: 'The requested object (login = nobody) does not exist',
    });
  });
});

describe('FTP users', () => {
  it('changes sshState and home through a user/update task, ignoring read-only properties sent back', async () => {
    await done('demo-shop.ovh', await sim.call('POST', `${shop}/user`, { body: { login: 'demoshop-dev', home: 'www', password: 'Passw0rdOk' } }));
    const user = (await client.requestPromised('GET', `${shop}/user/demoshop-dev`)) as Record<string, Json>;
    expect(await client.requestPromised('PUT', `${shop}/user/demoshop-dev`, { ...user, sshState: 'sftponly', home: './sites/dev/' })).toBeNull();
    expect(await settled(`${shop}/user/demoshop-dev`)).toMatchObject({ sshState: 'sftponly', home: 'sites/dev', status: 'created', login: 'demoshop-dev' });
    const tasks = (await client.requestPromised('GET', `${shop}/tasks`, { function: 'user/update' })) as number[];
    expect(tasks).toHaveLength(1);
  });

  it('refuses SSH where the offer has none, moving the primary account, and deletes extra users', async () => {
    expect((await sim.call('PUT', `${agency}/user/demoagen`, { body: { sshState: 'active' } })).body.message).toBe('[sshState] SSH access is not available with the PERSO offer');
    expect((await sim.call('PUT', `${shop}/user/demoshop`, { body: { home: 'elsewhere' } })).body).toEqual({
      class: 'Client::Forbidden',
      message: 'The home of the primary account of a hosting cannot be changed',
    });
    await done('demo-shop.ovh', await sim.call('POST', `${shop}/user`, { body: { login: 'demoshop-dev', home: 'www', password: 'Passw0rdOk' } }));
    await done('demo-shop.ovh', await sim.call('DELETE', `${shop}/user/demoshop-dev`));
    expect(await client.requestPromised('GET', `${shop}/user`)).toEqual(['demoshop']);
  });
});

describe('attached domain options and runtimes', () => {
  it('takes every option of the schema on attach, checking runtimeId and ownLog against the hosting', async () => {
    const runtimes = (await client.requestPromised('GET', `${shop}/runtime`)) as number[];
    expect(runtimes).toHaveLength(2);
    const nodeRuntime = runtimes[1] as number;
    expect(await client.requestPromised('GET', `${shop}/runtime/${nodeRuntime}`)).toMatchObject({ type: 'nodejs-14', isDefault: false, status: 'created' });
    expect((await sim.call('POST', `${shop}/attachedDomain`, { body: { domain: 'api.example.com', runtimeId: 4242 } })).body.message).toBe(
      '[runtimeId] The runtime 4242 does not exist on this hosting',
    );
    expect((await sim.call('POST', `${shop}/attachedDomain`, { body: { domain: 'api.example.com', ownLog: 'logs.example.org' } })).body.message).toBe(
      '[ownLog] logs.example.org is not attached to this hosting: logs can only be separated on an attached domain',
    );
    await done(
      'demo-shop.ovh',
      await sim.call('POST', `${shop}/attachedDomain`, {
        body: { domain: 'api.example.com', path: 'api', ssl: true, cdn: 'none', firewall: 'active', ownLog: 'shop.example.com', runtimeId: nodeRuntime, ipLocation: 'DE', bypassDNSConfiguration: false },
      }),
    );
    expect(await client.requestPromised('GET', `${shop}/attachedDomain/api.example.com`)).toMatchObject({
      path: 'api',
      ssl: true,
      firewall: 'active',
      ownLog: 'shop.example.com',
      runtimeId: nodeRuntime,
      ipLocation: 'DE',
    });
    expect(await client.requestPromised('GET', `${shop}/runtime/${nodeRuntime}/attachedDomains`)).toEqual(['api.example.com']);
    const german = ((await client.requestPromised('GET', shop)) as Record<string, Json>).countriesIp.find(
      (entry: Record<string, Json>) => entry.country === 'DE',
    );
    expect((await sim.admin('GET', '/dns/api.example.com')).a).toEqual([german.ip]);
  });

  it('changes options through an attachedDomain/update task; a cancelled one changes nothing', async () => {
    await sim.config({ taskDurationMs: { 'attachedDomain/update': 400 } });
    expect(await client.requestPromised('PUT', `${shop}/attachedDomain/shop.example.com`, { firewall: 'active', path: 'shop-v2' })).toBeNull();
    expect((await sim.call('PUT', `${shop}/attachedDomain/shop.example.com`, { body: { ssl: false } })).status).toBe(409);
    expect(await settled(`${shop}/attachedDomain/shop.example.com`)).toMatchObject({ firewall: 'active', path: 'shop-v2', status: 'created' });
    await sim.faults([{ taskFunction: 'attachedDomain/update', outcome: 'cancelled', times: 1 }]);
    await client.requestPromised('PUT', `${shop}/attachedDomain/shop.example.com`, { firewall: 'none' });
    expect(await settled(`${shop}/attachedDomain/shop.example.com`)).toMatchObject({ firewall: 'active', status: 'created' });
    expect((await sim.call('PUT', `${shop}/attachedDomain/shop.example.com`, { body: { domain: 'other.example.com' } })).body.message).toBe(
      '[domain] The domain of an attached domain cannot be changed: detach it and attach the new one',
    );
  });
});

describe('certificate replacement', () => {
  it('needs the current certificate deleted before another is imported, and never regenerates a custom one', async () => {
    const pems = await generate([{ name: 'commonName', value: 'shop.example.com' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'shop.example.com' }] }],
    });
    const replace = await sim.call('POST', `${shop}/ssl`, { body: { certificate: pems.cert, key: pems.private } });
    expect(replace.status).toBe(409);
    expect(replace.body).toEqual({
      class: 'Client::Conflict',
      message: 'The hosting demo-shop.ovh already has an SSL certificate (LETSENCRYPT, created): delete it (DELETE /ssl) before creating or importing another',
    });
    await done('demo-shop.ovh', await sim.call('DELETE', `${shop}/ssl`));
    await done('demo-shop.ovh', await sim.call('POST', `${shop}/ssl`, { body: { certificate: pems.cert, key: pems.private } }));
    expect(await client.requestPromised('GET', `${shop}/ssl`)).toMatchObject({ provider: 'CUSTOM', status: 'created' });
    expect((await sim.call('POST', `${shop}/ssl/regenerate`)).status).toBe(403);
    expect((await sim.call('POST', `${shop}/ssl`, { body: { certificate: pems.cert, key: pems.private } })).status).toBe(409);
  });
});
