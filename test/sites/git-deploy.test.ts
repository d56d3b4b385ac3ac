// `ovhflow deploy` and `ovhflow ls websites`, as operators run them (the binary, against the suite's Temporal dev
// server, a worker of this file and the real simulator over HTTPS), and POST /v1/deployments over HTTP. The simulator's
// request log and admin state show what really happened at "OVH": which links were created, changed or deleted, how
// many deployments ran and what they deployed.
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deployWorkflowId, type DeployWebsiteResult } from '../../src/shared/deploy.js';
import { parsedJson, startCliStack, type CliStack } from '../support/cli.js';
import { startTestApi } from '../support/api.js';
import { outcomeOf, writesTo, type TestStack } from '../support/stack.js';

const SHOP = 'demo-shop.ovh';
const AGENCY = 'demo-agency.ovh';
const REPO = 'https://github.com/acme/site';
const POLL = { timeout: 60_000, interval: 250 };
const unique = () => randomUUID().replace(/-/g, '').slice(0, 8);

describe('Git deployment: deploy, ls websites, POST /v1/deployments', { timeout: 180_000 }, () => {
  let stack: TestStack;
  let cliStack: CliStack;
  let ownWorker: CliStack['ownWorker'];

  beforeAll(async () => {
    cliStack = await startCliStack('cli-git');
    ({ stack, ownWorker } = cliStack);
  });
  afterEach(async () => {
    await cliStack.stopWorkers();
    await stack.sim.clearFaults();
  });
  afterAll(async () => {
    await cliStack?.close();
  });

  const websiteWrites = async (serviceName: string) =>
    (await writesTo(stack.sim, serviceName)).filter((w) => /\/website(\/|$)/.test(w.path)).map((w) => `${w.method} ${w.path.replace(/^\/hosting\/web\/[^/]+/, '').replace(/\/\d+/g, '/{id}')}`);
  const linkAt = async (serviceName: string, path: string) => (await stack.sim.state()).services[serviceName]!.websites.find((w) => w.path === path);

  it('a first deploy creates the link and deploys, printing the commit and the push webhook; a second deploys again without a second link', async () => {
    const ovhflow = await ownWorker('cli-git-first');
    const path = `app-${unique()}`;
    const before = (await websiteWrites(AGENCY)).length;

    const first = await ovhflow('deploy', '--service', AGENCY, '--path', path, '--repo', REPO, '--branch', 'main', '--wait');
    expect(first.code, `${first.stdout}\n${first.stderr}`).toBe(0);
    const link = await linkAt(AGENCY, path);
    expect(link).toMatchObject({ path, vcsUrl: REPO, vcsBranch: 'main', status: 'created' });
    const commit = link!.deployments[0]!.vcsCommitId as string;
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    expect(first.stdout).toContain(`deployed ${REPO} (main) into ${path}: commit ${commit}`);
    expect(first.stdout).toMatch(/push webhook \(GitHub → Settings → Webhooks[^\n]*\n {2}https:\/\/webhooks\.hosting\.ovh\.net\/1\.0\/vcs\/github\/\S+/);

    const second = await ovhflow('deploy', '--service', AGENCY, '--path', path, '--repo', REPO, '--branch', 'main', '--wait', '--json');
    expect(second.code, second.stderr).toBe(0);
    const result = parsedJson(second).result as DeployWebsiteResult;
    expect(result).toMatchObject({ link: 'unchanged', path, branch: 'main', deployment: { status: 'successful', commit }, pushWebhook: expect.stringMatching(/^https:\/\/webhooks\./) });
    expect(result.deployment.id).toBe(2);

    expect((await websiteWrites(AGENCY)).slice(before)).toEqual(['POST /website', 'POST /website/{id}/deploy', 'POST /website/{id}/deploy']);

    const listed = await ovhflow('ls', 'websites', '--service', AGENCY, '--json');
    expect(listed.code, listed.stderr).toBe(0);
    expect(parsedJson(listed)).toContainEqual(expect.objectContaining({ path, repository: REPO, branch: 'main', lastDeployment: 2, lastDeploymentStatus: 'successful', lastCommit: commit }));
  });

  it('a create and a deploy whose answers were lost are adopted: one link, one deployment', async () => {
    const ovhflow = await ownWorker('cli-git-lost');
    const path = `lost-${unique()}`;
    const before = (await websiteWrites(AGENCY)).length;
    await stack.sim.faults([
      { method: 'POST', path: `/hosting/web/${AGENCY}/website`, reset: 'after', times: 1 },
      { method: 'POST', path: `/hosting/web/${AGENCY}/website/*/deploy`, reset: 'after', times: 1 },
    ]);
    const run = await ovhflow('deploy', '--service', AGENCY, '--path', path, '--repo', REPO, '--branch', 'main', '--wait', '--json');
    expect(run.code, run.stderr).toBe(0);
    expect(parsedJson(run).result).toMatchObject({ link: 'created', deployment: { id: 1, status: 'successful' } });
    expect(parsedJson(run).steps.find((s: { name: string }) => s.name === 'deploy').note).toContain('(already running, adopted)');
    expect((await websiteWrites(AGENCY)).slice(before)).toEqual(['POST /website', 'POST /website/{id}/deploy']);
    expect((await stack.sim.state()).services[AGENCY]!.websites.filter((w) => w.path === path)).toHaveLength(1);
  });

  it('a non-GitHub URL is refused before anything starts; a folder with a module or with files is refused with nothing written', async () => {
    const ovhflow = await ownWorker('cli-git-refused');
    const before = (await websiteWrites(SHOP)).length;

    const gitlab = await ovhflow('deploy', '--service', SHOP, '--path', 'www/new', '--repo', 'https://gitlab.com/acme/site', '--branch', 'main');
    expect(gitlab.code).toBe(2);
    expect(gitlab.stdout).toBe('');
    expect(gitlab.stderr).toMatch(/invalid input, nothing was started:\n.*repository.*OVH deploys from GitHub only/);

    // demo-shop.ovh has WordPress installed in `shop`.
    const module = await ovhflow('deploy', '--service', SHOP, '--path', 'shop', '--repo', REPO, '--branch', 'main', '--wait');
    expect(module.code, `${module.stdout}\n${module.stderr}`).toBe(2);
    expect(`${module.stdout}${module.stderr}`).toMatch(/refused, nothing was changed: shop is not empty: module \d+ \(https:\/\/[^)]+\) is installed there/);

    // Files put there by FTP: only OVH can see them, and refuses the link; the run waits for an operator, nothing written.
    await stack.sim.admin('POST', `/services/${SHOP}`, { filledFolders: ['uploads'] });
    const files = await ovhflow('deploy', '--service', SHOP, '--path', 'uploads', '--repo', REPO, '--branch', 'main', '--wait', '--json');
    expect(files.code).toBe(1);
    expect(parsedJson(files)).toMatchObject({ status: 'needs-attention', attention: { step: 'link', failureType: 'OvhBadRequest' } });
    expect(JSON.stringify(parsedJson(files).attention)).toContain('The directory uploads is not empty');
    const aborted = await ovhflow('abort', parsedJson(files).workflowId as string);
    expect(aborted.code, aborted.stderr).toBe(0);

    // The refused create reached OVH and was answered 400: nothing exists.
    expect((await websiteWrites(SHOP)).slice(before)).toEqual(['POST /website']);
    expect((await stack.sim.state()).services[SHOP]!.websites).toEqual([]);
  });

  it("the offer's limit of links is refused before any write once reached", async () => {
    const ovhflow = await ownWorker('cli-git-offer');
    const start = `git-start-${unique()}.ovh`;
    await stack.sim.admin('POST', `/services/${start}`, { offer: 'START' });
    expect((await ovhflow('deploy', '--service', start, '--path', 'www', '--repo', REPO, '--branch', 'main', '--wait')).code).toBe(0);
    const second = await ovhflow('deploy', '--service', start, '--path', 'other', '--repo', REPO, '--branch', 'main', '--wait');
    expect(second.code, `${second.stdout}\n${second.stderr}`).toBe(2);
    expect(`${second.stdout}${second.stderr}`).toContain("refused, nothing was changed: the hosting's offer allows 1 Git website link(s) and has 1");
    expect(await websiteWrites(start)).toEqual(['POST /website', 'POST /website/{id}/deploy']);
  });

  it("a failed deployment stops with OVH's log in the run's failure and retry deploys again; abort of a failed first deploy removes the link it created", async () => {
    const ovhflow = await ownWorker('cli-git-failed');
    const path = `fail-${unique()}`;
    await stack.sim.faults([{ taskFunction: 'website/vcs/deploy', serviceName: AGENCY, outcome: 'failed', times: 1 }]);

    const failed = await ovhflow('deploy', '--service', AGENCY, '--path', path, '--repo', REPO, '--branch', 'main', '--wait', '--json');
    expect(failed.code).toBe(1);
    const view = parsedJson(failed);
    expect(view).toMatchObject({ status: 'needs-attention', attention: { step: 'deploy', failureType: 'OvhDeploymentFailed' } });
    const id = view.workflowId as string;
    const shown = await ovhflow('status', id);
    expect(shown.stdout).toContain(`deployment 1 of ${REPO} (main) into ${path} failed; OVH's log:`);
    expect(shown.stdout).toContain("fatal: could not read Username for 'https://github.com'");
    expect((await linkAt(AGENCY, path))?.status).toBe('initialError');

    const retried = await ovhflow('retry', id);
    expect(retried.code, retried.stderr).toBe(0);
    const done = await outcomeOf(stack.runs, id, 60_000);
    expect(done.status, JSON.stringify(done.progress)).toBe('completed');
    expect(done.result).toMatchObject({ link: 'created', deployment: { id: 2, status: 'successful' } });
    expect((await linkAt(AGENCY, path))!.deployments.map((d) => d.status)).toEqual(['failed', 'successful']);

    // A first deploy that fails and is aborted: the link this run created goes (with the files: the folder was empty).
    const other = `abort-${unique()}`;
    await stack.sim.faults([{ taskFunction: 'website/vcs/deploy', serviceName: AGENCY, outcome: 'failed', times: 1 }]);
    const second = await ovhflow('deploy', '--service', AGENCY, '--path', other, '--repo', REPO, '--branch', 'main', '--wait', '--json');
    expect(second.code).toBe(1);
    const secondId = parsedJson(second).workflowId as string;
    expect((await ovhflow('abort', secondId)).code).toBe(0);
    const aborted = await outcomeOf(stack.runs, secondId, 60_000);
    expect(aborted.status).toBe('aborted');
    expect(aborted.progress?.compensation?.undone).toEqual([`remove the Git link of ${other} to ${REPO} (and the files it deployed)`]);
    expect(await linkAt(AGENCY, other)).toBeUndefined();
    expect((await stack.sim.state()).services[AGENCY]!.filledFolders).not.toContain(other);
  });

  it('a new branch updates the link; another repository waits for a confirmation, then deletes the link and creates a new one', async () => {
    const ovhflow = await ownWorker('cli-git-change');
    const path = `site-${unique()}`;
    expect((await ovhflow('deploy', '--service', AGENCY, '--path', path, '--repo', REPO, '--branch', 'main', '--wait')).code).toBe(0);
    const firstId = (await linkAt(AGENCY, path))!.id;
    const before = (await websiteWrites(AGENCY)).length;

    const branch = await ovhflow('deploy', '--service', AGENCY, '--path', path, '--repo', REPO, '--branch', 'staging', '--wait', '--json');
    expect(branch.code, branch.stderr).toBe(0);
    expect(parsedJson(branch).result).toMatchObject({ link: 'branch-changed', previousBranch: 'main', branch: 'staging', websiteId: firstId, deployment: { branch: 'staging', status: 'successful' } });
    expect((await websiteWrites(AGENCY)).slice(before)).toEqual(['PUT /website/{id}', 'POST /website/{id}/deploy']);

    const requestId = `replace-${unique()}`;
    const id = deployWorkflowId(AGENCY, path, requestId);
    const other = 'https://github.com/acme/other-site';
    const started = await ovhflow('deploy', '--service', AGENCY, '--path', path, '--repo', other, '--branch', 'main', '--request-id', requestId);
    expect(started.code, started.stderr).toBe(0);
    await expect.poll(async () => (await stack.runs.describeRun(id)).progress?.attention?.failureType, POLL).toBe('OvhflowConfirmationRequired');
    const held = await stack.runs.describeRun(id);
    expect(held.progress?.attention?.message).toContain(`deploys ${REPO}; OVH cannot change a link's repository`);
    expect((await websiteWrites(AGENCY)).slice(before)).toEqual(['PUT /website/{id}', 'POST /website/{id}/deploy']);

    const confirmed = await ovhflow('confirm', id);
    expect(confirmed.code, confirmed.stderr).toBe(0);
    const done = await outcomeOf(stack.runs, id, 60_000);
    expect(done.status, JSON.stringify(done.progress)).toBe('completed');
    expect(done.result).toMatchObject({ link: 'replaced', previousRepository: REPO, repository: other, confirmedBy: 'update', deployment: { status: 'successful' } });
    const replaced = await linkAt(AGENCY, path);
    expect(replaced).toMatchObject({ vcsUrl: other, vcsBranch: 'main' });
    expect(replaced!.id).not.toBe(firstId);
    expect((await websiteWrites(AGENCY)).slice(before + 2)).toEqual(['DELETE /website/{id}', 'POST /website', 'POST /website/{id}/deploy']);
    const deletion = (await stack.sim.requests()).filter((r) => r.method === 'DELETE' && r.path.includes(`/website/${firstId}`));
    expect(deletion.map((r) => r.query)).toEqual([{ deleteFiles: 'true' }]);
  });

  it('POST /v1/deployments answers 202 and the run deploys; a non-GitHub URL is a 400; GET /v1/inventory/websites lists the link', async () => {
    const worker = await stack.startWorker();
    const api = await startTestApi(stack);
    try {
      const path = `api-${unique()}`;
      const bad = await api.call('POST', '/v1/deployments', { body: { serviceName: AGENCY, path, repository: 'https://bitbucket.org/acme/site', branch: 'main' } });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('OVH deploys from GitHub only');

      const started = await api.call('POST', '/v1/deployments', { body: { serviceName: AGENCY, path, repository: REPO, branch: 'main' } });
      expect(started.status, started.text).toBe(202);
      const workflowId = started.body.workflowId as string;
      expect(workflowId).toMatch(new RegExp(`^deploy-website/demo-agency\\.ovh/${path}/`));
      const view = await outcomeOf(stack.runs, workflowId);
      expect(view.status, JSON.stringify(view.progress)).toBe('completed');
      expect(view.result).toMatchObject({ link: 'created', deployment: { status: 'successful' }, pushWebhook: expect.stringMatching(/^https:\/\//) });

      const inventory = await api.call('GET', `/v1/inventory/websites?service=${AGENCY}`);
      expect(inventory.status, inventory.text).toBe(200);
      expect(JSON.stringify(inventory.body)).toContain(`"path":"${path}"`);
    } finally {
      await api.close();
      await worker.stop();
    }
  });
});
