// Git deployment (2026 schema): a website link deploys a folder from a GitHub repository's branch. OVH's rules, as its
// guide states them: GitHub only (`vcs/supported`); the folder must be empty when the link is created (no module
// there, no files put there by FTP or left by an earlier link); the repository URL never changes (delete the link and
// create it again), the branch can (PUT, no task); the offer caps the number of links (`websiteCreationCapabilities`).
// Create, deploy and delete are `website/vcs/*` tasks. A deployment is `doing` from the POST until its task ends,
// then `successful` (the branch's head commit) or `failed` (a task fault `failed`), with OVH's log lines either way.
import { createHash } from 'node:crypto';
import { apiErrors } from '../http/ovh-errors.js';
import type { ServedOperation } from '../schema/served-operations.js';
import { OFFERS } from '../state/offers.js';
import type { HostingService, WebsiteRecord } from '../state/records.js';
import { answerTask, requireRecord, requireService, requireWritableService, startTask, type Handler, type HandlerContext } from './handler-context.js';
import { normalizeRelativePath } from './rules.js';
import { deploymentView, websiteView } from './views.js';

/** `https://github.com/<owner>/<repo>` (optionally `.git`): the only clone URLs OVH takes. */
const GITHUB_URL = /^https:\/\/github\.com\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+?(\.git)?\/?$/;

function requireWebsite(context: HandlerContext, service: HostingService): WebsiteRecord {
  return requireRecord(service.websites, context.path.id as number, 'id');
}

/** A link that a task works on takes no other operation; `error` and `initialError` are settled states. */
function requireSettled(website: WebsiteRecord): void {
  if (['creating', 'deploying', 'deleting'].includes(website.status)) {
    throw apiErrors.conflict(`The website ${website.id} is busy: its status is ${website.status}${website.taskId === null ? '' : ` (task ${website.taskId})`}; retry when it is created`);
  }
}

/** Why OVH will not link this folder: it is not empty. */
function folderOccupant(service: HostingService, path: string): string | undefined {
  if (path === '.') return 'it is the home of the hosting';
  const module = [...service.modules.values()].find((m) => m.path === path);
  if (module) return `module ${module.id} is installed there`;
  if (service.filledFolders.includes(path)) return 'it holds files';
  const linked = [...service.websites.values()].find((w) => w.path === path);
  if (linked) return `website ${linked.id} deploys there`;
  return undefined;
}

/** Ids are never reused, like OVH's: a link deleted and created again is a new link. */
function nextWebsiteId(context: HandlerContext): number {
  const ids = context.core.state.nextIds;
  const id = ids.website ?? 7_001;
  ids.website = id + 1;
  return id;
}

/** The head of a branch: stable for a repository and branch, so an unchanged branch deploys the same commit. */
export function headCommit(vcsUrl: string, branch: string): string {
  return createHash('sha1').update(`${vcsUrl}#${branch}`).digest('hex');
}

/** Where GitHub posts pushes for this link: a secret-looking token per service and folder. */
function pushWebhook(service: HostingService, path: string): string {
  const token = createHash('sha256').update(`vcs-webhook:${service.serviceName}:${path}`).digest('hex').slice(0, 40);
  return `https://webhooks.hosting.ovh.net/1.0/vcs/github/${service.cluster}/${token}`;
}

