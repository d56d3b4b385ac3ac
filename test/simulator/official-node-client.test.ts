// The official `ovh` npm client, unchanged, runs every /hosting/web call ovhflow needs against the simulator —
// and is refused exactly as OVH refuses it (wrong secret, stale clock, ungranted call).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOfficialOvhClient, startTestSimulator, type OfficialOvhClient, type OvhRejection, type TestSimulator } from '../support/simulator.js';

let sim: TestSimulator;
let client: OfficialOvhClient;
const agency = 'demo-agency.ovh';
const shop = 'demo-shop.ovh';

beforeAll(async () => {
  sim = await startTestSimulator();
  client = sim.ovhClient();
});
afterAll(async () => {
  await sim.stop();
});

async function rejection(promise: Promise<unknown>): Promise<OvhRejection> {
  try {
    await promise;
  } catch (error) {
    return error as OvhRejection;
  }
  throw new Error('expected the call to be refused');
}

describe('the official Node client against the simulator', () => {
  it('reads the services and one service with its state, offer and primary login', async () => {
    expect(await client.requestPromised('GET', '/hosting/web')).toEqual(['demo-agency.ovh', 'demo-blocked.ovh', 'demo-shop.ovh']);
    const service = await client.requestPromised('GET', `/hosting/web/${agency}`);
    expect(service).toMatchObject({ serviceName: agency, state: 'active', offer: 'PERSO', primaryLogin: 'demoagen', cluster: 'cluster031' });
    expect(await client.requestPromised('GET', '/hosting/web/offerCapabilities', { offer: 'PERSO' })).toMatchObject({ attachedDomains: 10, extraUsers: 0 });
  });

  it('provisions a site: domain, database, WordPress wired to it, Let\'s Encrypt, waiting for each task', async () => {
    const attach = await client.requestPromised('POST', `/hosting/web/${agency}/attachedDomain`, { domain: 'blog.example.org', path: 'blog', ssl: true });
    expect(attach).toMatchObject({ function: 'attachedDomain/create', status: 'todo', objectId: 'blog.example.org' });
    expect(await client.requestPromised('GET', `/hosting/web/${agency}/attachedDomain/blog.example.org`)).toMatchObject({ status: 'creating', taskId: attach.id });
    expect((await sim.waitForTask(agency, attach.id)).status).toBe('done');
    expect(await client.requestPromised('GET', `/hosting/web/${agency}/attachedDomain`, { domain: 'blog.example.org' })).toEqual(['blog.example.org']);

    expect(await client.requestPromised('GET', `/hosting/web/${agency}/databaseAvailableType`)).toEqual(['mysql']);
    expect(await client.requestPromised('GET', `/hosting/web/${agency}/databaseAvailableVersion`, { type: 'mysql' })).toEqual({ default: '8.0', list: ['5.7', '8.0'] });
    const createDb = await client.requestPromised('POST', `/hosting/web/${agency}/database`, {
      capabilitie: 'sqlPerso',
      user: 'demoagenblog',
      password: 'BlogPass2024',
      type: 'mysql',
      version: '8.0',
      quota: 512,
    });
    expect(createDb).toMatchObject({ function: 'database/create', objectType: 'Database', objectId: 'demoagenblog' });
    expect(await client.requestPromised('GET', `/hosting/web/${agency}/database/demoagenblog`)).toMatchObject({ status: 'creating', taskId: createDb.id });
    await sim.waitForTask(agency, createDb.id);
    const database = await client.requestPromised('GET', `/hosting/web/${agency}/database/demoagenblog`);
    expect(database).toMatchObject({ name: 'demoagenblog', user: 'demoagenblog', server: 'demoagenblog.mysql.db', port: 3306, status: 'created', taskId: null });
    expect(await client.requestPromised('GET', `/hosting/web/${agency}/database`, { type: 'mysql', user: 'demoagen%' })).toEqual(['demoagenblog']);

    const latest = (await client.requestPromised('GET', '/hosting/web/moduleList', { active: true, latest: true })) as number[];
    const entries = await Promise.all(latest.map((id) => client.requestPromised('GET', `/hosting/web/moduleList/${id}`)));
    const wordpress = entries.find((entry) => entry.name === 'wordpress');
    expect(wordpress).toMatchObject({ active: true, latest: true, branch: 'stable' });
    expect(entries.map((entry) => entry.name).sort()).toEqual(['drupal', 'joomla', 'prestashop', 'wordpress']);

    const install = await client.requestPromised('POST', `/hosting/web/${agency}/module`, {
      moduleId: wordpress.id,
      domain: 'blog.example.org',
      path: 'blog',
      language: 'fr',
      adminName: 'editor',
      adminPassword: 'Admin-pass-2024',
      dependencies: [{ type: 'mysql', name: 'demoagenblog', server: 'demoagenblog.mysql.db', port: 3306, user: 'demoagenblog', password: 'BlogPass2024', prefix: 'wp_' }],
    });
    expect(install).toMatchObject({ function: 'module/install', objectType: 'Module' });
    await sim.waitForTask(agency, install.id);
    const [moduleId] = (await client.requestPromised('GET', `/hosting/web/${agency}/module`)) as number[];
    const module = await client.requestPromised('GET', `/hosting/web/${agency}/module/${moduleId}`);
    expect(module).toMatchObject({ moduleId: wordpress.id, path: 'blog', language: 'fr', adminName: 'editor', status: 'created', targetUrl: 'https://blog.example.org/' });
    expect(module.dependencies).toEqual([{ type: 'mysql', name: 'demoagenblog', server: 'demoagenblog.mysql.db', port: 3306, user: 'demoagenblog', password: null, prefix: 'wp_' }]);

    const ssl = await client.requestPromised('POST', `/hosting/web/${agency}/ssl`);
    expect(ssl).toMatchObject({ provider: 'LETSENCRYPT', type: 'DV', status: 'creating', regenerable: true });
    expect(await client.requestPromised('GET', `/hosting/web/${agency}/ssl/domains`)).toEqual([]);
    await sim.waitForTask(agency, ssl.taskId);
    expect(await client.requestPromised('GET', `/hosting/web/${agency}/ssl`)).toMatchObject({ status: 'created', taskId: null });
    expect(await client.requestPromised('GET', `/hosting/web/${agency}/ssl/domains`)).toEqual(['blog.example.org']);
    expect(await client.requestPromised('GET', `/hosting/web/${agency}`)).toMatchObject({ hasHostedSsl: true });
  });

  it('covers a domain attached later after an SSL regeneration', async () => {
    const attach = await client.requestPromised('POST', `/hosting/web/${shop}/attachedDomain`, { domain: 'www.shop.example.com', path: 'shop', ssl: true });
    await sim.waitForTask(shop, attach.id);
    expect(await client.requestPromised('GET', `/hosting/web/${shop}/ssl/domains`)).toEqual(['shop.example.com']);
    const regenerating = await client.requestPromised('POST', `/hosting/web/${shop}/ssl/regenerate`);
    expect(regenerating).toMatchObject({ status: 'regenerating', provider: 'LETSENCRYPT' });
    expect(await client.requestPromised('GET', `/hosting/web/${shop}/ssl/domains`)).toEqual(['shop.example.com']);
    await sim.waitForTask(shop, regenerating.taskId);
    expect(await client.requestPromised('GET', `/hosting/web/${shop}/ssl/domains`)).toEqual(['shop.example.com', 'www.shop.example.com']);
  });

  it('dumps a database, finds the dump, downloads it, and restores from it and from a backup date', async () => {
    const dumpTask = await client.requestPromised('POST', `/hosting/web/${shop}/database/demoshopdb1/dump`, { date: 'now', sendEmail: false });
    expect(dumpTask).toMatchObject({ function: 'dump/create', objectId: 'demoshopdb1' });
    expect(await client.requestPromised('GET', `/hosting/web/${shop}/database/demoshopdb1`)).toMatchObject({ status: 'dumping', taskId: dumpTask.id });
    await sim.waitForTask(shop, dumpTask.id);
    const dumpIds = (await client.requestPromised('GET', `/hosting/web/${shop}/database/demoshopdb1/dump`, { type: 'now' })) as number[];
    expect(dumpIds).toHaveLength(1);
    const dump = await client.requestPromised('GET', `/hosting/web/${shop}/database/demoshopdb1/dump/${dumpIds[0]}`);
    expect(dump).toMatchObject({ type: 'now', status: 'created', taskId: null });
    const download = await sim.request('GET', new URL(dump.url as string).pathname);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/gzip');
    expect(await client.requestPromised('GET', `/hosting/web/${shop}/dump`, { databaseName: 'demoshopdb1' })).toEqual([5001, dumpIds[0]]);
    expect(await client.requestPromised('GET', `/hosting/web/${shop}/dump/${dumpIds[0]}`)).toMatchObject({ databaseName: 'demoshopdb1', orphan: false });

    const restore = await client.requestPromised('POST', `/hosting/web/${shop}/database/demoshopdb1/dump/${dumpIds[0]}/restore`);
    expect(restore).toMatchObject({ function: 'database/restore', objectId: 'demoshopdb1' });
    expect(await client.requestPromised('GET', `/hosting/web/${shop}/database/demoshopdb1`)).toMatchObject({ status: 'restoring' });
    await sim.waitForTask(shop, restore.id);
    const fromBackup = await client.requestPromised('POST', `/hosting/web/${shop}/database/demoshopdb1/restore`, { date: 'daily.1', sendEmail: false });
    await sim.waitForTask(shop, fromBackup.id);
    expect(await client.requestPromised('GET', `/hosting/web/${shop}/database/demoshopdb1`)).toMatchObject({ status: 'created', taskId: null });

    const deletion = await client.requestPromised('DELETE', `/hosting/web/${shop}/database/demoshopdb1/dump/${dumpIds[0]}`);
    await sim.waitForTask(shop, deletion.id);
    expect(await client.requestPromised('GET', `/hosting/web/${shop}/database/demoshopdb1/dump`)).toEqual([5001]);
  });

  it('creates, reads and deletes an FTP/SSH user', async () => {
    const created = await client.requestPromised('POST', `/hosting/web/${shop}/user`, { login: 'demoshop-deploy', home: 'shop', password: 'Deploy2024ok', sshState: 'sftponly' });
    expect(created).toMatchObject({ function: 'user/create', objectId: 'demoshop-deploy' });
    await sim.waitForTask(shop, created.id);
    expect(await client.requestPromised('GET', `/hosting/web/${shop}/user`, { home: 'shop' })).toEqual(['demoshop-deploy']);
    const user = await client.requestPromised('GET', `/hosting/web/${shop}/user/demoshop-deploy`);
    expect(user).toMatchObject({ login: 'demoshop-deploy', home: 'shop', sshState: 'sftponly', isPrimaryAccount: false, status: 'created' });
    expect(user.serviceManagementCredentials.ftp).toEqual({ port: 21, url: 'ftp.cluster028.hosting.ovh.net', user: 'demoshop-deploy' });
    const deleted = await client.requestPromised('DELETE', `/hosting/web/${shop}/user/demoshop-deploy`);
    await sim.waitForTask(shop, deleted.id);
    expect(await client.requestPromised('GET', `/hosting/web/${shop}/user`)).toEqual(['demoshop']);
  });

  it('lists tasks by function and status, and detaches a domain', async () => {
    const done = (await client.requestPromised('GET', `/hosting/web/${agency}/tasks`, { function: 'database/create', status: 'done' })) as number[];
    expect(done).toHaveLength(1);
    expect(await client.requestPromised('GET', `/hosting/web/${agency}/tasks/${done[0]}`)).toMatchObject({ function: 'database/create', status: 'done' });
    const detach = await client.requestPromised('DELETE', `/hosting/web/${shop}/attachedDomain/www.shop.example.com`);
    expect(detach).toMatchObject({ function: 'attachedDomain/delete' });
    await sim.waitForTask(shop, detach.id);
    expect(await client.requestPromised('GET', `/hosting/web/${shop}/attachedDomain`)).toEqual(['shop.example.com']);
  });

  it('answers the module catalog without a consumer key', async () => {
    const anonymous = createOfficialOvhClient({ appKey: sim.credentials.applicationKey, appSecret: 'not used', host: sim.host, port: sim.port });
    expect(await anonymous.requestPromised('GET', '/hosting/web/moduleList')).toContain(301);
    expect(await anonymous.requestPromised('GET', '/hosting/web/moduleList/301')).toMatchObject({ name: 'wordpress', version: '6.5.3' });
  });

  it('refuses a wrong application secret with INVALID_SIGNATURE', async () => {
    const wrong = sim.ovhClient({ applicationSecret: 'notTheSecret00000000000000000000' });
    expect(await rejection(wrong.requestPromised('GET', '/hosting/web'))).toEqual({ error: 400, message: 'Invalid signature' });
  });

  it('refuses a timestamp too far from the server clock with QUERY_TIME_OUT', async () => {
    const late = sim.ovhClient({ apiTimeDiff: -3600 });
    expect(await rejection(late.requestPromised('GET', '/hosting/web'))).toEqual({ error: 400, message: 'Query out of time' });
  });

  it('refuses a call outside the consumer key\'s rules with NOT_GRANTED_CALL', async () => {
    const minted = await sim.mintCredential([{ method: 'GET', path: '/hosting/web/*' }]);
    const readOnly = sim.ovhClient({ consumerKey: minted.consumerKey });
    expect(await readOnly.requestPromised('GET', `/hosting/web/${agency}`)).toMatchObject({ serviceName: agency });
    expect(await rejection(readOnly.requestPromised('GET', '/hosting/web'))).toEqual({ error: 403, message: 'This call has not been granted' });
    expect(await rejection(readOnly.requestPromised('POST', `/hosting/web/${agency}/attachedDomain`, { domain: 'x.example.org' }))).toEqual({
      error: 403,
      message: 'This call has not been granted',
    });
  });

  it('refuses an unknown application key and an unknown consumer key', async () => {
    expect(await rejection(sim.ovhClient({ applicationKey: 'unknownAppKey000' }).requestPromised('GET', '/hosting/web'))).toEqual({
      error: 403,
      message: 'This application key is invalid',
    });
    expect(await rejection(sim.ovhClient({ consumerKey: 'unknownConsumerKey00000000000000' }).requestPromised('GET', '/hosting/web'))).toEqual({
      error: 403,
      message: 'This credential does not exist',
    });
  });
});
