// The chaos suite's verdict, from the simulator's final state and its request log, against what was planned for each
// run (bench/chaos-plan.ts):
// - every run ended as planned: completed (with exactly the planned step skipped, if any), aborted or cancelled —
//   and an aborted or cancelled run undid everything it had to (`progress.compensation.notUndone` empty);
// - each service holds exactly what its run leaves: a completed run its domain, database, module and certificate
//   coverage (minus the skipped step); an aborted or cancelled run nothing it created; and whatever the service held
//   before (an earlier site, an adopted domain, a certificate) is untouched; no task still running;
// - no write was repeated for a step that had succeeded: per service and create, the applied POSTs are the tasks OVH
//   started, at most one of them not cancelled; and DELETEs only ever removed what the run itself had created —
//   exactly one per resource an aborted or cancelled run had made, none otherwise.
import type { RecordedRequest } from '../src/simulator/index.js';
import type { ProvisionSiteResult } from '../src/shared/provision.js';
import type { RunView } from '../src/runs/service.js';
import { expectedStatus, taskFunctionOf, type Fate, type PlannedService } from './chaos-plan.js';
import { certificateOfDomain, type SimState } from './harness.js';

export interface TrackedRun {
  kind: 'provision' | 'backup';
  index: number;
  serviceName: string;
  workflowId?: string;
  status: 'starting' | 'running' | 'closed';
  /** The run's last view, once it has closed (with its progress: the compensation it did). */
  view?: RunView;
}

export interface StateFigures {
  attachedDomains: number;
  databases: number;
  modules: number;
  certificates: number;
  dumps: number;
  runningTasks: number;
  /** Resources the services held before the runs (earlier sites, adopted domains, certificates), all still there. */
  untouched: number;
}

export interface WriteFigures {
  appliedWrites: number;
  refusedWrites: number;
  conflicts409: number;
  /** Applied DELETEs: each removed a resource an aborted or cancelled run had created. */
  deletes: number;
  /** Undos reported "already gone" although the run's own DELETE had removed the resource (its answer was lost). */
  undoneReportedGone: number;
}

type Item = Record<string, unknown>;

const ended = (run: TrackedRun | undefined) => (run?.status === 'closed' ? run.view?.status : undefined);

/** What was done to a run on the plan's behalf: the operator's skip or abort, or a cancel of the run. */
export type Stop = 'skip' | 'abort' | 'cancel';

/**
 * Each run ended as planned; aborted and cancelled runs undid everything they had to. A planned cancelled task can
 * fail to reach the operator: when the write's answer was lost and OVH cancelled the task before the retry looked,
 * the retry wrote again (the step never saw the cancelled task). Such a run must complete, and its service must show
 * exactly that — the planned task cancelled, and one of the same write done after it. Answers how many.
 */
export function verifyOutcomes(
  plan: PlannedService[],
  runs: TrackedRun[],
  stops: Map<string, Stop>,
  state: SimState,
  baseline: SimState,
  problems: string[],
): { absorbed: number } {
  let absorbed = 0;
  for (const run of runs.filter((r) => r.status === 'closed')) {
    const view = run.view as RunView;
    const where = `${run.kind} ${run.index} (${run.workflowId})`;
    if (run.kind === 'backup') {
      if (view.status !== 'completed') problems.push(`${where} ended ${view.status}: ${view.failure?.message ?? ''}`);
      continue;
    }
    const planned = plan[run.index] as PlannedService;
    const { fate } = planned;
    let expected = expectedStatus(fate);
    const stop = stops.get(run.workflowId as string);
    const delivered = fate.kind === 'skip' ? stop === 'skip' : fate.kind === 'abort' ? stop === 'abort' : fate.kind === 'complete' ? true : stop === 'cancel';
    if (!delivered) {
      const fn = taskFunctionOf((fate as Exclude<Fate, { kind: 'complete' }>).step, planned);
      const old = new Set((baseline.services[planned.serviceName]?.tasks ?? []).map((t) => t.id));
      const tasks = (state.services[planned.serviceName]?.tasks ?? []).filter((t) => !old.has(t.id) && t.function === fn);
      const superseded = fate.kind !== 'cancel-mid' && tasks[0]?.status === 'cancelled' && tasks.filter((t) => t.status === 'done').length === 1;
      if (!superseded) {
        problems.push(`${where}: planned ${fate.kind} at ${(fate as { step: string }).step} never happened (${fn} tasks ${JSON.stringify(tasks.map((t) => t.status))}); ended ${view.status}`);
        continue;
      }
      absorbed += 1;
      expected = 'completed';
    }
    if (view.status !== expected) {
      problems.push(`${where}: planned ${fate.kind}${'step' in fate ? ` at ${fate.step}` : ''}, ended ${view.status}${view.failure ? `: ${view.failure.message}` : ''}`);
      continue;
    }
    if (expected === 'completed') {
      const skipped = (view.result as ProvisionSiteResult).skipped;
      const plannedSkip = fate.kind === 'skip' && delivered ? [fate.step] : [];
      if (JSON.stringify(skipped) !== JSON.stringify(plannedSkip)) problems.push(`${where}: skipped ${JSON.stringify(skipped)}, planned ${JSON.stringify(plannedSkip)}`);
    } else {
      const compensation = view.progress?.compensation;
      if (!compensation) problems.push(`${where}: ${view.status} without a compensation report`);
      else if (compensation.notUndone.length > 0) problems.push(`${where}: ${view.status}, could not undo ${JSON.stringify(compensation.notUndone)}`);
    }
  }
  return { absorbed };
}

