// deployWebsite: a folder of the hosting deployed from a GitHub repository's branch (OVH's Git website links, 2026).
// Preflight reads the folder's link, the offer's limit and any module in the folder, and refuses (nothing written) a
// folder OVH would not link (not empty) or an offer already at its limit, when the link must be created. A link to
// the same repository is kept (a new branch is a PUT); a link to another repository cannot be changed by OVH: it is
// deleted and created again, which waits for a confirmation. Then a deployment, waited for until `successful` (the
// commit is shown) or `failed`: the run stops for an operator with OVH's deployment log, and retry deploys again.
// A deploy is an action: each run deploys once more, but never creates a second link. Abort removes a link this run
// created (and the files it deployed: the folder was empty before, OVH's rule); nothing else can be undone — a
// deployment cannot be taken back, a branch change stays, a replaced link is gone.
import { ApplicationFailure, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { DeployPreflight } from '../activities/git-deploy.js';
import { DEPLOY_STEPS, logExcerpt, sameRepository, type DeploymentOutcome, type DeployWebsiteResult, type LinkChange, type WebsiteLink } from '../shared/deploy.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import { DEFAULT_POLL_SCHEDULE, DEFAULT_STEP_DEADLINE_MINUTES, type PollSchedule, type RunSettings } from '../shared/hosting-tasks.js';
import type { DeployWebsiteInput } from '../shared/inputs/deploy.js';
import type { ParseResult } from '../shared/inputs/issues.js';
import { isParsedDeployWebsiteInput } from '../shared/inputs/shapes.js';
import { SERVICE_NAME } from '../shared/search-attributes.js';
import { lookup, ovh, waitingActivities } from './activity-options.js';
import { removeCreated } from './compensations.js';
import { Confirmation } from './confirmation.js';
import { RunControl, type StepHandle } from './run-control.js';
import { runInput, startedByOvhflow } from './run-inputs.js';

/** What a folder must become: the part of the input another workflow (provisioning) gives. */
export type WebsiteTarget = Pick<DeployWebsiteInput, 'serviceName' | 'path' | 'repository' | 'branch' | 'reset'>;

export interface WebsiteWaitOptions {
  deadlineMinutes: () => number;
  poll?: PollSchedule;
}

/** What the folder's link needs: nothing, a branch change, a creation, or a replacement (another repository). */
export type LinkPlan = { action: 'keep' | 'branch'; link: WebsiteLink } | { action: 'create' } | { action: 'replace'; link: WebsiteLink };

export function planLink(found: DeployPreflight, target: WebsiteTarget): LinkPlan {
  if (!found.link) return { action: 'create' };
  if (!sameRepository(found.link.repository, target.repository)) return { action: 'replace', link: found.link };
  return { action: found.link.branch === target.branch ? 'keep' : 'branch', link: found.link };
}

/** Why OVH would not create the link (checked before any write), or undefined. */
export function creationRefusal(found: DeployPreflight, target: WebsiteTarget, replacing: boolean): string | undefined {
  if (found.moduleInFolder) {
    return `${target.path} is not empty: module ${found.moduleInFolder.id} (${found.moduleInFolder.url}) is installed there, and OVH deploys from Git only into an empty folder`;
  }
  // A replacement frees one link before it creates one.
  const existing = found.existingWebsites - (replacing ? 1 : 0);
  if (found.allowedWebsites !== -1 && existing >= found.allowedWebsites) {
    return `the hosting's offer allows ${found.allowedWebsites} Git website link(s) and has ${found.existingWebsites}: remove one (or change offer) first`;
  }
  return undefined;
}

/**
 * The folder's link to the repository's branch, inside the caller's step: created (undo registered before the write:
 * abort removes it), or its branch changed. `replace` plans must have been confirmed by the caller: the old link is
 * deleted first (with its files: the new link needs an empty folder), which cannot be undone.
 */
export async function ensureWebsiteLink(run: RunControl, step: StepHandle, plan: LinkPlan, target: WebsiteTarget, opts: WebsiteWaitOptions): Promise<{ link: WebsiteLink; change: LinkChange }> {
  const { serviceName, path } = target;
  const waiting = () => waitingActivities(opts.deadlineMinutes(), opts.poll);
  if (plan.action === 'keep') return { link: plan.link, change: 'unchanged' };
  if (plan.action === 'branch') {
    const link = await ovh.setWebsiteBranch({ serviceName, id: plan.link.id, branch: target.branch });
    return { link, change: 'branch-changed' };
  }
  if (plan.action === 'replace') {
    // Only the old repository's link goes: a retry of this step after the new link was created keeps that one.
    const now = await lookup.readWebsiteLink({ serviceName, path });
    if (now && !sameRepository(now.repository, target.repository)) {
      step.waitingFor({ id: 0, function: 'website/vcs/delete' });
      await removeCreated(serviceName, { kind: 'website', path }, opts.deadlineMinutes, opts.poll)();
    }
  }
  run.willUndo(`remove the Git link of ${path} to ${target.repository} (and the files it deployed)`, removeCreated(serviceName, { kind: 'website', path }, opts.deadlineMinutes, opts.poll));
  const created = await ovh.createWebsiteLink({ serviceName, path, repository: target.repository, branch: target.branch });
  if (created.taskId) {
    step.waitingFor({ id: created.taskId, function: 'website/vcs/create' });
    await waiting().waitForHostingTask({ serviceName, taskId: created.taskId, resource: { kind: 'website', path }, expect: 'present', poll: opts.poll ?? DEFAULT_POLL_SCHEDULE });
  } else {
    await waiting().waitForResource({ serviceName, resource: { kind: 'website', path }, expect: 'present' });
  }
  const link = await lookup.readWebsiteLink({ serviceName, path });
  if (!link) throw ApplicationFailure.create({ type: FAILURE_TYPES.resourceNotReady, nonRetryable: true, message: `OVH's task ended but ${path} has no Git link` });
  // A branch OVH did not take as asked (a link adopted from an earlier attempt has the asked branch: nothing sent).
  const settled = link.branch === target.branch ? link : await ovh.setWebsiteBranch({ serviceName, id: link.id, branch: target.branch });
  return { link: settled, change: plan.action === 'replace' ? 'replaced' : 'created' };
}

/**
 * One deployment of the link, inside the caller's step, waited for until it ends. A failed one throws
 * OvhDeploymentFailed with OVH's log lines: the caller's step then waits for an operator, and its retry deploys again.
 */
export async function deployWebsiteLink(step: StepHandle, target: WebsiteTarget, websiteId: number, opts: WebsiteWaitOptions): Promise<DeploymentOutcome> {
  const { serviceName } = target;
  // Read before asking, so that an attempt whose answer was lost recognises the deployment it started.
  const after = await lookup.readNewestDeploymentId({ serviceName, websiteId });
  const started = await ovh.startWebsiteDeployment({ serviceName, websiteId, reset: target.reset, after });
  step.waitingFor({ id: started.taskId ?? 0, function: 'website/vcs/deploy' });
  const outcome = await waitingActivities(opts.deadlineMinutes(), opts.poll).waitForWebsiteDeployment({ serviceName, websiteId, deploymentId: started.deploymentId });
  if (outcome.status !== 'successful') {
    const logs = await lookup.readDeploymentLogs({ serviceName, websiteId, deploymentId: outcome.id });
    throw ApplicationFailure.create({
      type: FAILURE_TYPES.deploymentFailed,
      nonRetryable: true,
      message: `deployment ${outcome.id} of ${target.repository} (${outcome.branch}) into ${target.path} failed; OVH's log:\n${logExcerpt(logs)}`,
    });
  }
  step.note(`deployment ${outcome.id}${started.adopted ? ' (already running, adopted)' : ''}: commit ${outcome.commit ?? 'unknown'}${outcome.commitMessage ? ` (${outcome.commitMessage})` : ''}`);
  return outcome;
}

/**
 * The whole deploy inside ONE step of another run (provisioning): preflight, link, deployment, push webhook. A folder
 * linked to another repository is refused (OvhflowRefused) unless `replaceOtherRepository` — the caller's go-ahead.
 */
export async function ensureWebsiteDeployed(
  run: RunControl,
  step: StepHandle,
  target: WebsiteTarget,
  opts: WebsiteWaitOptions & { replaceOtherRepository: boolean },
): Promise<Omit<DeployWebsiteResult, 'confirmedBy'>> {
  const found = await lookup.readDeployPreflight({ serviceName: target.serviceName, path: target.path });
  const plan = planLink(found, target);
  refuseUnlessPossible(found, plan, target, opts.replaceOtherRepository);
  const { link, change } = await ensureWebsiteLink(run, step, plan, target, opts);
  const deployment = await deployWebsiteLink(step, target, link.id, opts);
  const pushWebhook = await lookup.readPushWebhook({ serviceName: target.serviceName, path: target.path });
  return resultOf(target, plan, link, change, deployment, pushWebhook);
}

function refuseUnlessPossible(found: DeployPreflight, plan: LinkPlan, target: WebsiteTarget, replaceAllowed: boolean): void {
  const where = `${target.path} of ${target.serviceName}`;
  if (plan.action === 'replace' && !replaceAllowed) {
    throw ApplicationFailure.create({ type: FAILURE_TYPES.refused, nonRetryable: true, message: `refused, nothing was changed: ${where} deploys ${plan.link.repository}; replacing it needs a confirmation` });
  }
  const refusal = plan.action === 'create' || plan.action === 'replace' ? creationRefusal(found, target, plan.action === 'replace') : undefined;
  if (refusal) throw ApplicationFailure.create({ type: FAILURE_TYPES.refused, nonRetryable: true, message: `refused, nothing was changed: ${refusal} (${where})` });
}

function resultOf(target: WebsiteTarget, plan: LinkPlan, link: WebsiteLink, change: LinkChange, deployment: DeploymentOutcome, pushWebhook: string | undefined): Omit<DeployWebsiteResult, 'confirmedBy'> {
  return {
    serviceName: target.serviceName,
    path: target.path,
    repository: link.repository,
    branch: link.branch,
    websiteId: link.id,
    link: change,
    ...(plan.action === 'branch' ? { previousBranch: plan.link.branch } : {}),
    ...(plan.action === 'replace' ? { previousRepository: plan.link.repository } : {}),
    deployment,
    ...(pushWebhook ? { pushWebhook } : {}),
  };
}

export async function deployWebsite(rawInput: DeployWebsiteInput, settings: RunSettings = {}): Promise<DeployWebsiteResult> {
  const parsedByStarter = startedByOvhflow('deploy');
  const run = new RunControl('deploy', DEPLOY_STEPS, {
    unskippable: ['preflight', 'confirm', 'link', 'deploy'],
    nothingToUndo: 'a deployment cannot be taken back, and a branch change or a replaced link stays: deploy again to change what runs',
  });
  const confirmation = new Confirmation(run, isParsedDeployWebsiteInput(rawInput) && rawInput.confirmed);
  let input = rawInput;
  const opts: WebsiteWaitOptions = {
    deadlineMinutes: () => input.stepDeadlineMinutes ?? settings.stepDeadlineMinutes ?? DEFAULT_STEP_DEADLINE_MINUTES,
    poll: settings.poll ?? DEFAULT_POLL_SCHEDULE,
  };

  return run.execute(async () => {
    input = await runInput({
      raw: rawInput,
      parsedByStarter,
      isParsed: isParsedDeployWebsiteInput,
      parse: (raw) => lookup.parseRunInput('deploy', raw) as Promise<ParseResult<DeployWebsiteInput>>,
      refusal: 'invalid input, nothing was done:',
    });
    if (input.confirmed) confirmation.confirmAtStart();
    upsertSearchAttributes([{ key: SERVICE_NAME, value: input.serviceName }]);
    const { serviceName, path } = input;

    // 1. preflight: the folder's link, the offer's limit, a module in the folder.
    const read = await run.step('preflight', async (step) => {
      const found = await lookup.readDeployPreflight({ serviceName, path });
      const plan = planLink(found, input);
      step.note(
        plan.action === 'create'
          ? `${path} has no Git link: create one to ${input.repository} (${found.existingWebsites} of ${found.allowedWebsites === -1 ? 'unlimited' : found.allowedWebsites} links used)`
          : plan.action === 'replace'
            ? `${path} deploys ${plan.link.repository}: replace it with ${input.repository}`
            : plan.action === 'branch'
              ? `${path} deploys ${plan.link.repository}: change branch ${plan.link.branch} → ${input.branch}`
              : `${path} deploys ${plan.link.repository} (${plan.link.branch}): deploy again`,
      );
      return { found, plan };
    });
    if (read.outcome === 'skipped') throw ApplicationFailure.nonRetryable('preflight cannot be skipped', FAILURE_TYPES.bug);
    const { found, plan } = read.value;
    refuseUnlessPossible(found, plan, input, true);

    // 2. confirm: only a replacement (another repository) waits for a go-ahead.
    let confirmedBy: DeployWebsiteResult['confirmedBy'];
    if (plan.action === 'replace') {
      const id = workflowInfo().workflowId;
      confirmedBy = await confirmation.wait(
        `${path} of ${serviceName} deploys ${plan.link.repository}; OVH cannot change a link's repository, so deploying ${input.repository} deletes that link and its files, then creates a new one. Waiting for a confirmation`,
        `confirm with \`ovhflow confirm ${id}\`, or stop with \`ovhflow abort ${id}\` (nothing was changed yet)`,
      );
    } else {
      run.skip('confirm', 'the repository does not change');
    }

    // 3. link: create, change the branch, or replace.
    const linked = await run.step('link', async (step) => {
      const ensured = await ensureWebsiteLink(run, step, plan, input, opts);
      step.note(`${ensured.change}: ${ensured.link.repository} (${ensured.link.branch}), website ${ensured.link.id}`);
      return ensured;
    });
    if (linked.outcome === 'skipped') throw ApplicationFailure.nonRetryable('link cannot be skipped', FAILURE_TYPES.bug);
    const { link, change } = linked.value;

    // 4. deploy: a new deployment (retry after a failure deploys again), then GitHub's push webhook.
    const deployed = await run.step('deploy', async (step) => {
      const deployment = await deployWebsiteLink(step, input, link.id, opts);
      const pushWebhook = await lookup.readPushWebhook({ serviceName, path });
      return { deployment, pushWebhook };
    });
    if (deployed.outcome === 'skipped') throw ApplicationFailure.nonRetryable('deploy cannot be skipped', FAILURE_TYPES.bug);
    return { ...resultOf(input, plan, link, change, deployed.value.deployment, deployed.value.pushWebhook), ...(confirmedBy ? { confirmedBy } : {}) };
  });
}
