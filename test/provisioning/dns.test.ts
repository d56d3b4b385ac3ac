// DNS readiness (issue #15), the way users touch it: `ovhflow provision` / `status` / `skip` / `abort` / `dns check`
// through the binary, against the suite's Temporal dev server, a worker of this file and the real simulator (its
// demo zone example.com is in the demo account; other names are "elsewhere" through /_sim/dns). The simulator's
// state and request log show what really happened at "OVH": records set, restored, and never touched.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSitePath } from '../../src/shared/inputs/common.js';
import type { ProvisionSiteResult } from '../../src/shared/provision.js';
import type { RunProgress } from '../../src/shared/runs.js';
import { parsedJson, startCliStack, type CliStack, type Ovhflow } from '../support/cli.js';
import type { OfficialOvhClient } from '../support/simulator.js';
import { outcomeOf, type TestStack } from '../support/stack.js';

const SHOP = 'demo-shop.ovh';
/** demo-shop's recommended addresses (its cluster's), as digStatus gives them. */
const HOSTING = { ipv4: '192.0.2.28', ipv6: '2001:db8::28' };
const ELSEWHERE = '203.0.113.50';
const POLL = { timeout: 60_000, interval: 250 };

interface ZoneRecord {
  id: number;
  fieldType: string;
  subDomain: string;
  target: string;
  ttl: number;
}

