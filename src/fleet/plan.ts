// The plan and the export across accounts: the fleet file split per account and service, each account asked of the
// worker once (the `fleetRead` workflow), the answers put together, summed and rendered. Shared by the CLI and the
// HTTP API, which differ only in how they ask the worker.
import type { FleetPlan, ReadFailure, ResourcePlan, SitePlan } from '../shared/fleet.js';
import { type AskFleetRead } from '../shared/fleet-plan.js';
import type { FleetFile, FleetService } from './file.js';
import { FLEET_FILE_VERSION } from './file.js';

// The merge itself is sandbox-safe (the scheduled drift check runs it inside a workflow): it lives in src/shared.
export { planFleet, unknownSites, type AskFleetRead } from '../shared/fleet-plan.js';

export interface FleetExport {
  file: FleetFile;
  failures: ReadFailure[];
  reads: number;
}

export async function exportFleet(account: string, serviceNames: string[] | undefined, ask: AskFleetRead): Promise<FleetExport> {
  const answer = await ask(account, { op: 'export', ...(serviceNames ? { serviceNames } : {}) });
  const services: Record<string, FleetService> = {};
  for (const service of [...answer.exports].sort((a, b) => a.serviceName.localeCompare(b.serviceName))) services[service.serviceName] = service.declaration as FleetService;
  return {
    file: { version: FLEET_FILE_VERSION, accounts: { [account]: { services } } },
    failures: answer.failures.map((f) => ({ account, ...f })),
    reads: answer.reads + answer.exports.reduce((sum, e) => sum + e.reads, 0),
  };
}

/** What `plan --out` saves: the plan, the file it was made from, and a fingerprint of what was read per site/service. */
export interface SavedPlan {
  kind: 'ovhflow-plan';
  version: 1;
  createdAt: string;
  file: FleetFile;
  sites?: string[];
  fingerprints: PlanFingerprints;
  plan: FleetPlan;
}

/** What a plan read, site by site and service by service: an apply of that plan refuses it once OVH differs. */
export interface PlanFingerprints {
  sites: Array<{ account: string; serviceName: string; domain: string; fingerprint: string }>;
  services: Array<{ account: string; serviceName: string; fingerprint: string }>;
}

export function fingerprintsOf(plan: Pick<FleetPlan, 'sites' | 'services'>): PlanFingerprints {
  return {
    sites: plan.sites.map(({ account, serviceName, domain, fingerprint }) => ({ account, serviceName, domain, fingerprint })),
    services: plan.services.map(({ account, serviceName, fingerprint }) => ({ account, serviceName, fingerprint })),
  };
}

export function savedPlanOf(file: FleetFile, plan: FleetPlan, sites: readonly string[] | undefined, now: Date): SavedPlan {
  return {
    kind: 'ovhflow-plan',
    version: 1,
    createdAt: now.toISOString(),
    file,
    ...(sites && sites.length > 0 ? { sites: [...sites] } : {}),
    fingerprints: fingerprintsOf(plan),
    plan,
  };
}

// --- the human view ---------------------------------------------------------------------------------------------

const ACTION_MARK: Record<ResourcePlan['action'], string> = { create: '+', change: '~', blocked: '!', unmanaged: '?', none: ' ' };

function resourceLines(resources: readonly ResourcePlan[], indent: string): string[] {
  const lines: string[] = [];
  for (const resource of resources) {
    if (resource.action === 'none') {
      // As declared, as far as a plan can tell: what it could not compare is said, not reported as a change.
      if (resource.reason) lines.push(`${indent}= ${resource.kind} ${resource.key || '(home)'}: ${resource.reason}`);
      continue;
    }
    const run = resource.runKind ? `  [${resource.runKind}]` : '';
    const head = `${indent}${ACTION_MARK[resource.action]} ${resource.kind} ${resource.key || '(home)'}: ${resource.action}`;
    if (resource.changes && resource.changes.length > 0) {
      lines.push(`${head}${run}`);
      for (const change of resource.changes) lines.push(`${indent}    ${change.field}: ${change.from} → ${change.to}`);
      if (resource.reason) lines.push(`${indent}    why: ${resource.reason}`);
    } else lines.push(`${head}${resource.reason ? ` — ${resource.reason}` : ''}${run}`);
  }
  return lines;
}

export function renderPlan(plan: FleetPlan): string {
  const lines: string[] = [];
  const groups = new Map<string, { sites: SitePlan[]; service?: FleetPlan['services'][number] }>();
  const groupOf = (account: string, serviceName: string) => {
    const key = `${serviceName} (account ${account})`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { sites: [] }));
    return group;
  };
  for (const site of plan.sites) groupOf(site.account, site.serviceName).sites.push(site);
  for (const service of plan.services) groupOf(service.account, service.serviceName).service = service;
  for (const [title, group] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(title);
    const quiet = group.sites.length === 0 && (group.service?.resources ?? []).every((r) => r.action === 'none');
    if (quiet) lines.push('  no change');
    for (const site of group.sites) {
      const where = site.path !== null ? ` → ${site.path || '(home)'}` : '';
      lines.push(`  ${site.domain}${where}: ${site.action === 'none' ? 'no change' : site.action}`);
      lines.push(...resourceLines(site.resources, '    '));
    }
    const serviceLines = resourceLines(group.service?.resources ?? [], '    ');
    if (serviceLines.length > 0) lines.push('  (not a site of the file)', ...serviceLines);
  }
  for (const failure of plan.failures) lines.push(`could not read ${failure.serviceName ?? 'the account'} (account ${failure.account}): ${failure.message}`);
  const { create, change, blocked, unmanaged } = plan.summary;
  const nothing = create + change + blocked === 0;
  lines.push(
    `${nothing ? 'No change.' : 'Plan:'} ${create} to create, ${change} to change, ${blocked} blocked, ${unmanaged} unmanaged (left as they are). Nothing was written; ${plan.reads} OVH reads.`,
  );
  if (plan.failures.length > 0) lines.push('The plan is INCOMPLETE: some of OVH could not be read (see above).');
  return `${lines.join('\n')}\n`;
}
