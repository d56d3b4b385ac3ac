// The business rules OVH enforces beyond the schema, each answered in OVH's error format: service state, offer
// quotas, naming and password rules, what a module needs, conflicts, SSL preconditions and limits.
import { generate } from 'selfsigned';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestSimulator, type Json, type TestSimulator } from '../support/simulator.js';

let sim: TestSimulator;
const agency = '/hosting/web/demo-agency.ovh';
const shop = '/hosting/web/demo-shop.ovh';

beforeAll(async () => {
  sim = await startTestSimulator({ taskDurationMs: { default: 20 } });
});
beforeEach(async () => {
  await sim.reset();
  await sim.config({ taskDurationMs: { default: 20 } });
});
afterAll(async () => {
  await sim.stop();
});

const wordpress = { moduleId: 301 };
const shopDependency = { type: 'mysql', name: 'demoshopdb1', server: 'demoshopdb1.mysql.db', port: 3306, user: 'demoshopdb1', password: 'DemoShopDb2024' };

async function done(service: string, answer: { status: number; body: Json }) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return sim.waitForTask(service, (answer.body.id ?? answer.body.taskId) as number);
}

describe('service state', () => {
  it('refuses every write on a service that is not active, and still answers reads', async () => {
    const blocked = '/hosting/web/demo-blocked.ovh';
    const write = await sim.call('POST', `${blocked}/attachedDomain`, { body: { domain: 'b.example.org' } });
    expect(write.status).toBe(403);
    expect(write.body).toEqual({ class: 'Client::Forbidden', message: 'The service demo-blocked.ovh is not active (state: bloqued): it cannot be modified' });
    expect((await sim.call('GET', blocked)).body.state).toBe('bloqued');
    await sim.setService('demo-agency.ovh', { state: 'maintenance' });
    expect((await sim.call('POST', `${agency}/ssl`)).status).toBe(403);
    await sim.setService('demo-agency.ovh', { state: 'active' });
  });
});

describe('offer quotas', () => {
  it('allows one database on Perso, and says so in databaseCreationCapabilities', async () => {
    expect((await sim.call('GET', `${agency}/databaseCreationCapabilities`)).body).toEqual([
      { available: 1, engines: ['mysql'], isolation: 'shared', quota: { unit: 'MB', value: 512 }, type: 'sqlPerso' },
    ]);
    await done('demo-agency.ovh', await sim.call('POST', `${agency}/database`, { body: { capabilitie: 'sqlPerso', user: 'demoagen1', password: 'Passw0rdOk', type: 'mysql' } }));
    expect((await sim.call('GET', `${agency}/databaseCreationCapabilities`)).body[0].available).toBe(0);
    const second = await sim.call('POST', `${agency}/database`, { body: { capabilitie: 'sqlPerso', user: 'demoagen2', password: 'Passw0rdOk', type: 'mysql' } });
    expect(second.status).toBe(403);
    expect(second.body).toEqual({ class: 'Client::Forbidden', message: 'You have reached the maximum number of sqlPerso databases of the PERSO offer (1)' });
  });

  it('limits attached domains per offer', async () => {
    await sim.setService('tiny.example', { offer: 'START' });
    await done('tiny.example', await sim.call('POST', '/hosting/web/tiny.example/attachedDomain', { body: { domain: 'one.example.org' } }));
    const second = await sim.call('POST', '/hosting/web/tiny.example/attachedDomain', { body: { domain: 'two.example.org' } });
    expect(second.status).toBe(403);
    expect(second.body.message).toBe('You have reached the maximum number of attached domains of the START offer (1)');
  });

  it('allows no extra FTP user and no SSH on Perso', async () => {
    const ssh = await sim.call('POST', `${agency}/user`, { body: { login: 'demoagen-dev', home: 'www', password: 'Passw0rdOk', sshState: 'active' } });
    expect(ssh.body).toEqual({ class: 'Client::BadRequest', message: '[sshState] SSH access is not available with the PERSO offer' });
    const user = await sim.call('POST', `${agency}/user`, { body: { login: 'demoagen-dev', home: 'www', password: 'Passw0rdOk' } });
    expect(user.status).toBe(403);
    expect(user.body.message).toBe('You have reached the maximum number of extra FTP users of the PERSO offer (0)');
  });
});

