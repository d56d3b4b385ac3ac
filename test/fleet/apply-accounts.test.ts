// `ovhflow apply` of a fleet file naming two OVH accounts, as operators run it: the binary, against the suite's
// Temporal dev server, one worker holding both accounts (an accounts file, as `ovhflow worker` reads it) and a real
// simulator holding both over HTTPS. The simulator answers a call on another account's service "does not exist"
// (404): every write answered 200 on an account's service was made with that account's credentials.
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { runInAccount } from '../../src/ovh/account-context.js';
import { createAccountRouter, type OvhAccountRouter } from '../../src/ovh/account-router.js';
import { requiredAccessRules } from '../../src/ovh/access-rules.js';
import type { ApplyFleetResult } from '../../src/shared/apply.js';
import type { FleetPlan } from '../../src/shared/fleet.js';
import { ensureFreshDist, ovhflowCli, parsedJson, type OvhflowCli } from '../support/cli.js';
import { secretFilesIn, simulatorOvhEnv, startTestSimulator, type TestSimulator } from '../support/simulator.js';
import { connectTestTemporal, runTestWorker, TEST_KEY_BASE64, uniqueTaskQueue, type TestTemporal } from '../support/temporal.js';

const NIC_B = 'acb111-ovh';
const SHOP = 'demo-shop.ovh';
const AGENCY = 'demo-agency.ovh';
const tag = () => randomUUID().replace(/-/g, '').slice(0, 6).replace(/^\d/, 'x');

