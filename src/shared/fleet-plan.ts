// The plan across accounts, put together: the fleet file split per account and service, each account asked once (a
// `fleetRead` run on the worker), the answers merged, sorted and summed. Sandbox-safe — the CLI and the API ask the
// worker from outside, the scheduled drift check (src/workflows/fleet-drift.ts) from a workflow — so it imports
// types only.
import type { FleetFile } from '../fleet/file.js';
import type { FleetPlan, FleetReadRequest, FleetReadResult, PlanServiceRequest, PlanSummary, ReadFailure, ResourcePlan } from './fleet.js';

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
  // Every account at once: each has its own rate limit, so reading them one after the other would only add up.
  const asked = Object.entries(file.accounts).map(([account, { services }]) => {
    const requests: PlanServiceRequest[] = Object.entries(services)
      .filter(([, service]) => !only || (service.sites ?? []).some((site) => only.includes(site.domain)))
      .map(([serviceName, declaration]) => ({ serviceName, declaration, ...(only ? { onlySites: only } : {}) }));
    const answer = requests.length === 0 ? undefined : ask(account, { op: 'plan', services: requests }).then((result: FleetReadResult) => result, (error: unknown) => error as Error);
    return { account, answer };
  });
  for (const { account, answer: pending } of asked) {
    const answer = await pending;
    if (answer === undefined) continue;
    if (answer instanceof Error) {
      plan.failures.push({ account, message: answer.message });
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
