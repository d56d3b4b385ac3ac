// The admin API outside /1.0 keeps exact shapes (scripts depend on them): state, requests (secrets masked),
// reset, faults, config, plus credentials, applications and services; loopback-only unless a token is given.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleAdminRequest } from '../../src/simulator/admin/admin-api.js';
import { defaultConfig, SimulatorCore } from '../../src/simulator/core.js';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';

let sim: TestSimulator;
const shop = '/hosting/web/demo-shop.ovh';

beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(async () => {
  await sim.stop();
});

describe('GET /_sim/state', () => {
  it('lists every service with its domains, databases, dumps, modules, users, ssl and tasks', async () => {
    const state = await sim.state();
    expect(Object.keys(state).sort()).toEqual(['accounts', 'services', 'zones']);
    expect(Object.keys(state.services).sort()).toEqual(['demo-agency.ovh', 'demo-blocked.ovh', 'demo-shop.ovh']);
    const shopState = state.services['demo-shop.ovh'];
    expect(Object.keys(shopState ?? {}).sort()).toEqual([
      'account',
      'attachedDomains',
      'crons',
      'databases',
      'domainSsl',
      'dumps',
      'envVars',
      'filledFolders',
      'moduleHealth',
      'modules',
      'ovhConfigs',
      'passwordChanges',
      'runtimes',
      'service',
      'ssl',
      'tasks',
      'users',
      'websites',
    ]);
    expect(shopState?.account).toBe('demo-ovh');
    expect(shopState?.moduleHealth).toEqual([{ id: 701, healthy: true, problems: [] }]);
    expect(shopState?.attachedDomains).toEqual([expect.objectContaining({ domain: 'shop.example.com', ssl: true, status: 'created' })]);
    expect(shopState?.databases).toEqual([expect.objectContaining({ name: 'demoshopdb1', status: 'created' })]);
    expect(shopState?.dumps).toEqual([expect.objectContaining({ id: 5001, databaseName: 'demoshopdb1', type: 'daily.1', sendEmail: false })]);
    expect(shopState?.modules).toEqual([expect.objectContaining({ id: 701, moduleId: 301, path: 'shop' })]);
    expect(shopState?.ssl).toMatchObject({ provider: 'LETSENCRYPT', status: 'created', domains: ['shop.example.com'] });
    expect(shopState?.users.map((user) => user.login)).toEqual(['demoshop']);
    expect(state.services['demo-agency.ovh']).toMatchObject({ attachedDomains: [], databases: [], dumps: [], modules: [], ssl: null, tasks: [] });
  });
});

