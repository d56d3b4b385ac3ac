// A site born complete (issue #25): `ovhflow provision` with what runs on the site — PHP, environment variables, cron
// jobs, a Git deployment — and its decommission removing what belongs to its folder, through
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

  it('a provisioning with php, env, cron and git ends with all of them in place; its decommission removes the cron jobs and the Git link of its folder, and leaves the hosting-wide variables', async () => {
    const ovhflow = await ownWorker('cli-site-complete');
    const domain = `complete-${unique()}.example.org`;
    const secret = `S3cret-${unique()}-value`;
    const name = `APP_${unique().toUpperCase()}`;
    const done = await ovhflow.withEnv(
      { SITE_SETUP_TEST_SECRET: secret },
      ...bare(domain),
      '--php', '8.3',
      '--env', `${name}_ENV=production`,
      '--env-from-env', `${name}_KEY:password=SITE_SETUP_TEST_SECRET`,
      '--cron', `0 3 * * * ${domain}/cron/nightly.php --full`,
      '--cron-language', 'php8.3',
      '--git-repo', 'https://github.com/acme/agency-theme',
      '--git-branch', 'main',
      '--wait', '--json',
    );
    expect(done.code, `${done.stdout}\n${done.stderr}`).toBe(0);
    expect(done.stdout).not.toContain(secret);
    const result = parsedJson(done).result as ProvisionSiteResult;
    expect(result.php?.settings.engineVersion).toBe('8.3');
    expect(result.env?.variables.map((v) => [v.name, v.action])).toEqual([[`${name}_ENV`, 'create'], [`${name}_KEY`, 'create']]);
    expect(JSON.stringify(result.env)).not.toContain(secret);
    expect(result.cron).toEqual([expect.objectContaining({ command: `${domain}/cron/nightly.php --full`, outcome: 'created' })]);
    expect(result.git).toMatchObject({ path: domain, repository: 'https://github.com/acme/agency-theme', branch: 'main', deployment: { status: 'successful' } });
    expect(result.git?.pushWebhook).toMatch(/^https:\/\//);

    // At "OVH": each is there.
    const service = (await stack.sim.state()).services[AGENCY]!;
    expect(service.ovhConfigs.find((c) => c.path === domain && !c.historical)).toMatchObject({ engineVersion: '8.3' });
    expect(service.envVars.filter((v) => v.key.startsWith(name)).map((v) => [v.key, v.type])).toEqual([[`${name}_ENV`, 'string'], [`${name}_KEY`, 'password']]);
    expect(service.crons.filter((c) => c.command.startsWith(domain)).map((c) => [c.command, c.language])).toEqual([[`${domain}/cron/nightly.php --full`, 'php8.3']]);
    expect(service.websites.filter((w) => w.path === domain).map((w) => [w.vcsUrl, w.vcsBranch])).toEqual([['https://github.com/acme/agency-theme', 'main']]);

    // Its decommission: the cron job and the Git link of its folder go; the hosting's variables stay (they are not the site's).
    const removed = await ovhflow('decommission', '--service', AGENCY, '--domain', domain, '--yes', '--wait', '--json');
    expect(removed.code, `${removed.stdout}\n${removed.stderr}`).toBe(0);
    expect(parsedJson(removed).result).toMatchObject({ removed: { cronJobs: [`${domain}/cron/nightly.php --full`], domain } });
    const after = (await stack.sim.state()).services[AGENCY]!;
    expect(after.crons.filter((c) => c.command.startsWith(domain))).toEqual([]);
    expect(after.websites.filter((w) => w.path === domain)).toEqual([]);
    expect(after.envVars.filter((v) => v.key.startsWith(name))).toHaveLength(2);
  });

  it('git with a module in the same folder, a malformed cron line and a non-GitHub repository are refused before anything starts', async () => {
    const ovhflow = await ownWorker('cli-site-refusals');
    const domain = `refused-${unique()}.example.org`;
    const withModule = await ovhflow('provision', '--service', AGENCY, '--domain', domain, '--module', 'wordpress', '--git-repo', 'https://github.com/acme/site', '--git-branch', 'main');
    expect(withModule.code).toBe(2);
    expect(withModule.stderr).toContain('OVH deploys from Git only into an empty folder');
    const badCron = await ovhflow(...bare(domain), '--cron', '99 3 * * www/x.php');
    expect(badCron.code).toBe(2);
    expect(badCron.stderr).toMatch(/cron/);
    const gitlab = await ovhflow(...bare(domain), '--git-repo', 'https://gitlab.com/acme/site', '--git-branch', 'main');
    expect(gitlab.code).toBe(2);
    expect(gitlab.stderr).toContain('OVH deploys from GitHub only');
    expect((await stack.sim.state()).services[AGENCY]!.attachedDomains.find((d) => d.domain === domain)).toBeUndefined();
  });
});
