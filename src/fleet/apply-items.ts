// From a plan to the child runs an apply starts: each planned change becomes the input of a run kind that exists
// (the registry's `runKind`), parsed by that kind's own parser, so an apply is never a second implementation of
// provisioning or of a domain update. A site the file adds is ONE provisioning (its database, module, certificate,
// PHP, Git deployment and the cron jobs in its folder with it). Environment variables belong to the whole hosting:
// one `env` run per service sets all of its changed ones. Secrets are resolved here, where the apply is started (`env:NAME` from this process's
// environment, `file:PATH` from a file next to the fleet file): they travel in the child's input like any secret,
// encrypted by the codec, and never appear in a message.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { RUN_KINDS } from '../runs/run-kinds.js';
import type { ApplyChange, ApplyTask } from '../shared/apply.js';
import type { FleetPlan, ResourcePlan, SitePlan } from '../shared/fleet.js';
import { formatIssues, type InputIssue } from '../shared/inputs/issues.js';
import type { RunType } from '../shared/runs.js';
import { ENV_VARS_MAX_PER_RUN } from '../shared/inputs/env-vars.js';
import type { FleetCronJob, FleetFile, FleetService, FleetSite } from './file.js';
import { planFleet, type AskFleetRead, type PlanFingerprints, type SavedPlan } from './plan.js';

export class ApplyInputError extends Error {
  override name = 'ApplyInputError';
  constructor(readonly issues: InputIssue[]) {
    super(formatIssues(issues));
  }
}

/** Reads a secret reference. `baseDir`: where relative `file:` paths start (the fleet file's folder). */
export function secretResolver(baseDir: string, env: NodeJS.ProcessEnv = process.env) {
  return (reference: string, field: string): string => {
    if (reference.startsWith('env:')) {
      const value = env[reference.slice(4)];
      if (value === undefined || value === '') throw new ApplyInputError([{ field, message: `${reference}: this environment variable is not set where the apply runs` }]);
      return value;
    }
    const path = reference.slice(5);
    try {
      return readFileSync(isAbsolute(path) ? path : resolve(baseDir, path), 'utf8');
    } catch (error) {
      throw new ApplyInputError([{ field, message: `${reference}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` }]);
    }
  };
}
export type ResolveSecret = ReturnType<typeof secretResolver>;

/**
 * The HTTP API's resolver: none. The API's environment and files hold ovhflow's own secrets (its token, OVH keys, the
 * payload key), which a reference would otherwise hand to whoever can call it.
 */
export const refusingResolver: ResolveSecret = (reference, field) => {
  throw new ApplyInputError([
    { field, message: `${reference}: secret references are not read by the HTTP API (its environment and files are ovhflow's own); apply this file with \`ovhflow apply\`, where they are read` },
  ]);
};

const hashOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

function serviceOf(file: FleetFile, account: string, serviceName: string): FleetService {
  return file.accounts[account]?.services[serviceName] ?? {};
}

function declaredSite(file: FleetFile, site: SitePlan): FleetSite | undefined {
  return (serviceOf(file, site.account, site.serviceName).sites ?? []).find((s) => s.domain === site.domain);
}

const changesText = (resource: ResourcePlan) => (resource.changes ?? []).map((c) => `${c.field}: ${c.from} → ${c.to}`).join(', ');

interface Built {
  runType: RunType;
  raw: Record<string, unknown>;
  what: string;
  /** What identifies the change (hashed into the child's id): names and planned values, never a secret. */
  identity: unknown;
}

function parsedChange(account: string, field: string, built: Built): ApplyChange {
  const parsed = RUN_KINDS[built.runType].parse(built.raw) as { ok: true; value: unknown } | { ok: false; issues: InputIssue[] };
  if (!parsed.ok) throw new ApplyInputError(parsed.issues.map((issue) => ({ field: `${field}.${issue.field}`, message: issue.message })));
  return { runType: built.runType, input: parsed.value, requestId: `apply-${hashOf([account, built.runType, built.identity])}`, what: built.what };
}

/** A cron run for one job: `add` with all its settings, or `update` with the settings the plan found different. */
function cronOf(serviceName: string, job: FleetCronJob, resource: ResourcePlan): Built {
  const identity = [serviceName, 'cron', resource.key, resource.action, resource.changes ?? null];
  if (resource.action === 'create') return { runType: 'cron', raw: { serviceName, action: 'add', ...job }, what: `cron ${job.command}: add ("${job.frequency}")`, identity };
  const raw: Record<string, unknown> = { serviceName, action: 'update', command: job.command };
  for (const change of resource.changes ?? []) raw[change.field] = job[change.field as keyof FleetCronJob];
  return { runType: 'cron', raw, what: `cron ${job.command}: ${changesText(resource)}`, identity };
}