const names = (items: Item[], key: string) => items.map((item) => String(item[key])).sort();
const same = (a: string[], b: string[]) => JSON.stringify(a) === JSON.stringify(b);

/** What each service holds now, against what it held before and what its runs were planned to leave. */
export function verifyState(plan: PlannedService[], state: SimState, baseline: SimState, runs: TrackedRun[], stops: Map<string, Stop>, problems: string[]): StateFigures {
  const figures: StateFigures = { attachedDomains: 0, databases: 0, modules: 0, certificates: 0, dumps: 0, runningTasks: 0, untouched: 0 };
  const backedUp = new Set(runs.filter((r) => r.kind === 'backup' && ended(r) === 'completed').map((r) => r.serviceName));
  for (const planned of plan) {
    const run = runs.find((r) => r.kind === 'provision' && r.index === planned.index);
    // A run that did not finish is reported as such; its service is judged only once it has.
    const status = ended(run);
    if (!status) continue;
    const now = state.services[planned.serviceName];
    const before = baseline.services[planned.serviceName];
    if (!now || !before) {
      problems.push(`service ${planned.serviceName} missing from the simulator`);
      continue;
    }
    const { domain } = planned;
    // A planned skip the operator never got to give (see verifyOutcomes) leaves a complete site.
    const fate: Fate = planned.fate.kind === 'skip' && stops.get(run?.workflowId as string) !== 'skip' ? { kind: 'complete' } : planned.fate;
    const where = `${planned.serviceName} (provisioning ${planned.index}, ${fate.kind}${'step' in fate ? ` at ${fate.step}` : ''}, ${status})`;
    const kept = status === 'completed';
    const result = run?.view?.result as ProvisionSiteResult | undefined;

    // What the service held before: still there, as it was.
    const unchanged = (what: string, old: Item[], current: Item[], key: string, fields: string[]) => {
      for (const item of old) {
        const found = current.find((c) => c[key] === item[key]);
        if (!found || fields.some((f) => JSON.stringify(found[f]) !== JSON.stringify(item[f]))) {
          problems.push(`${where}: pre-existing ${what} ${String(item[key])} ${found ? `changed: ${JSON.stringify(fields.map((f) => [f, item[f], found[f]]))}` : 'is gone'}`);
        } else figures.untouched += 1;
      }
    };
    unchanged('attached domain', before.attachedDomains, now.attachedDomains, 'domain', ['path', 'ssl', 'status']);
    unchanged('database', before.databases, now.databases, 'name', ['user', 'status']);
    unchanged('module', before.modules, now.modules, 'id', ['targetUrl', 'status']);
    unchanged('dump', before.dumps, now.dumps, 'id', ['status']);
    if (before.ssl) {
      if (!now.ssl || now.ssl.provider !== before.ssl.provider || now.ssl.status !== 'created') {
        problems.push(`${where}: the pre-existing certificate is ${now.ssl ? `${String(now.ssl.provider)} ${String(now.ssl.status)}` : 'gone'}`);
      } else figures.untouched += 1;
    }
    if (!same(names(now.users, 'login'), names(before.users, 'login'))) problems.push(`${where}: FTP users changed`);

    // Exactly what the run leaves: everything it made when it completed (minus a skipped step), nothing otherwise.
    const expectedDomains = [...new Set([...names(before.attachedDomains, 'domain'), ...(kept ? [domain] : [])])].sort();
    const domains = names(now.attachedDomains, 'domain');
    figures.attachedDomains += domains.length - before.attachedDomains.length;
    if (!same(domains, expectedDomains) || now.attachedDomains.some((d) => d.status !== 'created')) {
      problems.push(`${where}: attached domains ${JSON.stringify(now.attachedDomains.map((d) => [d.domain, d.status]))}, expected ${JSON.stringify(expectedDomains)} created`);
    }
    const expectedDbs = [...names(before.databases, 'name'), ...(kept ? [String(result?.database?.name)] : [])].sort();
    const dbs = names(now.databases, 'name');
    figures.databases += dbs.length - before.databases.length;
    if (!same(dbs, expectedDbs) || now.databases.some((d) => d.status !== 'created')) {
      problems.push(`${where}: databases ${JSON.stringify(now.databases.map((d) => [d.name, d.status]))}, expected ${JSON.stringify(expectedDbs)} created`);
    }
    const modules = now.modules.filter((m) => !before.modules.some((o) => o.id === m.id));
    figures.modules += modules.length;
    const moduleExpected = kept && !(fate.kind === 'skip' && fate.step === 'installModule');
    const moduleOk = moduleExpected
      ? modules.length === 1 && modules[0]?.status === 'created' && typeof modules[0]?.targetUrl === 'string' && modules[0].targetUrl.includes(domain)
      : modules.length === 0;
    if (!moduleOk) problems.push(`${where}: new modules ${JSON.stringify(modules.map((m) => [m.targetUrl, m.status]))}, expected ${moduleExpected ? `one created for ${domain}` : 'none'}`);

    const certificate = certificateOfDomain(now, domain);
    if (certificate?.status === 'created') figures.certificates += 1;
    const coverageExpected = kept && !(fate.kind === 'skip' && fate.step === 'ssl');
    if (coverageExpected) {
      if (certificate?.status !== 'created') problems.push(`${where}: certificate of ${domain} ${JSON.stringify(certificate ?? null)}, expected created`);
    } else if (certificate && (!kept || certificate.scope === 'domain')) {
      // Undone (the run's own certificate removed, or the domain detached from the hosting's), or its step skipped.
      problems.push(`${where}: ${domain} has a certificate ${JSON.stringify(certificate)}, expected none`);
    }

    const dumps = now.dumps.filter((d) => !before.dumps.some((o) => o.id === d.id));
    figures.dumps += dumps.length;
    const expectedDumps = backedUp.has(planned.serviceName) ? 1 : 0;
    if (dumps.length !== expectedDumps || dumps.some((d) => d.status !== 'created')) {
      problems.push(`${where}: ${dumps.length} new dumps ${JSON.stringify(dumps.map((d) => [d.id, d.status]))}, expected ${expectedDumps} created`);
    }
    const running = now.tasks.filter((t) => !['done', 'cancelled'].includes(String(t.status)));
    figures.runningTasks += running.length;
    if (running.length > 0) problems.push(`${where}: tasks still running at OVH: ${JSON.stringify(running.map((t) => [t.id, t.function, t.status]))}`);
  }
  return figures;
}

