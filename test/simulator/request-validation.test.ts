// Every call is checked against the schema before anything runs, as OVH does: unknown path 404, unknown method
// 405, a missing, unknown or mistyped parameter 400 naming it — in OVH's error shape, with a query id.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from '../support/simulator.js';

let sim: TestSimulator;
const db = '/hosting/web/demo-agency.ovh/database';

beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(async () => {
  await sim.stop();
});

const badRequest = (message: string) => ({ class: 'Client::BadRequest', message });

describe('request validation against the schema', () => {
  it('answers an unknown path with 404, an unknown method with 405, a real but unsimulated call with 501', async () => {
    const unknown = await sim.call('GET', '/hosting/web/demo-shop.ovh/nothing/here');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ class: 'Client::NotFound', message: 'Got an invalid (or empty) URL' });
    const method = await sim.call('PATCH', '/hosting/web/demo-shop.ovh');
    expect(method.status).toBe(405);
    expect(method.body).toEqual({ class: 'Client::MethodNotAllowed', message: 'The method PATCH is not allowed on this URL' });
    const put = await sim.call('PUT', db, { body: {} });
    expect(put.status).toBe(405);
    const abuse = await sim.call('GET', '/hosting/web/demo-shop.ovh/abuseState');
    expect(abuse.status).toBe(501);
    expect(abuse.body.message).toBe('GET /hosting/web/{serviceName}/abuseState exists in the OVHcloud API but is not simulated');
    expect((await sim.request('GET', '/nowhere')).status).toBe(404);
  });

  it('names a missing required parameter', async () => {
    const answer = await sim.call('POST', db, { body: { user: 'demoagenx1', type: 'mysql' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(badRequest('[capabilitie] Missing parameter'));
    const query = await sim.call('GET', '/hosting/web/demo-agency.ovh/databaseAvailableVersion');
    expect(query.body).toEqual(badRequest('[type] Missing parameter'));
  });

  it('names an unknown body field, in named parameters and in a body model', async () => {
    const named = await sim.call('POST', db, { body: { capabilitie: 'sqlPerso', user: 'demoagenx1', type: 'mysql', capacity: 'sqlPerso' } });
    expect(named.body).toEqual(badRequest('[capacity] Unknown parameter'));
    const model = await sim.call('POST', '/hosting/web/demo-agency.ovh/attachedDomain', { body: { domainName: 'x.example.org' } });
    expect(model.body).toEqual(badRequest('[domainName] Unknown parameter for hosting.web.AttachedDomain'));
    const query = await sim.call('GET', db, { query: { colour: 'blue' } });
    expect(query.body).toEqual(badRequest('[colour] Unknown parameter'));
  });

  it('names a parameter of the wrong type', async () => {
    const body = await sim.call('POST', '/hosting/web/demo-shop.ovh/database/demoshopdb1/dump', { body: { date: 'now', sendEmail: 'yes' } });
    expect(body.body).toEqual(badRequest('[sendEmail] Given data (yes) is not valid for type boolean'));
    const path = await sim.call('GET', '/hosting/web/demo-shop.ovh/tasks/abc');
    expect(path.body).toEqual(badRequest('[id] Given data (abc) is not valid for type long'));
    const query = await sim.call('GET', '/hosting/web/moduleList', { query: { active: 'maybe' } });
    expect(query.body).toEqual(badRequest('[active] Given data (maybe) is not valid for type boolean'));
    const model = await sim.call('POST', '/hosting/web/demo-agency.ovh/attachedDomain', { body: { domain: 'x.example.org', ssl: 'on' } });
    expect(model.body).toEqual(badRequest('[ssl] Given data (on) is not valid for type boolean'));
  });

  it('names a value outside an enumeration, nested ones included', async () => {
    const type = await sim.call('POST', db, { body: { capabilitie: 'sqlPerso', user: 'demoagenx1', type: 'oracle' } });
    expect(type.body).toEqual(badRequest('[type] Given data (oracle) does not belong to the hosting.web.database.DatabaseCreationTypeEnum enumeration'));
    const quota = await sim.call('POST', db, { body: { capabilitie: 'sqlPerso', user: 'demoagenx1', type: 'mysql', quota: 300 } });
    expect(quota.body).toEqual(badRequest('[quota] Given data (300) does not belong to the hosting.web.database.ExtraSqlQuotaEnum enumeration'));
    const nested = await sim.call('POST', '/hosting/web/demo-shop.ovh/module', { body: { moduleId: 301, dependencies: [{ type: 'redis' }] } });
    expect(nested.body).toEqual(badRequest('[dependencies[0].type] Given data (redis) does not belong to the hosting.web.module.DependencyTypeEnum enumeration'));
    const status = await sim.call('GET', '/hosting/web/demo-shop.ovh/tasks', { query: { status: 'error' } });
    expect(status.body).toEqual(badRequest('[status] Given data (error) does not belong to the hosting.web.task.StatusEnum enumeration'));
  });

  it('refuses a body that is not JSON', async () => {
    const answer = await sim.call('POST', db, { rawBody: '{"capabilitie":' });
    expect(answer.body).toEqual(badRequest('[body] The request body is not valid JSON'));
  });

  it('writes nothing when a call is refused', async () => {
    const before = await sim.state();
    await sim.call('POST', db, { body: { capabilitie: 'sqlPerso', user: 'demoagenx1', type: 'oracle' } });
    expect((await sim.state()).services['demo-agency.ovh']?.databases).toEqual(before.services['demo-agency.ovh']?.databases);
  });

  it('answers missing services and objects with Client::NotFound', async () => {
    expect((await sim.call('GET', '/hosting/web/nope.example')).body).toEqual({ class: 'Client::NotFound', message: 'This service does not exist' });
    expect((await sim.call('GET', '/hosting/web/demo-shop.ovh/database/nope')).body).toEqual({
      class: 'Client::NotFound',
      message: 'The requested object (name = nope) does not exist',
    });
    expect((await sim.call('GET', '/hosting/web/demo-shop.ovh/tasks/42')).status).toBe(404);
  });

  it('puts an X-Ovh-QueryId on every answer, success or error', async () => {
    const answers = [
      await sim.call('GET', '/hosting/web'),
      await sim.call('GET', '/hosting/web/nope.example'),
      await sim.call('PATCH', '/hosting/web'),
      await sim.request('GET', '/1.0/hosting/web'),
      await sim.request('GET', '/elsewhere'),
      await sim.request('GET', '/_sim/config'),
    ];
    const ids = answers.map((answer) => answer.headers['x-ovh-queryid']);
    for (const id of ids) expect(id).toMatch(/^SIM\.ext-1\./);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('serves its trimmed schema documents where OVH serves the real ones', async () => {
    const document = await sim.request('GET', '/1.0/hosting/web.json');
    expect(document.status).toBe(200);
    expect(document.body).toMatchObject({ resourcePath: '/hosting/web', basePath: 'https://eu.api.ovh.com/v1' });
    expect((await sim.request('GET', '/1.0/auth.json')).body.apis.map((api: { path: string }) => api.path)).toContain('/auth/time');
  });
});
