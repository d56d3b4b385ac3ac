// A site born complete (issue #25): `ovhflow provision` with what runs on the site — here its PHP settings — through
// the binary, against the suite's Temporal dev server, a worker of this file and the real simulator over HTTPS. The
// simulator's admin state shows the folder's `.ovhconfig`; its request log shows what was written.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { provisionWorkflowId, type ProvisionSiteResult } from '../../src/shared/provision.js';
import { parsedJson, startCliStack, type CliStack } from '../support/cli.js';
import { outcomeOf, writesTo, type TestStack } from '../support/stack.js';

/** Perso offer: PHP up to 8.4, not 8.5. */
const AGENCY = 'demo-agency.ovh';
const POLL = { timeout: 60_000, interval: 250 };
const unique = () => randomUUID().replace(/-/g, '').slice(0, 8);

describe('provisioning with what runs on the site', { timeout: 180_000 }, () => {
  let stack: TestStack;
  let cliStack: CliStack;
  let ownWorker: CliStack['ownWorker'];

  beforeAll(async () => {
    cliStack = await startCliStack('cli-site-setup');
    ({ stack, ownWorker } = cliStack);
  });
  afterEach(async () => {
    await cliStack.stopWorkers();
    await stack.sim.clearFaults();
    await stack.sim.config({ taskDurationMs: { default: 60 } });
  });
  afterAll(async () => {
    await cliStack?.close();
  });

  const configAt = async (path: string) => {
    const service = (await stack.sim.state()).services[AGENCY]!;
    return service.ovhConfigs.find((config) => config.path === path && config.historical === false);
  };
  const bare = (domain: string) => ['provision', '--service', AGENCY, '--domain', domain, '--no-database', '--ssl', 'none', '--dns', 'skip'];

  it("a provisioning with --php ends with the site folder's own .ovhconfig on that version, found by OVH's refresh; a second run changes nothing", async () => {
    const ovhflow = await ownWorker('cli-site-php');
    const domain = `php-${unique()}.example.org`;
    const done = await ovhflow(...bare(domain), '--php', '8.3', '--php-environment', 'development', '--wait', '--json');
    expect(done.code, `${done.stdout}\n${done.stderr}`).toBe(0);
    const result = parsedJson(done).result as ProvisionSiteResult;
    expect(result.php).toMatchObject({ settings: { engineVersion: '8.3', environment: 'development' } });
    expect(result.php!.changes.map((c) => c.field).sort()).toEqual(['engineVersion', 'environment']);
    expect(await configAt(domain)).toMatchObject({ engineVersion: '8.3', environment: 'development', status: 'created' });
    const tasks = (await stack.sim.state()).services[AGENCY]!.tasks.map((task) => task.function);
    expect(tasks).toContain('ovhConfig/refresh');

    // The same site again finds the run that made it: nothing is written twice.
    const writes = (await writesTo(stack.sim, AGENCY)).length;
    const again = await ovhflow(...bare(domain), '--php', '8.3', '--php-environment', 'development', '--wait', '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(parsedJson(again)).toMatchObject({ workflowId: parsedJson(done).workflowId, status: 'completed', result: { php: { settings: { engineVersion: '8.3' } } } });
    expect((await writesTo(stack.sim, AGENCY)).slice(writes)).toEqual([]);
  });

  it('a PHP version the hosting does not offer is refused at preflight: the domain is never attached', async () => {
    const ovhflow = await ownWorker('cli-site-php-refused');
    const domain = `php85-${unique()}.example.org`;
    const writes = (await writesTo(stack.sim, AGENCY)).length;
    const refused = await ovhflow(...bare(domain), '--php', '8.5', '--wait', '--json');
    expect(refused.code).toBe(1);
    expect(parsedJson(refused)).toMatchObject({ status: 'needs-attention', attention: { step: 'preflight' } });
    expect(JSON.stringify(parsedJson(refused).attention)).toContain('this hosting does not offer PHP 8.5; it offers 7.4, 8.0, 8.1, 8.2, 8.3, 8.4');
    expect((await writesTo(stack.sim, AGENCY)).slice(writes)).toEqual([]);
    expect((await ovhflow('abort', parsedJson(refused).workflowId as string)).code).toBe(0);

    const unknown = await ovhflow(...bare(domain), '--php', '9.9');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/php.*"9\.9" is not allowed/s);
  });

  it("a provisioning cancelled while OVH changes the folder's PHP rolls it back and detaches the domain", async () => {
    const ovhflow = await ownWorker('cli-site-php-abort');
    const domain = `phpabort-${unique()}.example.org`;
    const id = provisionWorkflowId({ serviceName: AGENCY, domain });
    await stack.sim.config({ taskDurationMs: { default: 60, 'ovhConfig/update': 3_000 } });
    expect((await ovhflow(...bare(domain), '--php', '8.4', '--php-firewall', 'security')).code).toBe(0);
    // Past OVH's refresh that finds the new folder's file, while its change runs.
    await expect.poll(async () => (await stack.runs.describeRun(id)).progress?.steps.find((s) => s.name === 'php')?.task?.function, POLL).toBe('ovhConfig/update');
    await stack.t.client.workflow.getHandle(id).cancel();
    const view = await outcomeOf(stack.runs, id, 60_000);
    expect(view.status, JSON.stringify(view.progress)).toBe('cancelled');
    expect(view.progress?.compensation?.undone).toEqual([expect.stringMatching(/^roll the \.ovhconfig of .* back to php 8\.2/), `detach ${domain}`]);
    expect((await stack.sim.state()).services[AGENCY]!.attachedDomains.find((d) => d.domain === domain)).toBeUndefined();
  });
});