/** A write, the task function OVH answers it with, and the create it undoes (for a DELETE). */
interface WriteKind {
  fn: string;
  method: 'POST' | 'DELETE';
  matches: (path: string) => boolean;
  undoes?: string;
}

const WRITES: WriteKind[] = [
  { fn: 'attachedDomain/create', method: 'POST', matches: (p) => p.endsWith('/attachedDomain') },
  { fn: 'database/create', method: 'POST', matches: (p) => p.endsWith('/database') },
  { fn: 'module/install', method: 'POST', matches: (p) => p.endsWith('/module') },
  { fn: 'hostedssl/create', method: 'POST', matches: (p) => p.endsWith('/ssl') },
  { fn: 'hostedssl/regenerate', method: 'POST', matches: (p) => p.endsWith('/ssl/regenerate') },
  { fn: 'dump/create', method: 'POST', matches: (p) => /\/database\/[^/]+\/dump$/.test(p) },
  { fn: 'attachedDomain/delete', method: 'DELETE', matches: (p) => /\/attachedDomain\/[^/]+$/.test(p), undoes: 'attachedDomain/create' },
  { fn: 'database/delete', method: 'DELETE', matches: (p) => /\/database\/[^/]+$/.test(p), undoes: 'database/create' },
  { fn: 'module/delete', method: 'DELETE', matches: (p) => /\/module\/[^/]+$/.test(p), undoes: 'module/install' },
  { fn: 'hostedssl/delete', method: 'DELETE', matches: (p) => p.endsWith('/ssl'), undoes: 'hostedssl/create' },
];