function provisionOf(serviceName: string, site: FleetSite, resolveSecret: ResolveSecret, field: string, cron: FleetCronJob[]): Built {
  const raw: Record<string, unknown> = { serviceName, domain: site.domain };
  if (site.path !== undefined) raw.path = site.path;
  for (const key of ['cdn', 'firewall', 'ownLog', 'runtimeId', 'ipLocation', 'bypassDNSConfiguration', 'dns'] as const) if (site[key] !== undefined) raw[key] = site[key];
  if (site.database) {
    const { name: _name, password: _password, ...spec } = site.database;
    raw.database = spec;
  }
  if (site.module) {
    const { adminPassword: _adminPassword, ...module } = site.module;
    raw.module = module;
  }
  if (site.php) raw.php = site.php;
  if (site.git) raw.git = site.git;
  if (cron.length > 0) raw.cron = cron;
  const certificate = site.certificate;
  if (certificate !== undefined && typeof certificate !== 'string') {
    raw.ssl = {
      mode: 'custom',
      certificate: resolveSecret(certificate.certificate, `${field}.certificate.certificate`),
      key: resolveSecret(certificate.key, `${field}.certificate.key`),
      ...(certificate.chain ? { chain: resolveSecret(certificate.chain, `${field}.certificate.chain`) } : {}),
    };
  } else if (certificate !== undefined) raw.ssl = certificate;
  else if (site.ssl === false) raw.ssl = 'none';
  const { ssl: _ssl, ...identity } = raw;
  return { runType: 'provision', raw, what: `provision ${site.domain}`, identity: [identity, typeof certificate === 'string' ? certificate : certificate ? 'custom' : null] };
}

/** One site's changes, in the order they are safe to make (the domain, then what it serves). */
function siteChanges(file: FleetFile, site: SitePlan, resolveSecret: ResolveSecret): ApplyChange[] {
  const field = `${site.account}.${site.serviceName}.${site.domain}`;
  const declared = declaredSite(file, site);
  const created = site.resources.some((r) => r.kind === 'site' && r.action === 'create');
  const cronJobs = serviceOf(file, site.account, site.serviceName).cron ?? [];
  const jobOf = (resource: ResourcePlan) => cronJobs.find((job) => job.command === resource.key);
  if (created && declared) {
    const cron = site.resources.filter((r) => r.kind === 'cron' && r.action === 'create').flatMap((r) => jobOf(r) ?? []);
    return [parsedChange(site.account, field, provisionOf(site.serviceName, declared, resolveSecret, field, cron))];
  }
  const changes: ApplyChange[] = [];
  for (const resource of site.resources) {
    // A site that exists gets its new Git link and cron jobs from their own runs.
    const creates = resource.action === 'create' && (resource.kind === 'git' || resource.kind === 'cron');
    if ((resource.action !== 'change' && !creates) || !resource.runKind || !declared) continue;
    const identity = [site.serviceName, site.domain, resource.kind, resource.key, resource.changes];
    const what = `${resource.kind} ${resource.key || '(home)'}: ${changesText(resource)}`;
    if (resource.kind === 'site') {
      const raw: Record<string, unknown> = { serviceName: site.serviceName, domain: site.domain };
      for (const change of resource.changes ?? []) raw[change.field] = declared[change.field as keyof FleetSite];
      changes.push(parsedChange(site.account, field, { runType: 'update-domain', raw, what, identity }));
    } else if (resource.kind === 'php' && declared.php) {
      changes.push(parsedChange(site.account, field, { runType: 'php', raw: { serviceName: site.serviceName, path: resource.key, ...declared.php }, what, identity }));
    } else if (resource.kind === 'certificate' && declared.certificate === 'letsencrypt') {
      changes.push(parsedChange(site.account, field, { runType: 'renew-cert', raw: { serviceName: site.serviceName, mode: 'letsencrypt', domain: site.domain }, what, identity }));
    } else if (resource.kind === 'certificate' && declared.certificate !== undefined && typeof declared.certificate !== 'string') {
      // A replacement removes the current certificate first: the run waits for its own `confirm`.
      const c = declared.certificate;
      const raw = {
        serviceName: site.serviceName,
        mode: 'custom',
        certificate: resolveSecret(c.certificate, `${field}.certificate.certificate`),
        key: resolveSecret(c.key, `${field}.certificate.key`),
        ...(c.chain ? { chain: resolveSecret(c.chain, `${field}.certificate.chain`) } : {}),
        confirmed: false,
      };
      changes.push(parsedChange(site.account, field, { runType: 'renew-cert', raw, what, identity }));
    } else if (resource.kind === 'git' && declared.git) {
      // A branch change or a new link: the deploy run makes it and deploys (a new repository is blocked in the plan).
      const raw = { serviceName: site.serviceName, path: resource.key, ...declared.git };
      changes.push(parsedChange(site.account, field, { runType: 'deploy', raw, what: `git ${resource.key}: ${resource.action === 'create' ? `deploy ${declared.git.repository} (${declared.git.branch})` : changesText(resource)}`, identity }));
    } else if (resource.kind === 'cron') {
      const job = jobOf(resource);
      if (job) changes.push(parsedChange(site.account, field, cronOf(site.serviceName, job, resource)));
    }
  }
  return changes;
}