describe('the DNS step of provisioning, and ovhflow dns check', { timeout: 120_000 }, () => {
  let cliStack: CliStack;
  let stack: TestStack;
  let ovhflow: Ovhflow;
  let client: OfficialOvhClient;

  beforeAll(async () => {
    cliStack = await startCliStack('dns');
    stack = cliStack.stack;
    // One worker, on the queue both the run service (as the HTTP API starts runs) and the binary use.
    await stack.startWorker();
    ovhflow = (...args) => cliStack.cli.run(stack.taskQueue, ...args);
    client = stack.sim.ovhClient();
  });
  afterAll(async () => {
    await cliStack?.close();
  });

  const zoneRecords = async () => ((await stack.sim.state()).zones['example.com'] as unknown as { records: ZoneRecord[] }).records.sort((a, b) => a.id - b.id);
  const progressOf = async (id: string) => (await stack.runs.describeRun(id)).progress as RunProgress;

  async function startProvision(domain: string, ...flags: string[]): Promise<string> {
    const started = await ovhflow('provision', '--service', SHOP, '--domain', domain, ...flags, '--json');
    expect(started.code, started.stderr).toBe(0);
    return parsedJson(started).workflowId as string;
  }

  /** Attached the way OVH's Control Panel can, without OVH's own DNS configuration: the zone still points elsewhere. */
  async function attachWithoutDnsConfiguration(domain: string): Promise<void> {
    const task = (await client.requestPromised('POST', `/hosting/web/${SHOP}/attachedDomain`, {
      domain,
      path: defaultSitePath(domain),
      ssl: true,
      bypassDNSConfiguration: true,
    })) as { id: number };
    expect((await stack.sim.waitForTask(SHOP, task.id)).status).toBe('done');
  }

  const writes = async () => (await stack.sim.requests()).filter((request) => request.method !== 'GET').length;

  it('a zone at OVH gets its A/AAAA records and the certificate with no operator; an abort restores the zone exactly; no other record is touched', async () => {
    const tag = randomUUID().slice(0, 6);
    const [setName, abortName] = [`dns-set-${tag}`, `dns-abort-${tag}`];
    const [setDomain, abortDomain] = [`${setName}.example.com`, `${abortName}.example.com`];
    // Both names point elsewhere (a long TTL), and carry a TXT record of their own that must survive.
    for (const subDomain of [setName, abortName]) {
      await client.requestPromised('POST', '/domain/zone/example.com/record', { fieldType: 'A', subDomain, target: ELSEWHERE, ttl: 3600 });
      await client.requestPromised('POST', '/domain/zone/example.com/record', { fieldType: 'TXT', subDomain, target: '"keep-me"' });
    }
    await client.requestPromised('POST', '/domain/zone/example.com/refresh');
    await Promise.all([attachWithoutDnsConfiguration(setDomain), attachWithoutDnsConfiguration(abortDomain)]);
    const before = await zoneRecords();
    // The abort scenario stops at the database step, after its DNS step changed the zone (nothing else makes a database).
    await stack.sim.faults([{ method: 'POST', path: `/hosting/web/${SHOP}/database`, status: 400, times: 1 }]);

    const [setId, abortId] = await Promise.all([startProvision(setDomain, '--no-database'), startProvision(abortDomain)]);

    // 1. No operator: the records are set, the zone refreshed, and Let's Encrypt covers the domain.
    const done = await outcomeOf(stack.runs, setId);
    expect(done.status, JSON.stringify(done.progress?.attention)).toBe('completed');
    const result = done.result as ProvisionSiteResult;
    expect(result.dns).toEqual({
      action: 'records-set',
      zone: 'example.com',
      records: [
        { type: 'A', name: setDomain, target: HOSTING.ipv4, purpose: expect.any(String) },
        { type: 'AAAA', name: setDomain, target: HOSTING.ipv6, purpose: expect.any(String) },
      ],
    });
    expect(done.progress?.steps.find((step) => step.name === 'dns')?.state).toBe('done');
    expect((await stack.sim.state()).services[SHOP]?.domainSsl[setDomain]).toMatchObject({ status: 'created' });
    expect(await stack.sim.admin('GET', `/dns/${setDomain}`)).toMatchObject({ a: [HOSTING.ipv4], aaaa: [HOSTING.ipv6], source: 'zone' });

    // 2. Abort: the DNS step had changed the zone; compensation puts it back exactly (same ids, targets and TTLs).
    await expect.poll(async () => (await stack.runs.describeRun(abortId)).status, POLL).toBe('needs-attention');
    const waiting = await progressOf(abortId);
    expect(waiting.steps.find((step) => step.name === 'dns')?.state).toBe('done');
    expect(waiting.undo).toContain(`restore the DNS records of ${abortDomain} in zone example.com`);
    expect(await stack.sim.admin('GET', `/dns/${abortDomain}`)).toMatchObject({ a: [HOSTING.ipv4] });
    // Meanwhile dns check agrees that the first domain now points at the hosting (exit 0).
    const [aborted, pointing] = await Promise.all([ovhflow('abort', abortId, '--json'), ovhflow('dns', 'check', '--service', SHOP, '--domain', setDomain, '--json')]);
    expect(aborted.code, aborted.stderr).toBe(0);
    expect(pointing.code, pointing.stderr).toBe(0);
    expect(parsedJson(pointing)).toEqual({
      serviceName: SHOP,
      domain: setDomain,
      attached: true,
      pointsAtHosting: true,
      recommended: { ipv4: [HOSTING.ipv4], ipv6: [HOSTING.ipv6] },
      resolves: [
        { ip: HOSTING.ipv4, type: 'A', dnsConfigured: true, isOvhIp: true },
        { ip: HOSTING.ipv6, type: 'AAAA', dnsConfigured: true, isOvhIp: true },
      ],
      records: [],
      present: [
        { type: 'A', name: setDomain, target: HOSTING.ipv4, purpose: expect.any(String) },
        { type: 'AAAA', name: setDomain, target: HOSTING.ipv6, purpose: expect.any(String) },
      ],
      // The domain's own certificate, which the run above obtained (OVH's per-domain certificates).
      certificate: { provider: 'LETSENCRYPT', status: 'created' },
    });
    expect((await outcomeOf(stack.runs, abortId)).status).toBe('aborted');
    expect((await progressOf(abortId)).compensation).toEqual({ undone: [`restore the DNS records of ${abortDomain} in zone example.com`], notUndone: [] });
    // (its `delete database` undo found nothing: the refused create made none)
    expect(await stack.sim.admin('GET', `/dns/${abortDomain}`)).toMatchObject({ a: [ELSEWHERE], aaaa: [] });
    // The domain was there before the run: it stays attached.
    expect((await stack.sim.state()).services[SHOP]?.attachedDomains.map((d) => d.domain)).toContain(abortDomain);

    // 3. The zone: everything but setDomain's A / AAAA is exactly as before (ids too); setDomain's A was updated in
    // place (its TTL kept), its AAAA created.
    const after = await zoneRecords();
    const isSetAddress = (record: ZoneRecord) => record.subDomain === setName && (record.fieldType === 'A' || record.fieldType === 'AAAA');
    expect(after.filter((record) => !isSetAddress(record))).toEqual(before.filter((record) => !isSetAddress(record)));
    const oldA = before.find((record) => record.subDomain === setName && record.fieldType === 'A');
    expect(after.filter(isSetAddress)).toEqual([
      { ...oldA, target: HOSTING.ipv4 },
      { id: expect.any(Number), zone: 'example.com', fieldType: 'AAAA', subDomain: setName, target: HOSTING.ipv6, ttl: 0 },
    ]);
    // Zone writes went to these two names only, and never deleted a record the run did not create.
    const zoneWrites = (await stack.sim.requests()).filter((request) => request.method !== 'GET' && request.path.startsWith('/domain/zone/') && !request.path.endsWith('/refresh'));
    for (const write of zoneWrites.filter((request) => request.method === 'DELETE')) {
      expect(before.map((record) => `/domain/zone/example.com/record/${record.id}`)).not.toContain(write.path);
    }
  });

  it('a domain whose DNS is elsewhere waits listing the exact records (dns check says the same, with zero writes), then completes once it points; skip goes on without it', async () => {
    const tag = randomUUID().slice(0, 6);
    const [waitDomain, skipDomain] = [`wait-${tag}.example.net`, `skip-${tag}.example.net`];
    const token = (await client.requestPromised('GET', `/hosting/web/${SHOP}/token`)) as string;
    for (const domain of [waitDomain, skipDomain]) {
      // Elsewhere: the owner proved ownership to OVH (TXT), but the name still points at an old server.
      await stack.sim.admin('PUT', `/dns/ovhcontrol.${domain}`, { txt: [token] });
      await stack.sim.admin('PUT', `/dns/${domain}`, { a: [ELSEWHERE] });
    }
    const wanted = (domain: string) => [
      { type: 'A', name: domain, target: HOSTING.ipv4, purpose: expect.any(String) },
      { type: 'AAAA', name: domain, target: HOSTING.ipv6, purpose: expect.any(String) },
    ];
    // The ownership TXT was there (OVH attached the domain on it): said, and not asked for again.
    const proof = (domain: string) => ({ type: 'TXT', name: `ovhcontrol.${domain}`, target: token, purpose: expect.any(String) });

    // Started as the HTTP API starts them (the run service); the CLI's own start is the first test's.
    const [waitId, skipId] = (
      await Promise.all([
        stack.runs.start('provision', { serviceName: SHOP, domain: waitDomain, path: defaultSitePath(waitDomain), ssl: { mode: 'letsencrypt' } }),
        stack.runs.start('provision', { serviceName: SHOP, domain: skipDomain, path: defaultSitePath(skipDomain), ssl: { mode: 'none' }, dns: 'check' }),
      ])
    ).map((ref) => ref.workflowId) as [string, string];
    await expect.poll(async () => (await stack.runs.describeRun(waitId)).status, POLL).toBe('needs-attention');
    await expect.poll(async () => (await stack.runs.describeRun(skipId)).status, POLL).toBe('needs-attention');
    const sslOrders = (await stack.sim.requests()).filter((request) => request.method === 'POST' && request.path.startsWith(`/hosting/web/${SHOP}/`) && /\/ssl(\/|$)/.test(request.path));

    // Both runs wait and write nothing meanwhile: the commands below must not write either (dns check is read-only,
    // a bad --dns mode or domain is refused before anything starts).
    const writesBefore = await writes();
    const [status, humanStatus, checked, human, badDomain, refused] = await Promise.all([
      ovhflow('status', waitId, '--json'),
      ovhflow('status', waitId),
      ovhflow('dns', 'check', '--service', SHOP, '--domain', waitDomain, '--json'),
      ovhflow('dns', 'check', '--service', SHOP, '--domain', waitDomain),
      ovhflow('dns', 'check', '--service', SHOP, '--domain', 'not a domain'),
      ovhflow('provision', '--service', SHOP, '--domain', `other-${tag}.example.net`, '--dns', 'manual'),
    ]);
    expect(await writes()).toBe(writesBefore);

    // The run says what to create, exactly, and keeps re-checking.
    expect(status.code).toBe(1);
    const shown = parsedJson(status);
    expect(shown.steps.find((step: { name: string }) => step.name === 'dns')).toMatchObject({ state: 'waiting-for-dns' });
    expect(shown.attention).toMatchObject({ step: 'dns', failureType: 'OvhflowWaitingForDns' });
    const [toCreate, alreadyThere] = (shown.attention.message as string).split('already there (keep them):');
    for (const line of [`${waitDomain} A ${HOSTING.ipv4}`, `${waitDomain} AAAA ${HOSTING.ipv6}`]) expect(toCreate).toContain(line);
    expect(toCreate).not.toContain('ovhcontrol');
    expect(alreadyThere).toContain(`ovhcontrol.${waitDomain} TXT ${token}`);
    expect(humanStatus.stdout).toContain('WAITING FOR DNS at step dns');

    // dns check: the same records, exit 1 (it does not point); bad input exit 2.
    expect(checked.code, checked.stderr).toBe(1);
    expect(parsedJson(checked)).toEqual({
      serviceName: SHOP,
      domain: waitDomain,
      attached: true,
      pointsAtHosting: false,
      recommended: { ipv4: [HOSTING.ipv4], ipv6: [HOSTING.ipv6] },
      resolves: [{ ip: ELSEWHERE, type: 'A', dnsConfigured: false, isOvhIp: false }],
      records: wanted(waitDomain),
      present: [proof(waitDomain)],
    });
    expect(human.code).toBe(1);
    expect(human.stdout).toContain(`${waitDomain} does NOT point at the hosting`);
    const [createPart, keepPart] = human.stdout.split('already there (keep them):');
    expect(createPart).toContain('create or change:');
    expect(createPart).not.toContain(token);
    expect(keepPart).toContain(`ovhcontrol.${waitDomain}`);
    expect(keepPart).toContain(token);
    expect(badDomain.code).toBe(2);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/dns/);

    // Retry while waiting = re-check now (the step runs again, and waits again); skip goes on without DNS, and the
    // result says so with the records that were missing.
    const [rechecked, skipped] = await Promise.all([ovhflow('retry', waitId, '--json'), ovhflow('skip', skipId, '--json')]);
    expect(rechecked.code, rechecked.stderr).toBe(0);
    await expect.poll(async () => (await progressOf(waitId)).steps.find((step) => step.name === 'dns')?.attempts, POLL).toBe(2);
    await expect.poll(async () => (await stack.runs.describeRun(waitId)).status, POLL).toBe('needs-attention');
    expect(skipped.code, skipped.stderr).toBe(0);
    const skippedRun = await outcomeOf(stack.runs, skipId);
    expect(skippedRun.status).toBe('completed');
    expect((skippedRun.result as ProvisionSiteResult).dns).toEqual({ action: 'skipped', records: wanted(skipDomain) });
    expect((skippedRun.result as ProvisionSiteResult).skipped).toContain('dns');

    // The owner changes the DNS: the run notices by itself, and only then orders the certificate.
    expect((await stack.runs.describeRun(waitId)).status).toBe('needs-attention');
    expect((await stack.sim.requests()).filter((request) => request.method === 'POST' && request.path.startsWith(`/hosting/web/${SHOP}/`) && /\/ssl(\/|$)/.test(request.path))).toEqual(sslOrders);
    await stack.sim.admin('PUT', `/dns/${waitDomain}`, { a: [HOSTING.ipv4], aaaa: [HOSTING.ipv6] });
    await expect.poll(async () => (await stack.runs.describeRun(waitId)).status, POLL).not.toBe('needs-attention');
    const completed = await outcomeOf(stack.runs, waitId);
    expect(completed.status, JSON.stringify(completed.progress?.attention)).toBe('completed');
    expect((completed.result as ProvisionSiteResult).dns).toEqual({ action: 'external', records: wanted(waitDomain) });
    expect((await stack.sim.state()).services[SHOP]?.domainSsl[waitDomain]).toMatchObject({ status: 'created' });
  });
});
