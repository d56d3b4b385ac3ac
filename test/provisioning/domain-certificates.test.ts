// A certificate per domain (OVH's 2026 API), end to end against the dev server and the simulator over HTTPS:
// provisioning orders its own domain's free certificate and waits for that one, so provisionings of one hosting
// started together no longer regenerate one shared certificate in turn; a hosting that cannot hold per-domain
// certificates uses the hosting-wide one, where a certificate busy with the other run is waited out; a certificate
// the authority refuses (CAA) stops the run with why, and a retry after the fix completes it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecommissionSiteResult } from '../../src/shared/decommission.js';
import type { DnsReport } from '../../src/shared/dns.js';
import type { DoctorReport } from '../../src/shared/doctor.js';
import { parseDecommissionSiteInput, parseRenewCertificateInput } from '../../src/shared/inputs/index.js';
import type { ProvisionSiteResult } from '../../src/shared/provision.js';
import { startTestApi } from '../support/api.js';
import { provisionInput, waitForStatus } from '../support/provisioning.js';
import { outcomeOf, startTestStack, uniqueDomain, writesTo, type TestStack } from '../support/stack.js';

const SHOP = 'demo-shop.ovh';

describe('a certificate per domain', { timeout: 120_000 }, () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('domain-certificates');
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('two provisionings of one hosting started together both complete, each with its own certificate ordered for its domain', async () => {
    const [first, second] = [uniqueDomain('pair-a'), uniqueDomain('pair-b')];
    const refs = await Promise.all([first, second].map((domain) => stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain, database: {} }))));
    const views = await Promise.all(refs.map((ref) => outcomeOf(stack.runs, ref.workflowId, 90_000)));
    for (const view of views) expect(view.status, JSON.stringify(view.progress?.attention ?? view.failure)).toBe('completed');
    for (const view of views) {
      expect((view.result as ProvisionSiteResult).ssl).toMatchObject({ action: 'ordered', scope: 'domain', provider: 'LETSENCRYPT', status: 'created' });
      expect(view.progress?.steps.find((step) => step.name === 'ssl')?.note).toContain('its own, per domain');
    }

    const state = (await stack.sim.state()).services[SHOP]!;
    for (const domain of [first, second]) expect(state.domainSsl[domain]).toMatchObject({ status: 'created', provider: 'LETSENCRYPT', validation: 'passed', taskId: null });
    const writes = (await writesTo(stack.sim, SHOP)).map((w) => `${w.method} ${w.path}`);
    for (const domain of [first, second]) expect(writes).toContain(`POST /hosting/web/${SHOP}/attachedDomain/${domain}/ssl`);
    // The shared certificate is not touched any more: nothing to be busy about.
    expect(writes.filter((w) => w.endsWith('/ssl/regenerate') || w === `POST /hosting/web/${SHOP}/ssl`)).toEqual([]);

    // Decommissioning one of them deletes its own certificate alone; the other's and the hosting's stay.
    const hostingBefore = (await stack.sim.state()).services[SHOP]!.ssl;
    const parsed = parseDecommissionSiteInput({ serviceName: SHOP, domain: first, confirmed: true });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const gone = await outcomeOf(stack.runs, (await stack.runs.start('decommission', parsed.value, { requestId: 'per-domain' })).workflowId, 90_000);
    expect(gone.status, JSON.stringify(gone.progress?.attention ?? gone.failure)).toBe('completed');
    expect((gone.result as DecommissionSiteResult).certificate).toMatchObject({ action: 'deleteDomain', done: true, reason: expect.stringContaining(`certificate of ${first} (its own`) });
    const after = (await stack.sim.state()).services[SHOP]!;
    expect(after.domainSsl[first]).toBeUndefined();
    expect(after.domainSsl[second]).toMatchObject({ status: 'created' });
    expect(after.ssl).toEqual(hostingBefore);

    // Renewing the other one regenerates its own certificate, in place, with no confirmation needed.
    const renewal = parseRenewCertificateInput({ serviceName: SHOP, mode: 'letsencrypt', domain: second });
    if (!renewal.ok) throw new Error(JSON.stringify(renewal.issues));
    const renewed = await outcomeOf(stack.runs, (await stack.runs.start('renew-cert', renewal.value, { requestId: 'per-domain' })).workflowId, 90_000);
    expect(renewed.status, JSON.stringify(renewed.progress?.attention ?? renewed.failure)).toBe('completed');
    expect(renewed.result).toMatchObject({ action: 'regenerated', scope: 'domain', domains: [second], provider: 'LETSENCRYPT' });
    expect((await writesTo(stack.sim, SHOP)).map((w) => `${w.method} ${w.path}`)).toContain(`POST /hosting/web/${SHOP}/attachedDomain/${second}/ssl/regenerate`);
    expect((await stack.sim.state()).services[SHOP]!.ssl).toEqual(hostingBefore);
  });

  it('a hosting without per-domain certificates uses the hosting-wide one, and two runs at once wait out each other\'s "busy" certificate', async () => {
    const legacy = `legacy-${Date.now().toString(36)}.ovh`;
    await stack.sim.setService(legacy, { offer: 'PRO', multipleSsl: false });
    const [first, second] = [uniqueDomain('old-a'), uniqueDomain('old-b')];
    const refs = await Promise.all([first, second].map((domain) => stack.runs.start('provision', provisionInput({ serviceName: legacy, domain, database: {} }))));
    const views = await Promise.all(refs.map((ref) => outcomeOf(stack.runs, ref.workflowId, 90_000)));
    for (const view of views) expect(view.status, JSON.stringify(view.progress?.attention ?? view.failure)).toBe('completed');
    for (const view of views) {
      expect((view.result as ProvisionSiteResult).ssl).toMatchObject({ scope: 'hosting', hostingWideBecause: expect.stringContaining('multipleSSL is false') });
    }
    const state = (await stack.sim.state()).services[legacy]!;
    expect(state.ssl).toMatchObject({ status: 'created', provider: 'LETSENCRYPT' });
    expect(state.ssl?.domains).toEqual(expect.arrayContaining([first, second]));
    const writes = (await writesTo(stack.sim, legacy)).map((w) => `${w.method} ${w.path}`);
    expect(writes.filter((w) => w.includes('/attachedDomain/') && w.endsWith('/ssl'))).toEqual([]);
  });

  it('a certificate CAA forbids stops the run with the CAA record named; once the zone allows Let\'s Encrypt, retry completes it', async () => {
    const client = stack.sim.ovhClient();
    const name = `caa-${Date.now().toString(36)}`;
    const domain = `${name}.example.com`;
    const caa = (await client.requestPromised('POST', '/domain/zone/example.com/record', { fieldType: 'CAA', subDomain: name, target: '0 issue "sectigo.com"', ttl: 60 })) as { id: number };
    await client.requestPromised('POST', '/domain/zone/example.com/refresh');

    // No database: the shop's offer has room for only so many, and the two runs above took theirs.
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: SHOP, domain }));
    const stuck = await waitForStatus(stack.runs, ref.workflowId, ['needs-attention'], 90_000);
    const attention = JSON.stringify(stuck.progress?.attention);
    expect(attention).toContain('domain control validation non-completed');
    expect(attention).toContain(`the CAA records of ${domain} (0 issue \\"sectigo.com\\") do not let letsencrypt.org issue`);
    expect((await stack.sim.state()).services[SHOP]!.domainSsl[domain]).toMatchObject({ status: 'creating', validation: 'caa' });
    // dns check says the same, per domain: its own certificate, and the CAA record in the way.
    const check = (await stack.t.client.workflow.execute('dnsCheck', { taskQueue: stack.taskQueue, workflowId: `test/dns-check/${name}`, args: [{ serviceName: SHOP, domain }] })) as DnsReport;
    expect(check).toMatchObject({ pointsAtHosting: true, certificate: { provider: 'LETSENCRYPT', status: 'creating' }, caaProblem: expect.stringContaining('do not let letsencrypt.org issue') });

    await client.requestPromised('PUT', `/domain/zone/example.com/record/${caa.id}`, { target: '0 issue "letsencrypt.org"' });
    await client.requestPromised('POST', '/domain/zone/example.com/refresh');
    await stack.runs.retry(ref.workflowId);
    const done = await outcomeOf(stack.runs, ref.workflowId, 90_000);
    expect(done.status, JSON.stringify(done.progress?.attention ?? done.failure)).toBe('completed');
    expect((done.result as ProvisionSiteResult).ssl).toMatchObject({ scope: 'domain', status: 'created', action: 'regenerated' });
    const writes = (await writesTo(stack.sim, SHOP)).map((w) => `${w.method} ${w.path}`);
    expect(writes.filter((w) => w.includes(`/attachedDomain/${domain}/ssl`))).toEqual([
      `POST /hosting/web/${SHOP}/attachedDomain/${domain}/ssl`,
      `POST /hosting/web/${SHOP}/attachedDomain/${domain}/ssl/regenerate`,
    ]);
  });

  it('a hosting OVH has blocked (2026 states) is refused at preflight with why and who lifts it, nothing written', async () => {
    const blocked = `blocked-${Date.now().toString(36)}.ovh`;
    await stack.sim.setService(blocked, { offer: 'PRO', state: 'hardBlocked' });
    const ref = await stack.runs.start('provision', provisionInput({ serviceName: blocked, domain: uniqueDomain('blocked') }));
    const view = await waitForStatus(stack.runs, ref.workflowId, ['needs-attention', 'failed'], 60_000);
    const said = JSON.stringify(view.progress?.attention ?? view.failure);
    expect(said).toContain(`hosting service \\"${blocked}\\" is hardBlocked by OVH (hard block: the sites are offline too): OVH accepts no change to it`);
    expect(said).toContain('have OVH unblock');
    expect(await writesTo(stack.sim, blocked)).toEqual([]);
  });

  it('GET /v1/doctor answers the same report over HTTP, asked of this file\'s worker', async () => {
    const api = await startTestApi(stack);
    try {
      const answer = await api.call('GET', '/v1/doctor');
      expect(answer.status).toBe(200);
      const report = answer.body as DoctorReport;
      expect(report.checks.filter((check) => !check.ok), JSON.stringify(report.checks)).toEqual([]);
      expect(report.ok).toBe(true);
      expect(report.checks.map((check) => check.name)).toContain('account default: API offers every call ovhflow makes');
      expect((await api.call('GET', '/v1/doctor?account=nobody')).status).toBe(400);
    } finally {
      await api.app.close();
    }
  });
});
