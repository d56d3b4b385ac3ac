// What the fleet benchmarks (bench:fleet-plan, bench:fleet-apply) set up alike: two OVH accounts in the simulator —
// `default` (the bench stack's own credentials) and `agency-b` (an application and a consumer key of another NIC,
// with the rights ovhflow asks for) — each with its hosting services and domains attached through OVH's API, the
// accounts file a worker reads for `agency-b`, and the way a plan reads OVH: through the worker, as the CLI does.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AskFleetRead } from '../src/fleet/plan.js';
import { requiredAccessRules } from '../src/ovh/access-rules.js';
import { OvhClient } from '../src/ovh/client.js';
import { askWorkerWith } from '../src/runs/ask-worker.js';
import { FLEET_READ_WORKFLOW_PREFIX, type FleetReadResult } from '../src/shared/fleet.js';
import { inBatches, waitUntil, type BenchStack } from './harness.js';

export const FLEET_ACCOUNTS = ['default', 'agency-b'] as const;

/** A plan's reads, asked of the stack's worker (as `ovhflow plan` asks them). */
export function askFleetOn(stack: BenchStack): AskFleetRead {
  const target = { temporal: { taskQueue: stack.taskQueue, address: stack.server.address, namespace: stack.server.namespace } };
  return (account, request) => askWorkerWith<FleetReadResult>(stack.client, target, { workflowType: 'fleetRead', idPrefix: FLEET_READ_WORKFLOW_PREFIX, args: [request], timeoutSeconds: 3600, account });
}

/** Attaches `perService` domains to each service through OVH's API (as a person would have, over the years). */
async function seed(ovh: OvhClient, services: string[], perService: number, domainPrefix: string, tag: string): Promise<void> {
  await inBatches(services, 8, async (serviceName, s) => {
    for (let i = 0; i < perService; i++) {
      const domain = `${domainPrefix}-${tag}${s}-${i}.example.org`;
      await ovh.attachDomain(serviceName, { domain, path: `sites/${domain}`, ssl: false });
    }
  });
}

export interface TwoAccountFleet {
  servicesA: string[];
  servicesB: string[];
  /** Writes the accounts file (agency-b at `rateLimitPerSecond`; 0: unpaced) and answers its path. */
  writeAccountsFile: (rateLimitPerSecond: number) => string;
}

/**
 * `services` PERFORMANCE_1 hostings, half in each account (`<prefix>a-0001.example.net`…, `<prefix>b-0001…`), with
 * `sites` domains spread evenly over them, all created by the time this answers.
 */
export async function twoAccountFleet(stack: BenchStack, options: { services: number; sites: number; prefix: string; domainPrefix: string }): Promise<TwoAccountFleet> {
  const nicB = `${options.prefix}b111-ovh`;
  const application = await stack.admin<{ applicationKey: string; applicationSecret: string }>('POST', '/applications', { name: 'bench-agency-b', account: nicB });
  const minted = await stack.admin<{ consumerKey: string }>('POST', '/credentials', { accessRules: requiredAccessRules(), applicationKey: application.applicationKey });
  const half = options.services / 2;
  const servicesA = await stack.createServices(half, 'PERFORMANCE_1', `${options.prefix}a`);
  const servicesB = Array.from({ length: half }, (_, i) => `${options.prefix}b-${String(i + 1).padStart(4, '0')}.example.net`);
  for (const [i, name] of servicesB.entries()) {
    await stack.admin('POST', `/services/${name}`, { offer: 'PERFORMANCE_1', primaryLogin: `${options.prefix}b${String(i + 1).padStart(4, '0')}`, account: nicB });
  }
  const clientB = new OvhClient({ endpoint: stack.sim.url, caFile: stack.sim.caFile, applicationKey: application.applicationKey, applicationSecret: application.applicationSecret, consumerKey: minted.consumerKey, timeoutMs: 10_000, rateLimitPerSecond: 0, logger: stack.logger });
  const perService = options.sites / options.services;
  await Promise.all([seed(stack.ovhClient(), servicesA, perService, options.domainPrefix, 'a'), seed(clientB, servicesB, perService, options.domainPrefix, 'b')]);
  await waitUntil('every attached domain created', async () => {
    const state = await stack.state();
    return [...servicesA, ...servicesB].every((s) => state.services[s]?.attachedDomains.length === perService && state.services[s]?.attachedDomains.every((d) => d.status === 'created'));
  }, 180_000, 500);

  const dir = join(stack.workDir, 'accounts');
  mkdirSync(dir, { recursive: true });
  const secret = (name: string, value: string) => {
    const path = join(dir, name);
    writeFileSync(path, `${value}\n`, { mode: 0o600 });
    return path;
  };
  const accountsFile = join(dir, 'ovhflow.accounts.json');
  return {
    servicesA,
    servicesB,
    writeAccountsFile: (rateLimitPerSecond) => {
      writeFileSync(
        accountsFile,
        JSON.stringify({
          accounts: {
            'agency-b': { endpoint: stack.sim.url, caFile: stack.sim.caFile, nic: nicB, applicationKey: application.applicationKey, applicationSecretFile: secret('b-secret', application.applicationSecret), consumerKeyFile: secret('b-ck', minted.consumerKey), rateLimitPerSecond },
          },
        }),
      );
      return accountsFile;
    },
  };
}