/** The service's changed variables, one `env` run (a run takes at most ENV_VARS_MAX_PER_RUN: more are split). */
function envTasks(file: FleetFile, service: FleetPlan['services'][number], resolveSecret: ResolveSecret): ApplyTask[] {
  const declared = serviceOf(file, service.account, service.serviceName).env ?? {};
  const changed = service.resources.filter((r) => r.kind === 'env' && (r.action === 'create' || r.action === 'change') && declared[r.key] !== undefined);
  const tasks: ApplyTask[] = [];
  for (let start = 0; start < changed.length; start += ENV_VARS_MAX_PER_RUN) {
    const part = changed.slice(start, start + ENV_VARS_MAX_PER_RUN);
    const field = `${service.account}.${service.serviceName}.env`;
    const set = part.map((resource) => {
      const variable = declared[resource.key]!;
      const value = variable.type === 'password' ? resolveSecret(variable.value, `${field}.${resource.key}.value`) : variable.value;
      return { name: resource.key, type: variable.type, value };
    });
    // The identity names the variables and what the plan showed, never a password's value.
    const identity = [service.serviceName, 'env', part.map((r) => [r.key, r.action, r.changes ?? null])];
    const what = `env ${part.map((r) => (r.action === 'create' ? `${r.key} (new)` : `${r.key}: ${changesText(r)}`)).join('; ')}`;
    const built: Built = { runType: 'env', raw: { serviceName: service.serviceName, set }, what, identity };
    tasks.push({ account: service.account, serviceName: service.serviceName, subject: `env of ${service.serviceName}`, changes: [parsedChange(service.account, field, built)] });
  }
  return tasks;
}

function serviceChanges(file: FleetFile, service: FleetPlan['services'][number], resolveSecret: ResolveSecret): ApplyTask[] {
  const declaration = serviceOf(file, service.account, service.serviceName);
  const tasks: ApplyTask[] = [];
  for (const resource of service.resources) {
    if ((resource.action !== 'change' && resource.action !== 'create') || !resource.runKind) continue;
    const field = `${service.account}.${service.serviceName}.${resource.kind}.${resource.key}`;
    const identity = [service.serviceName, resource.kind, resource.key, resource.action, resource.changes ?? null];
    let built: Built | undefined;
    if (resource.kind === 'user') {
      const user = (declaration.users ?? []).find((u) => u.login === resource.key);
      if (!user) continue;
      if (resource.action === 'create') {
        const raw: Record<string, unknown> = { serviceName: service.serviceName, login: user.login, home: user.home, ...(user.sshState ? { sshState: user.sshState } : {}) };
        if (user.password) raw.password = resolveSecret(user.password, `${field}.password`);
        built = { runType: 'ftp-user', raw, what: `user ${user.login}: create (home ${user.home})`, identity };
      } else {
        const raw: Record<string, unknown> = { serviceName: service.serviceName, login: user.login };
        for (const change of resource.changes ?? []) raw[change.field] = user[change.field as 'home' | 'sshState'];
        built = { runType: 'ftp-user-update', raw, what: `user ${user.login}: ${changesText(resource)}`, identity };
      }
    } else if (resource.kind === 'cron') {
      const job = (declaration.cron ?? []).find((j) => j.command === resource.key);
      if (!job) continue;
      built = cronOf(service.serviceName, job, resource);
    } else if (resource.kind === 'php' && resource.action === 'change') {
      const folder = (declaration.php ?? []).find((p) => p.path.replace(/^\.?\/+/, '').replace(/\/+$/, '') === resource.key);
      if (!folder) continue;
      const { path: _path, ...settings } = folder;
      built = { runType: 'php', raw: { serviceName: service.serviceName, path: resource.key, ...settings }, what: `php ${resource.key || '(home)'}: ${changesText(resource)}`, identity };
    }
    if (built) tasks.push({ account: service.account, serviceName: service.serviceName, subject: `${resource.kind} ${resource.key || '(home)'}`, changes: [parsedChange(service.account, field, built)] });
  }
  return tasks;
}

