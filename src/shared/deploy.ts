// deployWebsite's steps, result and workflow id: a folder deployed from a GitHub repository's branch through OVH's
// Git website links (`/hosting/web/{serviceName}/website`, 2026).

export const DEPLOY_STEPS = [
  { name: 'preflight', title: "Read the folder's Git link, the offer's limits and the modules in the folder" },
  { name: 'confirm', title: 'Confirm replacing the link to another repository' },
  { name: 'link', title: "Create or update the folder's Git link and wait for OVH's task" },
  { name: 'deploy', title: 'Deploy the branch and wait for the deployment' },
] as const;

/** What a folder's Git link is now, as a run compares it. */
export interface WebsiteLink {
  id: number;
  path: string;
  repository: string;
  branch: string;
  status: string;
}

export interface DeploymentOutcome {
  id: number;
  status: 'doing' | 'failed' | 'successful';
  branch: string;
  commit?: string;
  commitMessage?: string;
}

/** What the link step did: nothing, changed the branch, created the link, or replaced it (another repository). */
export type LinkChange = 'unchanged' | 'branch-changed' | 'created' | 'replaced';

export interface DeployWebsiteResult {
  serviceName: string;
  path: string;
  repository: string;
  branch: string;
  websiteId: number;
  link: LinkChange;
  /** The branch the link had before, when this run changed it. */
  previousBranch?: string;
  /** The repository the link had before, when this run replaced it. */
  previousRepository?: string;
  deployment: DeploymentOutcome;
  /** Give this URL to GitHub (repository settings → Webhooks, push events): a push then deploys by itself. */
  pushWebhook?: string;
  confirmedBy?: 'input' | 'update';
}

/** Each deploy is its own run: a deploy is an action (a second one deploys again). */
export function deployWorkflowId(serviceName: string, path: string, requestId: string): string {
  return `deploy-website/${serviceName}/${path}/${requestId}`;
}

/** Whether two clone URLs name the same repository (GitHub ignores case and a `.git` ending). */
export function sameRepository(a: string, b: string): boolean {
  const canonical = (url: string) => url.trim().replace(/\/$/, '').replace(/\.git$/, '').toLowerCase();
  return canonical(a) === canonical(b);
}

/** OVH's deployment log lines, as a failure shows them (the last ones, when there are many). */
export function logExcerpt(lines: Array<{ date: string; message: string }>, max = 20): string {
  const shown = lines.slice(-max).map((line) => `  ${line.date} ${line.message}`);
  return `${lines.length > max ? `  … (${lines.length - max} earlier lines)\n` : ''}${shown.join('\n')}`;
}
