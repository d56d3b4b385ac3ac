// The verdict of a run where every run is expected to complete (the cluster kill test, test/cluster/kill-test.ts):
// exactly what the runs made, on top of what the services held before — no duplicate, nothing orphaned — and one
// applied write per step (plus the tasks OVH cancelled), no DELETE. The chaos suite, whose runs may also be skipped,
// aborted or cancelled, has its own verdict (bench/chaos-verdict.ts).
import type { RecordedRequest } from '../src/simulator/index.js';
import type { ProvisionSiteResult } from '../src/shared/provision.js';
import type { StateFigures as ChaosStateFigures, WriteFigures as ChaosWriteFigures } from './chaos-verdict.js';
import { certificateOfDomain, type SimState } from './harness.js';

export type RunKind = 'provision' | 'backup';
export interface TrackedRun {
  kind: RunKind;
  index: number;
  serviceName: string;
  workflowId?: string;
  status: 'starting' | 'running' | 'completed' | 'failed';
  result?: unknown;
  failure?: string;
}

/** The chaos verdict's figures, less what only runs that are stopped on purpose can show. */
export type StateFigures = Omit<ChaosStateFigures, 'untouched'>;
export type WriteFigures = Omit<ChaosWriteFigures, 'deletes' | 'undoneReportedGone'>;

/** Which write each task function answers, and the path of that write under the service. */
const WRITES: Array<{ fn: string; matches: (path: string) => boolean }> = [
  { fn: 'attachedDomain/create', matches: (p) => p.endsWith('/attachedDomain') },
  { fn: 'database/create', matches: (p) => p.endsWith('/database') },
  { fn: 'module/install', matches: (p) => p.endsWith('/module') },
  { fn: 'hostedssl/create', matches: (p) => p.endsWith('/ssl') },
  { fn: 'dump/create', matches: (p) => /\/database\/[^/]+\/dump$/.test(p) },
];

/**
 * Exactly what the runs made, on top of what the services held before: no duplicate, nothing orphaned. Provisioning
 * `index` attached `domainOf(index)` (the cluster kill test uses it too: test/cluster/kill-test.ts).
 */
export function verifyState(
  state: SimState,
  baseline: SimState,
  runs: TrackedRun[],
  problems: string[],
  domainOf: (index: number) => string = (index) => `chaos-${index}.example.org`,
): StateFigures {
  const figures = { attachedDomains: 0, databases: 0, modules: 0, certificates: 0, dumps: 0, runningTasks: 0 };
  const provisions = runs.filter((r) => r.kind === 'provision');
  const backedUp = new Set(runs.filter((r) => r.kind === 'backup').map((r) => r.serviceName));
  // Runs that did not finish are reported as such; their resources are judged only once they have.
  for (const run of provisions.filter((r) => r.status === 'completed')) {
    const now = state.services[run.serviceName];
    const before = baseline.services[run.serviceName];
    if (!now || !before) {
      problems.push(`service ${run.serviceName} missing from the simulator`);
      continue;
    }
    const where = `${run.serviceName} (provisioning ${run.index})`;
    const domain = domainOf(run.index);
    const added = <T extends Record<string, unknown>>(list: T[], old: T[], key: string) => list.filter((item) => !old.some((o) => o[key] === item[key]));

    const domains = added(now.attachedDomains, before.attachedDomains, 'domain');
    figures.attachedDomains += domains.length;
    if (domains.length !== 1 || domains[0]?.domain !== domain || domains[0]?.status !== 'created') {
      problems.push(`${where}: attached domains ${JSON.stringify(domains.map((d) => [d.domain, d.status]))}, expected [${domain}, created]`);
    }
    const databases = added(now.databases, before.databases, 'name');
    figures.databases += databases.length;
    const expectedDb = (run.result as ProvisionSiteResult | undefined)?.database?.name;
    if (databases.length !== 1 || databases[0]?.name !== expectedDb || databases[0]?.status !== 'created') {
      problems.push(`${where}: databases ${JSON.stringify(databases.map((d) => [d.name, d.status]))}, expected [${expectedDb}, created]`);
    }
    const modules = added(now.modules, before.modules, 'id');
    figures.modules += modules.length;
    if (modules.length !== 1 || modules[0]?.status !== 'created' || !(typeof modules[0]?.targetUrl === 'string' && modules[0].targetUrl.includes(domain))) {
      problems.push(`${where}: modules ${JSON.stringify(modules.map((m) => [m.targetUrl, m.status]))}, expected one created for ${domain}`);
    }
    const certificate = certificateOfDomain(now, domain);
    if (certificate) figures.certificates += 1;
    if (certificate?.status !== 'created') {
      problems.push(`${where}: certificate of ${domain} ${JSON.stringify(certificate ?? null)}, expected created`);
    }
    const dumps = added(now.dumps, before.dumps, 'id');
    figures.dumps += dumps.length;
    const expectedDumps = backedUp.has(run.serviceName) ? 1 : 0;
    if (dumps.length !== expectedDumps || dumps.some((d) => d.status !== 'created')) {
      problems.push(`${where}: ${dumps.length} new dumps ${JSON.stringify(dumps.map((d) => [d.id, d.status]))}, expected ${expectedDumps} created`);
    }
    if (now.users.length !== before.users.length) problems.push(`${where}: FTP users changed`);
    const running = now.tasks.filter((t) => !['done', 'cancelled'].includes(String(t.status)));
    figures.runningTasks += running.length;
    if (running.length > 0) problems.push(`${where}: tasks still running at OVH: ${JSON.stringify(running.map((t) => [t.id, t.function, t.status]))}`);
  }
  return figures;
}

/**
 * Per hosting service and write, the POSTs OVH applied — answered 200, or applied and then reset — must be one plus
 * the tasks OVH cancelled (each cancelled task is a failed step the operator retried); no DELETE at all.
 */
export function verifyWrites(requests: RecordedRequest[], state: SimState, services: Set<string>, problems: string[]): WriteFigures {
  const writes = requests.filter((r) => r.method !== 'GET' && /^\/hosting\/web\/[^/]+\//.test(r.path));
  const applied = writes.filter((r) => r.status === 200 || r.fault === 'reset-after');
  for (const r of applied.filter((w) => w.method === 'DELETE')) problems.push(`a DELETE was applied: ${r.path}`);
  for (const serviceName of services) {
    const prefix = `/hosting/web/${serviceName}/`;
    const mine = applied.filter((r) => r.method === 'POST' && r.path.startsWith(prefix));
    const tasks = state.services[serviceName]?.tasks ?? [];
    for (const write of WRITES) {
      const count = mine.filter((r) => write.matches(r.path)).length;
      const ofFunction = tasks.filter((t) => t.function === write.fn);
      const cancelled = ofFunction.filter((t) => t.status === 'cancelled').length;
      const expected = ofFunction.length === 0 ? 0 : 1 + cancelled;
      if (count !== expected || ofFunction.length !== count) {
        problems.push(`${serviceName}: ${count} applied writes for ${write.fn} (${ofFunction.length} tasks, ${cancelled} cancelled), expected ${expected}`);
      }
    }
    const others = mine.filter((r) => !WRITES.some((w) => w.matches(r.path)));
    for (const r of others) problems.push(`${serviceName}: unexpected write ${r.method} ${r.path}`);
  }
  return {
    appliedWrites: applied.length,
    refusedWrites: writes.length - applied.length,
    conflicts409: writes.filter((r) => r.status === 409).length,
  };
}