/** `--prune`: each unmanaged site, a decommission that waits for its own `ovhflow confirm` (and takes its safety dump). */
function pruneTasks(plan: FleetPlan): ApplyTask[] {
  const tasks: ApplyTask[] = [];
  for (const site of plan.sites) {
    const unmanaged = site.resources.find((r) => r.kind === 'site' && r.action === 'unmanaged');
    if (!unmanaged) continue;
    const raw = { serviceName: site.serviceName, domain: site.domain, confirmed: false };
    const change = parsedChange(site.account, `${site.account}.${site.serviceName}.${site.domain}`, {
      runType: 'decommission',
      raw,
      what: `decommission ${site.domain} (not in the file; waits for its confirmation)`,
      identity: [site.serviceName, site.domain, 'prune', site.fingerprint],
    });
    tasks.push({ account: site.account, serviceName: site.serviceName, subject: site.domain, changes: [change] });
  }
  return tasks;
}

/** The child runs of an apply, per site; blocked and unmanaged resources start nothing (unmanaged: only with prune). */
export function applyTasksOf(file: FleetFile, plan: FleetPlan, resolveSecret: ResolveSecret, options: { prune?: boolean } = {}): ApplyTask[] {
  const tasks: ApplyTask[] = [];
  for (const site of plan.sites) {
    const changes = siteChanges(file, site, resolveSecret);
    if (changes.length > 0) tasks.push({ account: site.account, serviceName: site.serviceName, subject: site.domain, changes });
  }
  for (const service of plan.services) tasks.push(...serviceChanges(file, service, resolveSecret), ...envTasks(file, service, resolveSecret));
  if (options.prune) tasks.push(...pruneTasks(plan));
  return tasks;
}

/** What a saved plan read that has changed since: the sites (and services) whose fingerprints differ now. */
export function staleSince(saved: PlanFingerprints, now: FleetPlan): string[] {
  const key = (p: { account: string; serviceName: string; domain?: string }) => `${p.domain ?? `(service ${p.serviceName})`} (${p.serviceName}, account ${p.account})`;
  const before = new Map([...saved.sites.map((s) => [key(s), s.fingerprint] as const), ...saved.services.map((s) => [key(s), s.fingerprint] as const)]);
  const after = new Map([...now.sites.map((s) => [key(s), s.fingerprint] as const), ...now.services.map((s) => [key(s), s.fingerprint] as const)]);
  const changed = new Set<string>();
  for (const [what, fingerprint] of before) if (after.get(what) !== fingerprint) changed.add(what);
  for (const what of after.keys()) if (!before.has(what)) changed.add(what);
  return [...changed].sort();
}

/** A fleet file (or a plan saved by `plan --out`) planned again now: the changes to start, or why none starts. */
export type PreparedApply =
  | { outcome: 'unreadable'; plan: FleetPlan }
  | { outcome: 'stale'; plan: FleetPlan; changed: string[] }
  | { outcome: 'nothing'; plan: FleetPlan }
  | { outcome: 'apply'; plan: FleetPlan; tasks: ApplyTask[] };

export async function prepareApply(
  /** `seen`: what the plan shown to the person who confirms read (the console's confirmation), like a saved plan's. */
  source: { file: FleetFile; saved?: SavedPlan; seen?: PlanFingerprints },
  ask: AskFleetRead,
  resolveSecret: ResolveSecret,
  options: { prune?: boolean } = {},
): Promise<PreparedApply> {
  const plan = await planFleet(source.file, { sites: source.saved?.sites ?? [] }, ask);
  if (plan.failures.length > 0) return { outcome: 'unreadable', plan };
  const seen = source.saved?.plan ?? source.seen;
  if (seen) {
    const changed = staleSince(seen, plan);
    if (changed.length > 0) return { outcome: 'stale', plan, changed };
  }
  const tasks = applyTasksOf(source.file, plan, resolveSecret, options);
  return tasks.length === 0 ? { outcome: 'nothing', plan } : { outcome: 'apply', plan, tasks };
}

/** A saved plan's JSON, or undefined for anything else (a fleet file). */
export function asSavedPlan(value: unknown): SavedPlan | undefined {
  return value !== null && typeof value === 'object' && (value as { kind?: unknown }).kind === 'ovhflow-plan' ? (value as SavedPlan) : undefined;
}
