// decommissionSite's steps, plan, result and business key. Sandbox-safe: no Node built-ins, no I/O.

export const DECOMMISSION_STEPS = [
  { name: 'plan', title: 'Find what the site holds' },
  { name: 'confirm', title: 'Confirm the removal' },
  { name: 'safetyDump', title: 'Dump the database first' },
  { name: 'deleteCrons', title: "Delete the site's cron jobs" },
  { name: 'unlinkGit', title: 'Remove the Git link' },
  { name: 'uninstallModule', title: 'Uninstall the module' },
  { name: 'deleteDatabase', title: 'Delete the database' },
  { name: 'detachDomain', title: 'Detach the domain' },
  { name: 'certificate', title: 'Fix the certificate' },
] as const;

/**
 * One decommission per site and request. The request id is part of the key: a site provisioned again after its
 * decommission can be decommissioned again, while a double click (same minute, by default) finds the first run.
 */
export function decommissionWorkflowId(serviceName: string, domain: string, requestId: string): string {
  return `decommission-site/${serviceName}/${domain}/${requestId}`;
}

/**
 * What happens to the hosting's certificate once the domain is detached: a Let's Encrypt certificate that covered it
 * is regenerated for the SSL domains that remain, or deleted when none remains; a custom certificate is left as it is
 * (OVH cannot regenerate one); nothing when no certificate covered the domain.
 */
/** `deleteDomain`: the domain has its own certificate (2026), removed alone; the hosting-wide one is not touched. */
export type CertificateAfter = { action: 'regenerate' | 'delete' | 'deleteDomain' | 'leave' | 'none'; reason: string };

/** What the site holds, found before anything is removed. Only what is listed here is ever touched. */
export interface DecommissionPlan {
  serviceName: string;
  domain: string;
  /** The attached domain, when it is still attached. */
  attached?: { path: string; ssl: boolean };
  /** The module installed at that domain and folder. */
  module?: { id: number; moduleId: number; path: string; url: string };
  /** The database wired to the site: the module's mysql dependency, else the user provisioning derives for it. */
  database?: { name: string; foundBy: 'module dependency' | 'provisioning user' };
  /** A database found for the site but kept, and why (another module uses it). */
  keptDatabase?: { name: string; reason: string };
  /** The folder's Git link (2026): removed with the files it deployed (they are the repository's). */
  website?: { id: number; path: string; repository: string; branch: string };
  /** The cron jobs whose script is in the site's folder, by command. */
  cronJobs?: string[];
  certificate: CertificateAfter;
}

export function planIsEmpty(plan: DecommissionPlan): boolean {
  return !plan.attached && !plan.module && !plan.database && !plan.website && !plan.cronJobs?.length && (plan.certificate.action === 'none' || plan.certificate.action === 'leave');
}

/** The plan in words, one line per action: what `status` and `--json` show before anything is removed. */
export function describePlan(plan: DecommissionPlan): string[] {
  const lines: string[] = [];
  if (plan.database) lines.push(`dump database ${plan.database.name} first (the safety dump is kept)`);
  if (plan.cronJobs?.length) lines.push(`delete the cron job(s) ${plan.cronJobs.map((command) => `"${command}"`).join(', ')}`);
  if (plan.website) lines.push(`remove the Git link of ./${plan.website.path} (${plan.website.repository}, ${plan.website.branch}) and the files it deployed`);
  if (plan.module) lines.push(`uninstall module ${plan.module.moduleId} (id ${plan.module.id}) at ${plan.module.url}`);
  if (plan.database) lines.push(`delete database ${plan.database.name} (${plan.database.foundBy})`);
  if (plan.keptDatabase) lines.push(`keep database ${plan.keptDatabase.name}: ${plan.keptDatabase.reason}`);
  if (plan.attached) lines.push(`detach ${plan.domain} (folder ./${plan.attached.path}; its files are not deleted)`);
  if (plan.certificate.action !== 'none') lines.push(`certificate: ${plan.certificate.reason}`);
  if (lines.length === 0 || planIsEmpty(plan)) lines.push(`nothing of ${plan.domain} is left on ${plan.serviceName}: nothing to remove`);
  else lines.push('nothing removed can be un-deleted: an abort after the confirmation stops the run, it does not bring anything back');
  return lines;
}

export interface DecommissionSiteResult {
  serviceName: string;
  domain: string;
  removed: { module?: number; database?: string; domain?: string; website?: number; cronJobs?: string[] };
  safetyDump?: { id: number; databaseName: string; url: string; creationDate: string };
  certificate: CertificateAfter & { done: boolean };
  /** Nothing was left to remove: the run made no write. */
  noop: boolean;
  confirmedBy?: 'input' | 'update';
}