describe('GET /_sim/requests', () => {
  it('records every API call, oldest first, with secrets masked and no keys', async () => {
    await sim.reset();
    await sim.call('POST', `${shop}/database`, { body: { capabilitie: 'sqlPerso', user: 'demoshopreq', password: 'Secret1234', type: 'mysql' } });
    await sim.call('POST', `${shop}/module`, {
      body: {
        moduleId: 301,
        domain: 'shop.example.com',
        path: 'shop/x',
        adminPassword: 'AdminSecret99',
        dependencies: [{ type: 'mysql', name: 'demoshopdb1', server: 'demoshopdb1.mysql.db', port: 3306, user: 'demoshopdb1', password: 'DemoShopDb2024' }],
      },
    });
    await sim.call('GET', '/hosting/web/nope.example', { query: {} });
    await sim.call('GET', `${shop}/tasks`, { query: { status: 'done' } });
    const requests = (await sim.requests()).filter((entry) => entry.path !== '/auth/time');
    expect(requests).toHaveLength(4);
    for (const entry of requests) {
      expect(Object.keys(entry).sort()).toEqual(['at', 'body', 'method', 'operation', 'path', 'query', 'queryId', 'status']);
    }
    expect(requests[0]).toEqual({
      method: 'POST',
      path: '/hosting/web/demo-shop.ovh/database',
      operation: 'POST /hosting/web/{serviceName}/database',
      query: {},
      body: { capabilitie: 'sqlPerso', user: 'demoshopreq', password: '***', type: 'mysql' },
      status: 200,
      queryId: expect.stringMatching(/^SIM\./),
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(requests[1]?.body).toMatchObject({ adminPassword: '***', dependencies: [expect.objectContaining({ password: '***', user: 'demoshopdb1' })] });
    expect(requests[2]).toMatchObject({ status: 404, operation: 'GET /hosting/web/{serviceName}', body: null });
    expect(requests[3]).toMatchObject({ query: { status: 'done' }, method: 'GET' });
    const everything = JSON.stringify(requests);
    for (const secret of ['Secret1234', 'AdminSecret99', 'DemoShopDb2024', sim.credentials.applicationSecret, sim.credentials.consumerKey, sim.credentials.applicationKey]) {
      expect(everything).not.toContain(secret);
    }
  });
});

describe('POST /_sim/reset', () => {
  it('returns to the fixtures and clears requests, faults and rate-limit buckets, keeping issued keys', async () => {
    const minted = await sim.mintCredential([{ method: 'GET', path: '/*' }]);
    await sim.call('POST', `${shop}/attachedDomain`, { body: { domain: 'temp.example.org' } });
    await sim.faults([{ path: '/hosting/web', status: 500 }]);
    await sim.config({ rateLimit: { perSecond: 1, burst: 1 } });
    await sim.call('GET', `${shop}`);
    const answer = await sim.request('POST', '/_sim/reset', { seed: 42 });
    expect(answer.body).toEqual({ seed: 42, services: ['demo-agency.ovh', 'demo-shop.ovh', 'demo-blocked.ovh'] });
    expect((await sim.state()).services['demo-shop.ovh']?.attachedDomains.map((d) => d.domain)).toEqual(['shop.example.com']);
    expect(await sim.requests()).toEqual([]);
    expect((await sim.request('GET', '/_sim/faults')).body).toEqual({ rules: [] });
    expect((await sim.call('GET', '/hosting/web', { credentials: { consumerKey: minted.consumerKey } })).status).toBe(200);
    await sim.config({ rateLimit: null });
  });
});

describe('PUT /_sim/config', () => {
  it('merges task durations, retention and the rate limit, and answers the whole configuration', async () => {
    const config = await sim.config({ taskDurationMs: { 'module/install': 1234 }, taskRetentionMs: 5_000, rateLimit: null });
    expect(config).toMatchObject({ taskDurationMs: { default: 60, 'module/install': 1234 }, taskRetentionMs: 5_000, rateLimit: null, slowFactor: 10, timestampToleranceSec: 180 });
    expect(await sim.config()).toEqual(config);
    const invalid = await sim.request('PUT', '/_sim/config', { taskDurationMs: { default: -1 } });
    expect(invalid.status).toBe(400);
    expect((await sim.request('PUT', '/_sim/config', { colour: 'blue' })).status).toBe(400);
  });
});

describe('extras', () => {
  it('POST /_sim/credentials mints a validated consumer key with the given rules', async () => {
    const minted = await sim.mintCredential([{ method: 'GET', path: '/hosting/web/*' }]);
    expect(minted).toMatchObject({ applicationKey: sim.credentials.applicationKey, status: 'validated', rules: [{ method: 'GET', path: '/hosting/web/*' }], expiration: null });
    expect((await sim.request('POST', '/_sim/credentials', { accessRules: [] })).status).toBe(400);
    expect((await sim.request('POST', '/_sim/credentials', { accessRules: [{ method: 'GET', path: '/*' }], applicationKey: 'nope' })).status).toBe(404);
  });

  it('POST /_sim/services/{name} creates a service or changes its state and offer', async () => {
    const created = await sim.setService('new-site.example', { offer: 'PERFORMANCE_1' });
    expect(created).toMatchObject({ serviceName: 'new-site.example', offer: 'PERFORMANCE_1', state: 'active', primaryLogin: 'newsitee' });
    expect((await sim.call('GET', '/hosting/web')).body).toContain('new-site.example');
    expect(await sim.setService('new-site.example', { state: 'maintenance' })).toMatchObject({ state: 'maintenance' });
    expect((await sim.request('POST', '/_sim/services/x.example', { state: 'sleeping' })).status).toBe(400);
  });

  it('answers unknown admin calls with 404', async () => {
    expect((await sim.request('GET', '/_sim/nothing')).status).toBe(404);
  });

  it('only answers loopback callers, or the admin token', () => {
    const core = new SimulatorCore({ seed: 1, config: defaultConfig(), maxRecordedRequests: 10, adminToken: 'let-me-in' });
    const remote = { method: 'GET', segments: ['config'], body: undefined, remoteAddress: '203.0.113.9' };
    expect(handleAdminRequest(core, { ...remote, headers: {} }).status).toBe(403);
    expect(handleAdminRequest(core, { ...remote, headers: { 'x-sim-admin-token': 'wrong' } }).status).toBe(403);
    expect(handleAdminRequest(core, { ...remote, headers: { 'x-sim-admin-token': 'let-me-in' } }).status).toBe(200);
    expect(handleAdminRequest(core, { ...remote, remoteAddress: '::ffff:127.0.0.1', headers: {} }).status).toBe(200);
  });
});

describe('persistence', () => {
  it('reuses its certificate and, with persistState, its world across restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ovhflow-sim-persist-'));
    try {
      const first = await startTestSimulator({ dataDir, persistState: true });
      expect(first.services).toEqual(['demo-agency.ovh', 'demo-shop.ovh', 'demo-blocked.ovh']);
      const task = (await first.call('POST', '/hosting/web/demo-agency.ovh/attachedDomain', { body: { domain: 'kept.example.org' } })).body;
      const minted = await first.mintCredential([{ method: 'GET', path: '/*' }]);
      await first.stop();

      const second = await startTestSimulator({ dataDir, persistState: true });
      expect(second.caPem).toBe(first.caPem);
      await second.waitForTask('demo-agency.ovh', task.id as number);
      expect((await second.call('GET', '/hosting/web/demo-agency.ovh/attachedDomain', { credentials: { consumerKey: minted.consumerKey } })).body).toEqual(['kept.example.org']);
      await second.stop();

      const fresh = await startTestSimulator({ dataDir });
      expect((await fresh.call('GET', '/hosting/web/demo-agency.ovh/attachedDomain')).body).toEqual([]);
      await fresh.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