describe('fleet as code: one apply across two OVH accounts', { timeout: 240_000 }, () => {
  let t: TestTemporal;
  let sim: TestSimulator;
  let router: OvhAccountRouter;
  let cli: OvhflowCli;
  let taskQueue: string;
  let stopWorker: (() => Promise<void>) | undefined;
  const serviceB = `accb${tag()}.example.net`;
  /** Two sites per account, each to be switched to the CDN: two children per account. */
  const sites = {
    default: [
      { serviceName: SHOP, domain: `one-${tag()}.example.org`, path: 'one' },
      { serviceName: AGENCY, domain: `two-${tag()}.example.org`, path: 'two' },
    ],
    'agency-b': [
      { serviceName: serviceB, domain: `b1-${tag()}.example.org`, path: 'b1' },
      { serviceName: serviceB, domain: `b2-${tag()}.example.org`, path: 'b2' },
    ],
  };
  const ovhflow = (...args: string[]) => cli.run(taskQueue, ...args);

  beforeAll(async () => {
    const building = ensureFreshDist();
    t = await connectTestTemporal();
    // Tasks long enough that two children of an account at once would overlap for certain.
    sim = await startTestSimulator({ taskDurationMs: { default: 400 } });
    await sim.admin('POST', `/services/${serviceB}`, { offer: 'PERFORMANCE_1', primaryLogin: `bb${tag()}`, account: NIC_B });
    const application = (await sim.admin('POST', '/applications', { name: 'agency-b-tools', account: NIC_B })) as { applicationKey: string; applicationSecret: string };
    const minted = await sim.mintCredential(requiredAccessRules(), { applicationKey: application.applicationKey });

    const { dir, secretFile } = secretFilesIn('ovhflow-apply-accounts-');
    const accountsFile = join(dir, 'ovhflow.accounts.json');
    writeFileSync(
      accountsFile,
      JSON.stringify({
        accounts: {
          'agency-b': {
            endpoint: sim.url,
            caFile: sim.caFile,
            nic: NIC_B,
            applicationKey: application.applicationKey,
            applicationSecretFile: secretFile('b-secret', application.applicationSecret),
            consumerKeyFile: secretFile('b-ck', minted.consumerKey),
          },
        },
      }),
    );
    const classic = { ...simulatorOvhEnv(sim), OVHFLOW_ACCOUNTS_FILE: accountsFile };
    const config = loadConfig(classic);
    router = createAccountRouter(config.accounts.accounts, config.accounts.defaultAccount, t.logger, classic);
    taskQueue = uniqueTaskQueue('apply-accounts');
    stopWorker = (await runTestWorker(t, taskQueue, { ovh: router })).stop;

    // The sites the file will change, attached beforehand in their own accounts. Each file of the suite has its own:
    // an apply's child run id is made from its change, and the suite's files share one Temporal namespace.
    const officialClients: Record<string, ReturnType<TestSimulator['ovhClient']>> = {
      default: sim.ovhClient(),
      'agency-b': sim.ovhClient({ applicationKey: application.applicationKey, applicationSecret: application.applicationSecret, consumerKey: minted.consumerKey }),
    };
    for (const [account, list] of Object.entries(sites)) {
      for (const site of list) {
        const task = await runInAccount(account, () => router.clientFor().attachDomain(site.serviceName, { domain: site.domain, path: site.path, ssl: false }));
        await sim.waitForTask(site.serviceName, task.id, { client: officialClients[account] });
      }
    }

    cli = ovhflowCli({ temporalAddress: t.address, temporalNamespace: t.namespace, encryptionKeyBase64: TEST_KEY_BASE64, timeoutMs: 180_000 });
    writeFileSync(join(cli.cwd, '.env'), Object.entries(classic).map(([k, v]) => `${k}=${v}`).join('\n'));
    await building;
  }, 180_000);

  afterAll(async () => {
    await stopWorker?.();
    cli?.dispose();
    await sim?.stop();
    await t?.close();
  });

  it('apply --yes --wait --parallel 1 makes each change in its own account, one child at a time per account, both accounts at once; a second plan shows no change', async () => {
    const file = { version: 1, accounts: {} as Record<string, { services: Record<string, { sites: Array<Record<string, unknown>> }> }> };
    for (const [account, list] of Object.entries(sites)) {
      const services: Record<string, { sites: Array<Record<string, unknown>> }> = {};
      for (const site of list) (services[site.serviceName] ??= { sites: [] }).sites.push({ domain: site.domain, path: site.path, cdn: 'active' });
      file.accounts[account] = { services };
    }
    writeFileSync(join(cli.cwd, 'fleet.yaml'), yaml.dump(file));

    const before = (await sim.requests()).length;
    const run = await ovhflow('apply', 'fleet.yaml', '--yes', '--wait', '--parallel', '1');
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toContain('Applied: 4 done, 0 failed, 0 need attention.');

    // The parent's report: all four sites done, each in its account.
    const result = JSON.parse(/\nresult:\n([\s\S]*?\n\})\n/.exec(run.stdout)?.[1] ?? 'null') as ApplyFleetResult;
    expect(result.done.map((d) => `${d.account} ${d.serviceName} ${d.subject} ${d.runType}`).sort()).toEqual(
      Object.entries(sites)
        .flatMap(([account, list]) => list.map((s) => `${account} ${s.serviceName} ${s.domain} update-domain`))
        .sort(),
    );
    expect(result.failed).toEqual([]);
    expect(result.needsAttention).toEqual([]);

    // Each write once, on its account's service, accepted: a credential of the other account would have got a 404.
    const writes = (await sim.requests()).slice(before).filter((r) => r.method !== 'GET' && r.path.startsWith('/hosting/web'));
    expect(writes.map((w) => `${w.method} ${w.path} ${w.status}`).sort()).toEqual(
      Object.values(sites)
        .flat()
        .map((s) => `PUT /hosting/web/${s.serviceName}/attachedDomain/${s.domain} 200`)
        .sort(),
    );
    const state = await sim.state();
    expect(state.services[serviceB]!.account).toBe(NIC_B);
    expect(state.services[SHOP]!.account).not.toBe(NIC_B);
    for (const site of Object.values(sites).flat()) expect(state.services[site.serviceName]!.attachedDomains.find((d) => d.domain === site.domain)?.cdn).toBe('active');

    // --parallel 1: within an account each child starts after the previous one closed; the accounts run side by side.
    const spans = await Promise.all(
      result.done.map(async (child) => {
        const described = await t.client.workflow.getHandle(child.workflowId).describe();
        return { account: child.account, start: described.startTime.getTime(), close: described.closeTime?.getTime() ?? Number.NaN };
      }),
    );
    const byAccount = (account: string) => spans.filter((s) => s.account === account).sort((a, b) => a.start - b.start);
    for (const account of Object.keys(sites)) {
      const own = byAccount(account);
      expect(own).toHaveLength(2);
      expect(own[1]!.start, `${account}: the second child started before the first closed`).toBeGreaterThanOrEqual(own[0]!.close);
    }
    const [a, b] = [byAccount('default')[0]!, byAccount('agency-b')[0]!];
    expect(Math.max(a.start, b.start), 'the two accounts did not apply at once').toBeLessThan(Math.min(a.close, b.close));

    const afterApply = (await sim.requests()).length;
    const plan = parsedJson(await ovhflow('plan', 'fleet.yaml', '--json')) as FleetPlan;
    expect(plan.summary).toMatchObject({ create: 0, change: 0, blocked: 0 });
    expect(plan.failures).toEqual([]);
    expect(new Set(plan.sites.filter((s) => s.resources.some((r) => r.kind === 'site')).map((s) => s.account))).toEqual(new Set(['default', 'agency-b']));
    expect((await sim.requests()).slice(afterApply).filter((r) => r.method !== 'GET')).toEqual([]);
  });
});
