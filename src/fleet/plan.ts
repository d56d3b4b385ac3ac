// The plan and the export across accounts: the fleet file split per account and service, each account asked of the
// worker once (the `fleetRead` workflow), the answers put together, summed and rendered. Shared by the CLI and the
// HTTP API, which differ only in how they ask the worker.
import type { FleetPlan, FleetReadRequest, FleetReadResult, PlanServiceRequest, PlanSummary, ReadFailure, ResourcePlan, SitePlan } from '../shared/fleet.js';
import type { FleetFile, FleetService } from './file.js';
import { FLEET_FILE_VERSION } from './file.js';

/** Asks the worker serving `account` to read; rejects when it could not answer at all. */
export type AskFleetRead = (account: string, request: FleetReadRequest) => Promise<FleetReadResult>;

/** `--site D` that no site of the file is: a usage error, found before anything is read. */
export function unknownSites(file: FleetFile, sites: readonly string[]): string[] {
  const declared = new Set(Object.values(file.accounts).flatMap(({ services }) => Object.values(services).flatMap((s) => (s.sites ?? []).map((site) => site.domain))));
  return sites.filter((domain) => !declared.has(domain.toLowerCase()));
}

const emptySummary = (): PlanSummary => ({ create: 0, change: 0, blocked: 0, unmanaged: 0 });

function count(summary: PlanSummary, resources: readonly ResourcePlan[]): void {
  for (const { action } of resources) if (action !== 'none') summary[action] += 1;
}

export async function planFleet(file: FleetFile, options: { sites?: readonly string[] }, ask: AskFleetRead): Promise<FleetPlan> {
  const only = options.sites && options.sites.length > 0 ? options.sites.map((d) => d.toLowerCase()) : undefined;
  const plan: FleetPlan = { summary: emptySummary(), sites: [], services: [], reads: 0, failures: [] };
  for (const [account, { services }] of Object.entries(file.accounts)) {
    const requests: PlanServiceRequest[] = Object.entries(services)
      .filter(([, service]) => !only || (service.sites ?? []).some((site) => only.includes(site.domain)))
      .map(([serviceName, declaration]) => ({ serviceName, declaration, ...(only ? { onlySites: only } : {}) }));
    if (requests.length === 0) continue;
    let answer: FleetReadResult;
    try {
      answer = await ask(account, { op: 'plan', services: requests });
    } catch (error) {
      plan.failures.push({ account, message: (error as Error).message });
      continue;
    }
    plan.reads += answer.reads;
    plan.failures.push(...answer.failures.map((f): ReadFailure => ({ account, ...f })));
    for (const service of answer.plans) {
      plan.reads += service.reads;
      for (const site of service.sites) plan.sites.push({ account, serviceName: service.serviceName, ...site });
      if (service.serviceLevel.resources.length > 0 || !only) plan.services.push({ account, serviceName: service.serviceName, ...service.serviceLevel });
    }
  }
  const order = (a: { account: string; serviceName: string }, b: { account: string; serviceName: string }) => a.account.localeCompare(b.account) || a.serviceName.localeCompare(b.serviceName);
  plan.sites.sort((a, b) => order(a, b) || a.domain.localeCompare(b.domain));
  plan.services.sort(order);
  for (const site of plan.sites) count(plan.summary, site.resources);
  for (const service of plan.services) count(plan.summary, service.resources);
  return plan;
}

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
  fingerprints: {
    sites: Array<{ account: string; serviceName: string; domain: string; fingerprint: string }>;
    services: Array<{ account: string; serviceName: string; fingerprint: string }>;
  };
  plan: FleetPlan;
}

export function savedPlanOf(file: FleetFile, plan: FleetPlan, sites: readonly string[] | undefined, now: Date): SavedPlan {
  return {
    kind: 'ovhflow-plan',
    version: 1,
    createdAt: now.toISOString(),
    file,
    ...(sites && sites.length > 0 ? { sites: [...sites] } : {}),
    fingerprints: {
      sites: plan.sites.map(({ account, serviceName, domain, fingerprint }) => ({ account, serviceName, domain, fingerprint })),
      services: plan.services.map(({ account, serviceName, fingerprint }) => ({ account, serviceName, fingerprint })),
    },
    plan,
  };
}

// --- the human view ---------------------------------------------------------------------------------------------

const ACTION_MARK: Record<ResourcePlan['action'], string> = { create: '+', change: '~', blocked: '!', unmanaged: '?', none: ' ' };

function resourceLines(resources: readonly ResourcePlan[], indent: string): string[] {
  const lines: string[] = [];
  for (const resource of resources) {
    if (resource.action === 'none') continue;
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
