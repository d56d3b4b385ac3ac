// decommissionSite's plan: what one site (service + domain [+ folder]) holds, read before anything is removed. Only
// what is found here — for this domain and folder — is ever touched: the module serving it, the database wired to
// it (the module's mysql dependency; without a module, the database user provisioning derives for this domain, and
// nothing wider), the attached domain, and the certificate's coverage of it.
import type { OvhClient } from '../ovh/client.js';
import type { CertificateAfter, DecommissionPlan } from '../shared/decommission.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import { databaseUser, type DecommissionSiteInput } from '../shared/inputs/index.js';
import { attachedDomains, currentCertificate } from './certificates.js';
import { ovhCall } from './failures.js';
import { findInstalledModule, normalizeModulePath } from './module-lookup.js';
import { websiteAt } from './hosting-tasks.js';
import { listCronJobs } from './cron-lookup.js';
import { cronUnderPath, normalizeCronCommand } from '../shared/cron.js';
import { defaultUserSuffix, orUndefined, requireActiveService } from './provisioning.js';

export function createDecommissionActivities({ ovh }: { ovh: OvhClient }) {
  return {
    async planDecommission(input: Omit<DecommissionSiteInput, 'confirmed'>): Promise<DecommissionPlan> {
      const { serviceName, domain } = input;
      const service = await requireActiveService(ovh, serviceName);
      const domains = await attachedDomains(ovh, serviceName);
      const found = domains.find((d) => d.domain === domain);
      const attached = found ? { path: normalizeModulePath(found.path), ssl: found.ssl } : undefined;
      const path = input.path ?? attached?.path;

      const installed = path === undefined ? undefined : await ovhCall(() => findInstalledModule(ovh, serviceName, domain, path));
      const module = installed ? { id: installed.id, moduleId: installed.moduleId, path: normalizeModulePath(installed.path), url: installed.targetUrl } : undefined;

      // The database wired to the site, and nothing wider.
      let candidate: { name: string; foundBy: 'module dependency' | 'provisioning user' } | undefined;
      const dependency = installed?.dependencies.find((d) => d.type === 'mysql');
      if (dependency?.name) {
        candidate = { name: dependency.name, foundBy: 'module dependency' };
      } else if (!installed) {
        const names = await ovhCall(() => ovh.listDatabases(serviceName, { user: databaseUser(service.primaryLogin, defaultUserSuffix(domain)) }));
        if (names[0]) candidate = { name: names[0], foundBy: 'provisioning user' };
      }
      let database: DecommissionPlan['database'];
      let keptDatabase: DecommissionPlan['keptDatabase'];
      if (candidate && (await orUndefined(() => ovh.getDatabase(serviceName, candidate.name)))) {
        const users = await modulesUsing(ovh, serviceName, candidate.name, installed?.id);
        if (users.length > 0) keptDatabase = { name: candidate.name, reason: `module(s) ${users.join(', ')} of another site use it` };
        else database = candidate;
      }

      // The folder's Git link (2026), when the site was deployed from a repository: the link and what it deployed go.
      const linked = path === undefined ? undefined : await ovhCall(() => websiteAt(ovh, serviceName, path));
      const website = linked ? { id: linked.id, path: linked.path, repository: linked.vcsUrl, branch: linked.vcsBranch } : undefined;

      // The cron jobs whose script lives in the site's folder.
      const cronJobs = path === undefined ? [] : (await ovhCall(() => listCronJobs(ovh, serviceName))).map((job) => normalizeCronCommand(job.command)).filter((command) => cronUnderPath(command, path));

      const certificate = await certificateAfter(ovh, serviceName, domain, domains.filter((d) => d.domain !== domain && d.ssl).map((d) => d.domain));
      return {
        serviceName,
        domain,
        ...(attached ? { attached } : {}),
        ...(module ? { module } : {}),
        ...(database ? { database } : {}),
        ...(keptDatabase ? { keptDatabase } : {}),
        ...(website ? { website } : {}),
        ...(cronJobs.length > 0 ? { cronJobs } : {}),
        certificate,
      };
    },
  };
}

/** The other modules whose mysql dependency is this database: a database shared with another site is never deleted. */
async function modulesUsing(ovh: OvhClient, serviceName: string, databaseName: string, exceptModuleId?: number): Promise<string[]> {
  const ids = await ovhCall(() => ovh.listModules(serviceName));
  const users: string[] = [];
  for (const id of ids) {
    if (id === exceptModuleId) continue;
    const module = await orUndefined(() => ovh.getModule(serviceName, id));
    if (module?.dependencies.some((d) => d.type === 'mysql' && d.name === databaseName)) users.push(`${id} (${module.targetUrl})`);
  }
  return users;
}

async function certificateAfter(ovh: OvhClient, serviceName: string, domain: string, otherSslDomains: string[]): Promise<CertificateAfter> {
  const own = await ovhCall(() => ovh.getDomainSsl(serviceName, domain)).catch((error: unknown) => {
    // A domain no longer attached has no certificate of its own (404 on the domain): the hosting-wide one decides.
    if ((error as { type?: string }).type === FAILURE_TYPES.notFound) return undefined;
    throw error;
  });
  if (own) return { action: 'deleteDomain', reason: `delete the ${own.provider} certificate of ${domain} (its own; no other domain's certificate is touched)` };
  const current = await currentCertificate(ovh, serviceName);
  if (!current || !current.domains.includes(domain)) return { action: 'none', reason: `no certificate covers ${domain}` };
  if (current.provider !== 'LETSENCRYPT') {
    return {
      action: 'leave',
      reason: `the ${current.provider} certificate is left as it is and still names ${domain} (OVH cannot regenerate it; replace it with \`ovhflow renew-cert\` when you renew it)`,
    };
  }
  if (otherSslDomains.length > 0) {
    return { action: 'regenerate', reason: `regenerate the Let's Encrypt certificate for what remains attached with SSL (${otherSslDomains.sort().join(', ')})` };
  }
  return { action: 'delete', reason: `delete the Let's Encrypt certificate: no other domain with SSL remains on ${serviceName}` };
}