describe('names and passwords', () => {
  it.each([
    ['someoneelse1', '[user] The database user must start with the hosting\'s primary login (demoagen) followed by a suffix'],
    ['demoagen', '[user] The database user must start with the hosting\'s primary login (demoagen) followed by a suffix'],
    ['demoagenBlog', '[user] The database user must contain only lowercase letters and digits'],
    ['demoagen_blog', '[user] The database user must contain only lowercase letters and digits'],
    ['demoagenverylongname', '[user] The database user must be at most 16 characters long'],
  ])('refuses the database user %s', async (user, message) => {
    const answer = await sim.call('POST', `${agency}/database`, { body: { capabilitie: 'sqlPerso', user, password: 'Passw0rdOk', type: 'mysql' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ class: 'Client::BadRequest', message });
  });

  it.each(['Sh0rt', 'alllowercase1', 'ALLUPPERCASE1', 'NoDigitsHere', 'With-Special1', 'W1thAVeryLongPasswordThatGoesOnAndOn'])(
    'refuses the password %s for databases and FTP users (8-30 letters and digits, upper, lower, digit)',
    async (password) => {
      const database = await sim.call('POST', `${agency}/database`, { body: { capabilitie: 'sqlPerso', user: 'demoagen1', password, type: 'mysql' } });
      expect(database.status).toBe(400);
      expect(database.body.message).toMatch(/^\[password\] The password must be 8 to 30 characters long/);
      const user = await sim.call('POST', `${shop}/user`, { body: { login: 'demoshop-dev', home: 'www', password } });
      expect(user.body.message).toMatch(/^\[password\] The password must be 8 to 30 characters long/);
    },
  );

  it('wants FTP logins named <primaryLogin>-<suffix>, and keeps the primary account', async () => {
    const login = await sim.call('POST', `${shop}/user`, { body: { login: 'deploy', home: 'www', password: 'Passw0rdOk' } });
    expect(login.body.message).toBe('[login] The login must be demoshop-<suffix> (lowercase letters and digits, at most 32 characters)');
    const home = await sim.call('POST', `${shop}/user`, { body: { login: 'demoshop-dev', home: '../etc', password: 'Passw0rdOk' } });
    expect(home.body.message).toBe('[home] Invalid path: ../etc');
    const primary = await sim.call('DELETE', `${shop}/user/demoshop`);
    expect(primary.body).toEqual({ class: 'Client::Forbidden', message: 'The primary account of a hosting cannot be deleted' });
  });

  it('checks domain names and converts international ones to punycode', async () => {
    expect((await sim.call('POST', `${agency}/attachedDomain`, { body: { domain: 'not a domain' } })).body.message).toBe('[domain] Invalid domain name: not a domain');
    await done('demo-agency.ovh', await sim.call('POST', `${agency}/attachedDomain`, { body: { domain: 'Café.Example.org' } }));
    expect((await sim.call('GET', `${agency}/attachedDomain`)).body).toEqual(['xn--caf-dma.example.org']);
  });
});

describe('attached domains', () => {
  it('answers 409 when a domain is already attached, here or to another hosting', async () => {
    const here = await sim.call('POST', `${shop}/attachedDomain`, { body: { domain: 'shop.example.com', path: 'www' } });
    expect(here.status).toBe(409);
    expect(here.body).toEqual({ class: 'Client::Conflict', message: 'The domain shop.example.com is already attached to this hosting' });
    const elsewhere = await sim.call('POST', `${agency}/attachedDomain`, { body: { domain: 'shop.example.com' } });
    expect(elsewhere.body.message).toBe('The domain shop.example.com is already attached to another hosting');
    expect((await sim.call('GET', '/hosting/web/attachedDomain', { query: { domain: 'shop.example.com' } })).body).toEqual(['demo-shop.ovh']);
  });
});

describe('modules', () => {
  it('needs a domain attached to the hosting', async () => {
    const noDomain = await sim.call('POST', `${agency}/module`, { body: { ...wordpress, dependencies: [] } });
    expect(noDomain.body).toEqual({ class: 'Client::BadRequest', message: '[domain] The domain demo-agency.ovh is not attached to this hosting' });
    const other = await sim.call('POST', `${shop}/module`, { body: { ...wordpress, domain: 'elsewhere.example.org', dependencies: [shopDependency] } });
    expect(other.body.message).toBe('[domain] The domain elsewhere.example.org is not attached to this hosting');
  });

  it('needs an empty directory inside the domain\'s folder', async () => {
    const occupied = await sim.call('POST', `${shop}/module`, { body: { ...wordpress, domain: 'shop.example.com', dependencies: [shopDependency] } });
    expect(occupied.status).toBe(409);
    expect(occupied.body).toEqual({ class: 'Client::Conflict', message: 'The directory shop is not empty: module 701 is installed there' });
    const outside = await sim.call('POST', `${shop}/module`, { body: { ...wordpress, domain: 'shop.example.com', path: 'www', dependencies: [shopDependency] } });
    expect(outside.body.message).toBe('[path] www is outside the folder of shop.example.com (shop)');
    const below = await sim.call('POST', `${shop}/module`, { body: { ...wordpress, domain: 'shop.example.com', path: './shop/blog', dependencies: [shopDependency] } });
    await done('demo-shop.ovh', below);
    const modules = (await sim.state()).services['demo-shop.ovh']?.modules ?? [];
    expect(modules.find((module) => module.path === 'shop/blog')).toMatchObject({ targetUrl: 'https://shop.example.com/blog/', status: 'created' });
  });

  it('needs an existing MySQL database of the hosting, with its real credentials, as mysql dependency', async () => {
    const install = (dependencies: unknown[]) =>
      sim.call('POST', `${shop}/module`, { body: { ...wordpress, domain: 'shop.example.com', path: 'shop/new', dependencies } });
    expect((await install([])).body.message).toBe('[dependencies] This module needs a mysql dependency: an existing database of the hosting with its credentials');
    const { password: _password, ...noPassword } = shopDependency;
    expect((await install([noPassword])).body.message).toBe('[dependencies[0].password] Missing parameter');
    expect((await install([{ ...shopDependency, name: 'ghostdb' }])).body.message).toBe('[dependencies[0].name] The database ghostdb does not exist on this hosting');
    const wrong = await install([{ ...shopDependency, password: 'WrongPass123' }]);
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toBe('[dependencies[0].password] Unable to connect to the database demoshopdb1 with the given server, port, user and password');
    expect((await install([{ ...shopDependency, server: 'localhost' }])).status).toBe(400);
    expect((await install([{ ...shopDependency, port: 3307 }])).status).toBe(400);
    expect((await sim.state()).services['demo-shop.ovh']?.modules).toHaveLength(1);
  });

  it('refuses a database that is still being created, and a catalog module that is not active', async () => {
    await sim.call('POST', `${shop}/database`, { body: { capabilitie: 'sqlPerso', user: 'demoshopnew', password: 'Passw0rdOk', type: 'mysql' } });
    const busy = await sim.call('POST', `${shop}/module`, {
      body: { ...wordpress, domain: 'shop.example.com', path: 'shop/new', dependencies: [{ ...shopDependency, name: 'demoshopnew', user: 'demoshopnew', server: 'demoshopnew.mysql.db', password: 'Passw0rdOk' }] },
    });
    expect(busy.status).toBe(409);
    expect(busy.body.message).toMatch(/^The database demoshopnew is busy: its status is creating/);
    const retired = await sim.call('POST', `${shop}/module`, { body: { moduleId: 254, domain: 'shop.example.com', dependencies: [shopDependency] } });
    expect(retired.body.message).toBe('[moduleId] The module 254 does not exist or cannot be installed anymore');
    const language = await sim.call('POST', `${shop}/module`, { body: { moduleId: 302, language: 'fi', domain: 'shop.example.com', dependencies: [shopDependency] } });
    expect(language.body.message).toMatch(/^\[language\] prestashop 8\.1\.5 is not available in fi/);
    const adminName = await sim.call('POST', `${shop}/module`, { body: { moduleId: 302, adminName: 'admin', domain: 'shop.example.com', path: 'shop/store', dependencies: [shopDependency] } });
    expect(adminName.body.message).toBe('[adminName] prestashop needs an email address as admin login');
  });
});

describe('databases and dumps', () => {
  it('records sendEmail as true when a dump request omits it', async () => {
    await done('demo-shop.ovh', await sim.call('POST', `${shop}/database/demoshopdb1/dump`, { body: { date: 'now' } }));
    await done('demo-shop.ovh', await sim.call('POST', `${shop}/database/demoshopdb1/dump`, { body: { date: 'weekly.1', sendEmail: false } }));
    const dumps = (await sim.state()).services['demo-shop.ovh']?.dumps ?? [];
    expect(dumps.filter((dump) => dump.id !== 5001).map((dump) => [dump.type, dump.sendEmail])).toEqual([
      ['now', true],
      ['weekly.1', false],
    ]);
    expect((await sim.requests()).filter((r) => r.method === 'POST' && r.path.endsWith('/dump'))[0]?.body).toEqual({ date: 'now' });
  });

  it('refuses a second operation on a busy database, and a restore of "now"', async () => {
    await sim.config({ taskDurationMs: { 'dump/create': 5_000 } });
    expect((await sim.call('POST', `${shop}/database/demoshopdb1/dump`, { body: { date: 'now' } })).status).toBe(200);
    const second = await sim.call('POST', `${shop}/database/demoshopdb1/dump`, { body: { date: 'now' } });
    expect(second.status).toBe(409);
    expect(second.body.message).toMatch(/^The database demoshopdb1 is busy: its status is dumping \(task \d+\)/);
    const restoreNow = await sim.call('POST', `${shop}/database/demoshopdb1/restore`, { body: { date: 'now' } });
    expect(restoreNow.body.message).toBe('[date] There is no backup to restore for the date now: use daily.1 or weekly.1');
  });

  it('keeps the dumps of a deleted database as orphans', async () => {
    await done('demo-shop.ovh', await sim.call('DELETE', `${shop}/database/demoshopdb1`));
    expect((await sim.call('GET', `${shop}/dump`, { query: { orphan: true } })).body).toEqual([5001]);
    expect((await sim.call('GET', `${shop}/dump/5001`)).body).toMatchObject({ orphan: true, databaseName: 'demoshopdb1' });
  });
});

describe('SSL', () => {
  it('needs an attached domain with SSL on for Let\'s Encrypt', async () => {
    const nothing = await sim.call('POST', `${agency}/ssl`);
    expect(nothing.status).toBe(403);
    expect(nothing.body.message).toBe("Let's Encrypt needs at least one attached domain with SSL enabled (attachedDomain ssl: true)");
    await done('demo-agency.ovh', await sim.call('POST', `${agency}/attachedDomain`, { body: { domain: 'plain.example.org', ssl: false } }));
    expect((await sim.call('POST', `${agency}/ssl`)).status).toBe(403);
    await done('demo-agency.ovh', await sim.call('POST', `${agency}/attachedDomain`, { body: { domain: 'secure.example.org', path: 'secure', ssl: true } }));
    await done('demo-agency.ovh', await sim.call('POST', `${agency}/ssl`));
    expect((await sim.call('GET', `${agency}/ssl/domains`)).body).toEqual(['secure.example.org']);
    expect((await sim.call('POST', `${agency}/ssl`)).status).toBe(409);
  });

  it('regenerates at most 5 times a week', async () => {
    for (let i = 0; i < 5; i += 1) await done('demo-shop.ovh', await sim.call('POST', `${shop}/ssl/regenerate`));
    const sixth = await sim.call('POST', `${shop}/ssl/regenerate`);
    expect(sixth.status).toBe(403);
    expect(sixth.body).toEqual({ class: 'Client::Forbidden', message: 'The SSL certificate can be regenerated at most 5 times a week' });
  });

  it('imports a custom certificate covering the names in it, and never regenerates it', async () => {
    await done('demo-agency.ovh', await sim.call('POST', `${agency}/attachedDomain`, { body: { domain: 'custom.example.org' } }));
    const pems = await generate([{ name: 'commonName', value: 'custom.example.org' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'custom.example.org' }, { type: 2, value: 'www.custom.example.org' }] }],
    });
    const other = await generate([{ name: 'commonName', value: 'other.example.org' }], { keyType: 'ec', algorithm: 'sha256' });
    const mismatch = await sim.call('POST', `${agency}/ssl`, { body: { certificate: pems.cert, key: other.private } });
    expect(mismatch.body.message).toBe('[key] The private key does not match the certificate');
    expect((await sim.call('POST', `${agency}/ssl`, { body: { certificate: 'garbage', key: pems.private } })).body.message).toBe('[certificate] This is not a PEM certificate');
    expect((await sim.call('POST', `${agency}/ssl`, { body: { certificate: pems.cert } })).body.message).toBe('[key] Missing parameter');

    const imported = await sim.call('POST', `${agency}/ssl`, { body: { certificate: pems.cert, key: pems.private } });
    expect(imported.body).toMatchObject({ provider: 'CUSTOM', type: 'CUSTOM', status: 'importing', regenerable: false });
    await done('demo-agency.ovh', imported);
    expect((await sim.call('GET', `${agency}/ssl/domains`)).body).toEqual(['custom.example.org', 'www.custom.example.org']);
    expect((await sim.call('POST', `${agency}/ssl/regenerate`)).body.message).toBe('Only a Let\'s Encrypt certificate can be regenerated (this one is CUSTOM)');
    expect((await sim.requests()).find((r) => r.method === 'POST' && r.path.endsWith('/ssl') && r.status === 200)?.body).toEqual({ certificate: pems.cert, key: '***' });
  });
});