/** How a run's compensation names each undo (src/workflows/provision-site.ts), by the delete that does it. */
const undoFunction = (what: string) =>
  what.startsWith('detach ')
    ? 'attachedDomain/delete'
    : what.startsWith('delete database ')
      ? 'database/delete'
      : what.startsWith('uninstall ')
        ? 'module/delete'
        : what.startsWith('remove the certificate')
          ? 'hostedssl/delete'
          : undefined;

/**
 * Per hosting service (requests and tasks since the baseline): every applied write — answered 200, or applied and
 * then reset — started exactly one task; per create at most one task that was not cancelled (nothing done twice);
 * and the DELETEs are exactly the undos of what an aborted or cancelled run had created, each aimed at that resource.
 */
export function verifyWrites(
  plan: PlannedService[],
  runs: TrackedRun[],
  requests: RecordedRequest[],
  state: SimState,
  baseline: SimState,
  problems: string[],
): WriteFigures {
  const writes = requests.filter((r) => r.method !== 'GET' && /^\/hosting\/web\/[^/]+\//.test(r.path));
  const applied = writes.filter((r) => r.status === 200 || r.fault === 'reset-after');
  let undoneReportedGone = 0;
  for (const planned of plan) {
    const run = runs.find((r) => r.kind === 'provision' && r.index === planned.index);
    const status = ended(run);
    if (!status) continue;
    const where = `${planned.serviceName} (provisioning ${planned.index}, ${status})`;
    const prefix = `/hosting/web/${planned.serviceName}/`;
    const mine = applied.filter((r) => r.path.startsWith(prefix));
    const old = new Set((baseline.services[planned.serviceName]?.tasks ?? []).map((t) => t.id));
    const tasks = (state.services[planned.serviceName]?.tasks ?? []).filter((t) => !old.has(t.id));
    const stopped = status === 'aborted' || status === 'cancelled';
    const undone = new Set<string | undefined>((run?.view?.progress?.compensation?.undone ?? []).map(undoFunction));
    for (const write of WRITES) {
      const requestsOf = mine.filter((r) => r.method === write.method && write.matches(r.path));
      const ofFunction = tasks.filter((t) => t.function === write.fn);
      const done = ofFunction.filter((t) => t.status === 'done');
      if (requestsOf.length !== ofFunction.length) {
        problems.push(`${where}: ${requestsOf.length} applied ${write.method}s for ${write.fn} but ${ofFunction.length} tasks`);
      }
      if (!write.undoes) {
        if (done.length > 1) problems.push(`${where}: ${write.fn} done ${done.length} times (${ofFunction.length} tasks)`);
        continue;
      }
      // A DELETE undoes a create of this run that OVH had finished: exactly one each, and only for a stopped run.
      const created = tasks.filter((t) => t.function === write.undoes && t.status === 'done');
      const expected = stopped ? created.length : 0;
      if (requestsOf.length !== expected) {
        problems.push(`${where}: ${requestsOf.length} applied DELETEs for ${write.fn}, expected ${expected} (${created.length} ${write.undoes} done by the run)`);
      }
      for (const r of requestsOf) {
        const target = decodeURIComponent(r.path.slice(prefix.length).split('/')[1] ?? '');
        if (write.fn !== 'hostedssl/delete' && !created.some((t) => String(t.objectId) === target)) {
          problems.push(`${where}: DELETE ${r.path} removed something the run had not created`);
        }
      }
      if (stopped) {
        if (undone.has(write.fn) && requestsOf.length === 0) problems.push(`${where}: reports "${write.fn}" undone, but no DELETE was applied`);
        if (!undone.has(write.fn) && requestsOf.length > 0) undoneReportedGone += 1;
      }
    }
    const others = mine.filter((r) => !WRITES.some((w) => w.method === r.method && w.matches(r.path)));
    for (const r of others) problems.push(`${where}: unexpected write ${r.method} ${r.path}`);
  }
  return {
    appliedWrites: applied.length,
    refusedWrites: writes.length - applied.length,
    conflicts409: writes.filter((r) => r.status === 409).length,
    deletes: applied.filter((r) => r.method === 'DELETE').length,
    undoneReportedGone,
  };
}
