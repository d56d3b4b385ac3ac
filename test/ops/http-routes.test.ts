// Inventory, FTP/SSH users and password rotations over real HTTP: the API process (holding no OVH credentials) asks
// the worker, against the suite's Temporal dev server and the OVH simulator. Listings page and fail with clear 400s
// and 404s; runs start with 202 and are followed at their Location; a bad input is a 400 with zero OVH writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type ApiAnswer, type TestApi } from '../support/api.js';
import { outcomeOf, startTestStack, writesTo, type TestStack } from '../support/stack.js';

const SHOP = 'demo-shop.ovh';
/** demo-shop.ovh's cluster addresses, and an address outside OVH. */
const HOSTING = { ipv4: '192.0.2.28', ipv6: '2001:db8::28' };
const ELSEWHERE = '203.0.113.50';

describe('inventory, FTP/SSH users and rotations over HTTP', { timeout: 90_000 }, () => {
  let stack: TestStack;
  let api: TestApi;
  beforeAll(async () => {
    stack = await startTestStack('api-ops');
    await stack.startWorker();
    api = await startTestApi(stack);
  });
  afterAll(async () => {
    await api?.close();
    await stack?.close();
  });

  const get = (path: string) => api.call('GET', path);

  it('GET /v1/inventory/{kind} lists what `ovhflow ls` shows, page by page, token-protected, with clear 400 and 404 answers; each route is in the OpenAPI document', async () => {
    const [page1, users, databases, installed, catalog, dumps, tasks, noService, badLimit, wrongFilter, unknownKind, unknownService, anonymous, doc] = await Promise.all([
      get('/v1/inventory/services?limit=2'),
      get(`/v1/inventory/users?service=${SHOP}`),
      get(`/v1/inventory/databases?service=${SHOP}`),
      get(`/v1/inventory/modules?service=${SHOP}&installed=true`),
      get('/v1/inventory/modules?limit=1000'),
      get(`/v1/inventory/dumps?service=${SHOP}&database=demoshopdb1`),
      get(`/v1/inventory/tasks?service=${SHOP}&limit=5`),
      get('/v1/inventory/dumps'),
      get('/v1/inventory/services?limit=5000'),
      get('/v1/inventory/users?installed=true'),
      get('/v1/inventory/widgets'),
      get('/v1/inventory/databases?service=nowhere.example'),
      api.call('GET', '/v1/inventory/services', { token: null }),
      api.call('GET', '/v1/openapi.json', { token: null }),
    ]);
    const ok = (answer: ApiAnswer) => expect(answer.status, answer.text).toBe(200);
    [page1, users, databases, installed, catalog, dumps, tasks].forEach(ok);

    expect(page1.body).toMatchObject({ kind: 'services', total: 3, offset: 0, limit: 2, next: '/v1/inventory/services?limit=2&offset=2' });
    const page2 = await get(page1.body.next as string);
    expect(page2.body).toMatchObject({ kind: 'services', total: 3, offset: 2, limit: 2 });
    expect(page2.body.next).toBeUndefined();
    expect([...page1.body.items, ...page2.body.items].map((row: { serviceName: string }) => row.serviceName).sort()).toEqual(['demo-agency.ovh', 'demo-blocked.ovh', 'demo-shop.ovh']);

    expect(users.body.items).toEqual([expect.objectContaining({ serviceName: SHOP, login: 'demoshop', isPrimaryAccount: true })]);
    expect(databases.body.items).toEqual([expect.objectContaining({ name: 'demoshopdb1', server: 'demoshopdb1.mysql.db', port: 3306 })]);
    expect(installed.body.items).toEqual([expect.objectContaining({ id: 701, targetUrl: 'https://shop.example.com/' })]);
    expect(new Set(catalog.body.items.map((row: { name: string }) => row.name.toLowerCase()))).toEqual(new Set(['wordpress', 'joomla', 'drupal', 'prestashop']));
    expect(dumps.body.items).toEqual([expect.objectContaining({ id: 5001, database: 'demoshopdb1', hasUrl: true })]);
    expect(tasks.body).toMatchObject({ kind: 'tasks', limit: 5 });
    expect(tasks.body.items.length).toBeLessThanOrEqual(5);

    expect(noService).toMatchObject({ status: 400, body: { error: 'invalid_input', message: 'dumps are listed per service: give "service" (and optionally "database")' } });
    expect(badLimit.status).toBe(400);
    expect(badLimit.body).toMatchObject({ error: 'invalid_input', issues: [{ field: 'limit', message: 'must be at most 1000' }] });
    expect(wrongFilter).toMatchObject({ status: 400, body: { error: 'invalid_input', message: '"installed" applies to modules only' } });
    expect(unknownKind).toMatchObject({ status: 404, body: { error: 'not_found', message: 'no inventory "widgets": one of services, databases, modules, users, dumps, tasks, php, env, websites, crons, runtimes' } });
    expect(unknownService.status, unknownService.text).toBe(404);
    expect(unknownService.body.error).toBe('not_found');
    expect(unknownService.body.message).toMatch(/service/i);
    expect(anonymous.status).toBe(401);

    const paths = doc.body.paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths['/v1/inventory/{kind}'] ?? {})).toEqual(['get']);
    expect(Object.keys(paths['/v1/rotations'] ?? {})).toEqual(['post']);
    expect(Object.keys(paths['/v1/ftp-users'] ?? {})).toEqual(['post']);
    expect(Object.keys(paths['/v1/services/{serviceName}/ftp-users/{login}'] ?? {}).sort()).toEqual(['delete', 'patch']);
    // Listing reads only: nothing was written at OVH.
    expect(await writesTo(stack.sim, SHOP)).toEqual([]);
  });

  it('GET /v1/dns/check answers what points where, read-only; a bad domain or an unknown account is a 400', async () => {
    const writesBefore = (await writesTo(stack.sim, SHOP)).length;
    const [checked, badDomain, unknownAccount, anonymous] = await Promise.all([
      get(`/v1/dns/check?serviceName=${SHOP}&domain=shop.example.com`),
      get(`/v1/dns/check?serviceName=${SHOP}&domain=not%20a%20domain`),
      get(`/v1/dns/check?serviceName=${SHOP}&domain=shop.example.com&account=nobody`),
      api.call('GET', `/v1/dns/check?serviceName=${SHOP}&domain=shop.example.com`, { token: null }),
    ]);
    // The demo zone example.com points shop at demo-shop.ovh's cluster: nothing to change.
    expect(checked.status, checked.text).toBe(200);
    expect(checked.body).toMatchObject({
      serviceName: SHOP,
      domain: 'shop.example.com',
      attached: true,
      pointsAtHosting: true,
      resolves: expect.arrayContaining([expect.objectContaining({ ip: HOSTING.ipv4, dnsConfigured: true }), expect.objectContaining({ ip: HOSTING.ipv6, dnsConfigured: true })]),
      records: [],
    });
    // The same name, now answered by a server elsewhere (public DNS wins over the zone for that exact name).
    await stack.sim.admin('PUT', '/dns/shop.example.com', { a: [ELSEWHERE] });
    try {
      const elsewhere = await get(`/v1/dns/check?serviceName=${SHOP}&domain=shop.example.com`);
      expect(elsewhere.status, elsewhere.text).toBe(200);
      expect(elsewhere.body).toMatchObject({
        pointsAtHosting: false,
        resolves: [{ ip: ELSEWHERE, type: 'A', dnsConfigured: false, isOvhIp: false }],
        records: [expect.objectContaining({ type: 'A', name: 'shop.example.com', target: HOSTING.ipv4 }), expect.objectContaining({ type: 'AAAA', name: 'shop.example.com', target: HOSTING.ipv6 })],
      });
    } finally {
      await stack.sim.admin('DELETE', '/dns/shop.example.com');
    }
    expect(badDomain.status).toBe(400);
    expect(unknownAccount).toMatchObject({ status: 400, body: { error: 'unknown_account' } });
    expect(anonymous.status).toBe(401);
    expect((await writesTo(stack.sim, SHOP)).length).toBe(writesBefore);
  });

  it('POST /v1/rotations, POST /v1/ftp-users, PATCH and DELETE /v1/services/{s}/ftp-users/{login} start runs; bad input is a 400 with zero writes; the primary login is refused', async () => {
    const login = 'demoshop-api';
    const [badRotation, moduleRotation, badPatch, badDelete] = await Promise.all([
      api.call('POST', '/v1/rotations', { body: { serviceName: SHOP, target: { kind: 'printer', name: 'x' } } }),
      api.call('POST', '/v1/rotations', { body: { serviceName: SHOP, target: { kind: 'module', domain: 'shop.example.com' } } }),
      api.call('PATCH', `/v1/services/${SHOP}/ftp-users/${login}`, { body: { sshState: 'always' } }),
      api.call('DELETE', `/v1/services/${SHOP}/ftp-users/${login}?confirmed=maybe`),
    ]);
    expect(badRotation).toMatchObject({ status: 400, body: { error: 'invalid_input', issues: [{ field: 'target.kind' }] } });
    // OVH removed the module password call (2026): refused before any run, saying where to do it instead.
    expect(moduleRotation).toMatchObject({
      status: 400,
      body: { error: 'invalid_input', issues: [{ field: 'target.kind', message: expect.stringMatching(/no longer changes a module's admin password.*"lost password"/) }] },
    });
    expect(badPatch).toMatchObject({ status: 400, body: { error: 'invalid_input', issues: [{ field: 'sshState', message: expect.stringContaining('"always" is not allowed') }] } });
    expect(badDelete).toMatchObject({ status: 400, body: { error: 'invalid_input', issues: [{ field: 'confirmed' }] } });
    expect(await writesTo(stack.sim, SHOP)).toEqual([]);

    const [rotation, created, primary] = await Promise.all([
      api.call('POST', '/v1/rotations', { body: { serviceName: SHOP, target: { kind: 'ftp-user', login: 'demoshop' } } }),
      api.call('POST', '/v1/ftp-users', { body: { serviceName: SHOP, login, home: 'sites/api' } }),
      api.call('DELETE', `/v1/services/${SHOP}/ftp-users/demoshop?confirmed=true`),
    ]);
    for (const started of [rotation, created, primary]) {
      expect(started.status, started.text).toBe(202);
      expect(started.headers.get('location')).toBe(`/v1/runs/${encodeURIComponent(started.body.workflowId as string)}`);
    }
    expect(rotation.body.workflowId).toMatch(/^rotate-credentials\/demo-shop\.ovh\/ftp-user\/demoshop\//);
    const [rotated, refused] = await Promise.all([outcomeOf(stack.runs, rotation.body.workflowId), outcomeOf(stack.runs, primary.body.workflowId), outcomeOf(stack.runs, created.body.workflowId)]);
    expect(rotated).toMatchObject({ status: 'completed', result: { target: { kind: 'ftp-user', login: 'demoshop', isPrimaryAccount: true }, passwordDelivery: 'result' } });
    expect((rotated.result as { password: string }).password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(refused).toMatchObject({ status: 'failed', failure: { type: 'OvhflowRefused', message: expect.stringContaining('demoshop is the primary FTP/SSH login') } });

    const patched = await api.call('PATCH', `/v1/services/${SHOP}/ftp-users/${login}`, { body: { home: 'sites/api2' } });
    expect(patched.status, patched.text).toBe(202);
    expect(await outcomeOf(stack.runs, patched.body.workflowId)).toMatchObject({ status: 'completed', result: { after: { home: 'sites/api2', sshState: 'none' } } });
    const deleted = await api.call('DELETE', `/v1/services/${SHOP}/ftp-users/${login}?confirmed=true`);
    expect(deleted.status, deleted.text).toBe(202);
    expect(await outcomeOf(stack.runs, deleted.body.workflowId)).toMatchObject({ status: 'completed', result: { deleted: { login }, confirmedBy: 'input' } });
    const writes = (await writesTo(stack.sim, SHOP)).map((w) => `${w.method} ${w.path}`);
    expect(writes.sort()).toEqual(
      [
        `POST /hosting/web/${SHOP}/user/demoshop/changePassword`,
        `POST /hosting/web/${SHOP}/user`,
        `PUT /hosting/web/${SHOP}/user/${login}`,
        `DELETE /hosting/web/${SHOP}/user/${login}`,
      ].sort(),
    );
  });
});
