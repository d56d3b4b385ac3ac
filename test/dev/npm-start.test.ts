// `npm start` as a user runs it: the built `ovhflow dev` from an empty data folder, a demo provisioning through the
// built CLI, Ctrl-C, and a second start that still knows the first run; then the README's tour, run as written.
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DevFacts } from '../../src/cli/commands/dev.js';
import { DevStarts, devCli, root, run } from '../support/dev-start.js';
import { descendantsOf } from '../support/processes.js';

const home = mkdtempSync(join(tmpdir(), 'ovhflow-dev-'));
const starts = new DevStarts();
starts.folders.push(home);
afterAll(() => starts.cleanUp());

const startDev = (cwd = home) => starts.start(cwd);
const cli = (args: string[], facts: DevFacts, cwd = home) => devCli(args, facts, cwd);

describe('npm start (ovhflow dev)', () => {
  it('starts everything from an empty .data, runs a demo provisioning, stops cleanly on Ctrl-C, and keeps runs across restarts', async () => {
    const first = await startDev();
    expect(first.facts.simulator?.services).toContain('demo-agency.ovh');
    expect(first.facts.api.token.length).toBeGreaterThanOrEqual(32);
    expect(first.output()).toContain('ovhflow is running');

    const provision = await cli(['provision', '--service', 'demo-agency.ovh', '--domain', 'blog.example.com', '--module', 'wordpress', '--wait', '--json'], first.facts);
    expect(provision.code, provision.stdout).toBe(0);
    const view = JSON.parse(provision.stdout) as { workflowId: string; status: string; result: { module: { url: string } } };
    expect(view.status).toBe('completed');
    expect(view.result.module.url).toBe('https://blog.example.com/');

    // The HTTP API sees the same run.
    const answer = await fetch(`${first.facts.api.url}/v1/runs/${encodeURIComponent(view.workflowId)}`, { headers: { authorization: `Bearer ${first.facts.api.token}` } });
    expect(answer.status).toBe(200);

    expect(descendantsOf(first.child.pid as number).length).toBeGreaterThanOrEqual(3); // guard + temporal, guard + simulator
    await starts.stop(first);
    expect(first.child.exitCode).toBe(0);
    expect(existsSync(first.factsFile)).toBe(false);

    const second = await startDev();
    const runs = await cli(['runs', '--type', 'provision', '--json'], second.facts);
    expect(runs.code, runs.stdout).toBe(0);
    expect((JSON.parse(runs.stdout) as Array<{ workflowId: string; status: string }>).find((r) => r.workflowId === view.workflowId)).toMatchObject({ status: 'completed' });
    await starts.stop(second);
  }, 300_000);

  it("the README's five-minute tour, its shell blocks run as written in a project folder: every run it starts completes, the external-DNS one after waiting for DNS", async () => {
    // A folder like a clone's: `node bin/ovhflow.js` and `.data/` relative to it.
    const project = mkdtempSync(join(tmpdir(), 'ovhflow-tour-'));
    starts.folders.push(project);
    symlinkSync(join(root, 'bin'), join(project, 'bin'));
    const dev = await startDev(project);
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const tour = readme.slice(readme.indexOf('## A five-minute tour'), readme.indexOf("Step 4's run also appears"));
    const blocks = [...tour.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] as string);
    expect(blocks).toHaveLength(3);
    const simulator = new URL(dev.facts.simulator!.url);
    // The README's addresses are npm start's defaults; this start took free ports.
    const script = blocks.join('\n').replaceAll('127.0.0.1:8443', `127.0.0.1:${simulator.port}`).replaceAll('http://localhost:8080', dev.facts.api.url);
    const shell = await run('bash', ['-c', script], {
      cwd: project,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TEMPORAL_ADDRESS: dev.facts.temporal.address },
      timeout: 240_000,
      maxBuffer: 16 * 1024 * 1024,
    }).then(
      ({ stdout, stderr }) => ({ code: 0, output: stdout + stderr }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, output: error.stdout + error.stderr }),
    );
    // The last command (the site on a demo hosting of one's own) ends the script: it exits 0 once that run completed.
    expect(shell.code, shell.output).toBe(0);
    expect(shell.output).toContain('NEEDS ATTENTION at step createDatabase'); // step 4, as the tour says
    expect(shell.output).toMatch(/WAITING FOR DNS/); // step 7
    expect(shell.output).toMatch(/ovhcontrol\.shop\.customer\.example/); // step 6 lists the ownership TXT

    const runs = await cli(['runs', '--type', 'provision', '--json'], dev.facts, project);
    expect(runs.code, runs.stdout).toBe(0);
    const statuses = Object.fromEntries((JSON.parse(runs.stdout) as Array<{ workflowId: string; status: string }>).map((r) => [r.workflowId, r.status]));
    expect(statuses).toEqual({
      'provision-site/demo-agency.ovh/blog.example.com': 'completed',
      'provision-site/demo-shop.ovh/news.example.com': 'completed',
      'provision-site/demo-agency.ovh/shop.customer.example': 'completed',
      'provision-site/demo-more.ovh/third.example.com': 'completed',
    });
    await starts.stop(dev);
  }, 300_000);
});
