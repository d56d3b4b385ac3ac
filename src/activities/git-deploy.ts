// A folder's Git deployment as deployWebsite reads and drives it: what preflight needs (the folder's link, the offer's
// limit, a module installed in the folder), the link's creation and branch change (ensures: a create whose answer was
// lost is found on the folder and adopted), the deployment (a deploy whose answer was lost finds the deployment
// already running and adopts it), one check of a deployment per attempt, its log lines, and GitHub's push webhook.
import type { OvhClient } from '../ovh/client.js';
import type { Website, WebsiteDeployment } from '../ovh/types.js';
import { sameRepository, type DeploymentOutcome, type WebsiteLink } from '../shared/deploy.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import { normalizeModulePath } from './module-lookup.js';
import { ovhCall, permanentFailure, stillPending } from './failures.js';

function linkOf(website: Website): WebsiteLink {
  return { id: website.id, path: website.path, repository: website.vcsUrl, branch: website.vcsBranch, status: website.status };
}

function outcomeOf(deployment: WebsiteDeployment): DeploymentOutcome {
  return {
    id: deployment.id,
    status: deployment.status,
    branch: deployment.vcsBranch,
    ...(deployment.vcsCommitId ? { commit: deployment.vcsCommitId } : {}),
    ...(deployment.vcsCommitMessage ? { commitMessage: deployment.vcsCommitMessage } : {}),
  };
}

export interface DeployPreflight {
  link?: WebsiteLink;
  /** `allowedWebsites` (-1: unlimited) and `existingWebsites` of the offer. */
  allowedWebsites: number;
  existingWebsites: number;
  /** A module installed in the folder: OVH then refuses to link it (not empty). */
  moduleInFolder?: { id: number; url: string };
}