export const websiteHandlers = {
  'GET /hosting/web/vcs/supported': () => ['github'],

  'GET /hosting/web/{serviceName}/vcs/webhooks': (context) => {
    const service = requireService(context);
    const path = normalizeRelativePath(typeof context.query.path === 'string' ? context.query.path : '', 'path');
    if (![...service.websites.values()].some((website) => website.path === path)) throw apiErrors.notFound(`No website is linked to ${path}`);
    return { push: pushWebhook(service, path) };
  },

  'GET /hosting/web/{serviceName}/websiteCreationCapabilities': (context) => {
    const service = requireService(context);
    return { allowedWebsites: OFFERS[service.offer].websites, existingWebsites: service.websites.size };
  },

  'GET /hosting/web/{serviceName}/website': (context) => {
    const service = requireService(context);
    const path = context.query.path === undefined ? undefined : normalizeRelativePath(typeof context.query.path === 'string' ? context.query.path : '', 'path');
    return [...service.websites.values()]
      .filter((website) => path === undefined || website.path === path)
      .map((website) => website.id)
      .sort((a, b) => a - b);
  },

  'POST /hosting/web/{serviceName}/website': (context) => {
    const service = requireWritableService(context);
    const path = normalizeRelativePath(String(context.body.path), 'path');
    const vcsUrl = String(context.body.vcsUrl).trim();
    const vcsBranch = String(context.body.vcsBranch).trim();
    if (!GITHUB_URL.test(vcsUrl)) throw apiErrors.badRequest(`[vcsUrl] ${vcsUrl} is not a GitHub repository URL: only GitHub is supported (https://github.com/<owner>/<repository>)`);
    if (!/^[A-Za-z0-9._/-]+$/.test(vcsBranch)) throw apiErrors.badRequest(`[vcsBranch] Invalid branch: ${vcsBranch}`);
    const allowed = OFFERS[service.offer].websites;
    if (allowed !== -1 && service.websites.size >= allowed) {
      throw apiErrors.forbidden(`Your ${service.offer} offer allows ${allowed} website(s) deployed from Git, and ${service.websites.size} exist`);
    }
    const occupant = folderOccupant(service, path);
    if (occupant) throw apiErrors.badRequest(`[path] The directory ${path} is not empty (${occupant}): a website can only be deployed into an empty directory`);
    const id = nextWebsiteId(context);
    const task = startTask(context, service, { function: 'website/vcs/create', objectType: 'Website', objectId: String(id), subject: String(id) });
    service.websites.set(id, { id, path, vcsUrl, vcsBranch, name: null, status: 'creating', taskId: task.id, deployments: [] });
    return answerTask(context, task);
  },

  'GET /hosting/web/{serviceName}/website/{id}': (context) => {
    const service = requireService(context);
    return websiteView(requireWebsite(context, service), service);
  },

  'PUT /hosting/web/{serviceName}/website/{id}': (context) => {
    const service = requireWritableService(context);
    const website = requireWebsite(context, service);
    requireSettled(website);
    if (typeof context.body.vcsBranch === 'string') {
      const branch = context.body.vcsBranch.trim();
      if (!/^[A-Za-z0-9._/-]+$/.test(branch)) throw apiErrors.badRequest(`[vcsBranch] Invalid branch: ${branch}`);
      website.vcsBranch = branch;
    }
    return websiteView(website, service);
  },

  'DELETE /hosting/web/{serviceName}/website/{id}': (context) => {
    const service = requireWritableService(context);
    const website = requireWebsite(context, service);
    requireSettled(website);
    const task = startTask(context, service, {
      function: 'website/vcs/delete',
      objectType: 'Website',
      objectId: String(website.id),
      subject: String(website.id),
      changes: { deleteFiles: context.query.deleteFiles === true },
    });
    website.status = 'deleting';
    website.taskId = task.id;
    return answerTask(context, task);
  },

  'POST /hosting/web/{serviceName}/website/{id}/deploy': (context) => {
    const service = requireWritableService(context);
    const website = requireWebsite(context, service);
    requireSettled(website);
    const reset = context.body.reset === true;
    const task = startTask(context, service, { function: 'website/vcs/deploy', objectType: 'Website', objectId: String(website.id), subject: String(website.id) });
    const id = Math.max(0, ...website.deployments.map((d) => d.id)) + 1;
    website.deployments.push({
      id,
      date: context.now,
      reset,
      source: 'api',
      status: 'doing',
      vcsBranch: website.vcsBranch,
      vcsCommitId: null,
      vcsCommitMessage: null,
      taskId: task.id,
      logs: [
        { date: context.now, message: `Deployment ${id} started (${reset ? 'reset, then ' : ''}branch ${website.vcsBranch} of ${website.vcsUrl})` },
      ],
    });
    website.status = 'deploying';
    website.taskId = task.id;
    return answerTask(context, task);
  },

  'GET /hosting/web/{serviceName}/website/{id}/deployment': (context) => {
    const service = requireService(context);
    return requireWebsite(context, service).deployments.map((d) => d.id);
  },

  'GET /hosting/web/{serviceName}/website/{id}/deployment/{deploymentId}': (context) => {
    const service = requireService(context);
    const website = requireWebsite(context, service);
    return deploymentView(requireRecord(new Map(website.deployments.map((d) => [d.id, d])), context.path.deploymentId as number, 'deploymentId'), website);
  },

  'GET /hosting/web/{serviceName}/website/{id}/deployment/{deploymentId}/logs': (context) => {
    const service = requireService(context);
    const website = requireWebsite(context, service);
    const deployment = requireRecord(new Map(website.deployments.map((d) => [d.id, d])), context.path.deploymentId as number, 'deploymentId');
    return deployment.logs.map((line) => ({ date: new Date(line.date).toISOString(), message: line.message }));
  },
} satisfies Partial<Record<ServedOperation, Handler>>;