export function createGitDeployActivities({ ovh }: { ovh: OvhClient }) {
  async function linkAt(serviceName: string, path: string): Promise<Website | undefined> {
    const [id] = await ovhCall(() => ovh.listWebsites(serviceName, { path }));
    return id === undefined ? undefined : ovhCall(() => ovh.getWebsite(serviceName, id));
  }

  async function newestDeployment(serviceName: string, websiteId: number): Promise<WebsiteDeployment | undefined> {
    const ids = await ovhCall(() => ovh.listWebsiteDeployments(serviceName, websiteId));
    const newest = Math.max(...ids);
    return ids.length === 0 ? undefined : ovhCall(() => ovh.getWebsiteDeployment(serviceName, websiteId, newest));
  }

  return {
    /** The folder's link, the offer's limit and a module in the folder: all preflight needs, before any write. */
    async readDeployPreflight(args: { serviceName: string; path: string }): Promise<DeployPreflight> {
      const [link, capabilities, moduleIds] = await Promise.all([
        linkAt(args.serviceName, args.path),
        ovhCall(() => ovh.getWebsiteCreationCapabilities(args.serviceName)),
        ovhCall(() => ovh.listModules(args.serviceName)),
      ]);
      let moduleInFolder: DeployPreflight['moduleInFolder'];
      if (!link) {
        for (const id of moduleIds) {
          const module = await ovhCall(() => ovh.getModule(args.serviceName, id));
          if (normalizeModulePath(module.path) === normalizeModulePath(args.path)) {
            moduleInFolder = { id: module.id, url: module.targetUrl };
            break;
          }
        }
      }
      return {
        ...(link ? { link: linkOf(link) } : {}),
        allowedWebsites: capabilities.allowedWebsites,
        existingWebsites: capabilities.existingWebsites,
        ...(moduleInFolder ? { moduleInFolder } : {}),
      };
    },

    async readWebsiteLink(args: { serviceName: string; path: string }): Promise<WebsiteLink | undefined> {
      const found = await linkAt(args.serviceName, args.path);
      return found ? linkOf(found) : undefined;
    },

    /**
     * Links the folder to the repository's branch unless a link to that repository is already there (an earlier
     * attempt whose answer was lost: adopted). Answers OVH's task, when this call sent the create.
     */
    async createWebsiteLink(args: { serviceName: string; path: string; repository: string; branch: string }): Promise<{ taskId?: number; adopted: boolean }> {
      const found = await linkAt(args.serviceName, args.path);
      if (found) {
        if (!sameRepository(found.vcsUrl, args.repository)) {
          throw permanentFailure(FAILURE_TYPES.settingsConflict, `${args.path} is already linked to ${found.vcsUrl}, not ${args.repository}`, {
            hint: 'another link appeared on this folder since preflight: abort, then deploy again (a new run asks to confirm the replacement)',
          });
        }
        return { adopted: true };
      }
      const task = await ovhCall(() => ovh.createWebsite(args.serviceName, { path: args.path, vcsUrl: args.repository, vcsBranch: args.branch }));
      return { taskId: task.id, adopted: false };
    },

    /** The branch change (OVH answers at once, no task); nothing is sent when the link already has the branch. */
    async setWebsiteBranch(args: { serviceName: string; id: number; branch: string }): Promise<WebsiteLink> {
      const now = await ovhCall(() => ovh.getWebsite(args.serviceName, args.id));
      if (now.vcsBranch === args.branch) return linkOf(now);
      return linkOf(await ovhCall(() => ovh.updateWebsite(args.serviceName, args.id, { vcsBranch: args.branch })));
    },

    /** The newest deployment's id (0 when none): what a deploy compares with to recognise its own deployment. */
    async readNewestDeploymentId(args: { serviceName: string; websiteId: number }): Promise<number> {
      return (await newestDeployment(args.serviceName, args.websiteId))?.id ?? 0;
    },

    /**
     * Starts a deployment, or adopts one: a deployment newer than `after` (the newest the run saw before asking) is
     * its own (an earlier attempt whose answer was lost), or one a push to GitHub started meanwhile, which deploys the
     * same branch; a deployment still running is adopted too (OVH runs one at a time per link). Answers the deployment
     * to wait for.
     */
    async startWebsiteDeployment(args: { serviceName: string; websiteId: number; reset: boolean; after: number }): Promise<{ deploymentId: number; taskId?: number; adopted: boolean }> {
      const newest = await newestDeployment(args.serviceName, args.websiteId);
      if (newest && (newest.id > args.after || newest.status === 'doing')) return { deploymentId: newest.id, adopted: true };
      const task = await ovhCall(() => ovh.deployWebsite(args.serviceName, args.websiteId, args.reset));
      const started = await newestDeployment(args.serviceName, args.websiteId);
      if (!started || started.id <= args.after) {
        // OVH answered the task before listing the deployment: the next attempt adopts it.
        throw stillPending(`deployment of website ${args.websiteId} not listed yet (task ${task.id})`);
      }
      return { deploymentId: started.id, taskId: task.id, adopted: false };
    },

    /** One check of a deployment: still `doing` is "not yet" (the retry policy polls), else its outcome. */
    async waitForWebsiteDeployment(args: { serviceName: string; websiteId: number; deploymentId: number }): Promise<DeploymentOutcome> {
      const deployment = await ovhCall(() => ovh.getWebsiteDeployment(args.serviceName, args.websiteId, args.deploymentId));
      if (deployment.status === 'doing') throw stillPending(`deployment ${deployment.id} of website ${args.websiteId} is doing`);
      return outcomeOf(deployment);
    },

    async readDeploymentLogs(args: { serviceName: string; websiteId: number; deploymentId: number }): Promise<Array<{ date: string; message: string }>> {
      return ovhCall(() => ovh.getWebsiteDeploymentLogs(args.serviceName, args.websiteId, args.deploymentId));
    },

    /** The URL to give GitHub so that a push deploys the folder. */
    async readPushWebhook(args: { serviceName: string; path: string }): Promise<string | undefined> {
      return (await ovhCall(() => ovh.getVcsWebhooks(args.serviceName, args.path))).push;
    },
  };
}
