// What a task does to the records when it ends: a creation makes its resource `created` (or removes it when the
// task was cancelled), a deletion removes it (or puts it back), a dump or restore frees its database. A task only
// touches a record that still names it in `taskId`, so a record replaced in the meantime is left alone.
// Effects happen at the task's end time (`finishAt`), which matters for what DNS answered then: Let's Encrypt only
// covers the domains that point at the hosting when its task runs.
import { CAA_ISSUERS, caaAllows, pointsAtHosting } from '../dns/domain-checks.js';
import type { DnsWorld } from '../dns/resolver.js';
import { configureDomainRecords } from '../dns/zone-publishing.js';
import { headCommit } from '../hosting/website-handlers.js';
import { addOvhConfig, nextOvhConfigId, type AttachedDomainRecord, type HostingService, type OvhConfigRecord, type PasswordChange, type SimulatorState, type TaskRecord, type UserRecord } from '../state/records.js';

interface Working {
  status: string;
  taskId: number | null;
}

function finish(record: Working | undefined | null, task: TaskRecord, status = 'created'): record is Working {
  if (!record || record.taskId !== task.id) return false;
  record.status = status;
  record.taskId = null;
  return true;
}

export function applyTaskEffect(world: DnsWorld, task: TaskRecord): void {
  const { state } = world;
  const service = state.services.get(task.serviceName);
  if (!service) return;
  const done = task.outcome === 'done';
  const at = task.finishAt ?? 0;
  switch (task.function) {
    case 'attachedDomain/create': {
      const record = service.attachedDomains.get(task.subject);
      createOrDrop(service.attachedDomains, task.subject, task, done);
      if (done && record && record.status === 'created' && task.changes?.bypassDNSConfiguration !== true) {
        configureDomainRecords(state, service, record, at, world.config.dnsPropagationMs);
      }
      return;
    }
    case 'attachedDomain/update': {
      const record = service.attachedDomains.get(task.subject);
      if (!record || record.taskId !== task.id) return;
      const before = { cdn: record.cdn, ipLocation: record.ipLocation };
      if (done) applyDomainChanges(record, task.changes ?? {});
      finish(record, task);
      const moved = before.cdn !== record.cdn || before.ipLocation !== record.ipLocation;
      if (done && moved && task.changes?.bypassDNSConfiguration !== true) {
        configureDomainRecords(state, service, record, at, world.config.dnsPropagationMs);
      }
      return;
    }
    case 'database/changePassword': {
      const database = service.databases.get(task.subject);
      if (finish(database, task) && done && task.secret !== undefined) {
        const updated = service.databases.get(task.subject);
        if (updated) updated.password = task.secret;
        notePasswordChange(state, service, { kind: 'database', name: task.subject, at });
      }
      return;
    }
    case 'user/changePassword': {
      if (finish(service.users.get(task.subject), task) && done) notePasswordChange(state, service, { kind: 'user', name: task.subject, at });
      return;
    }
    case 'user/update': {
      const user = service.users.get(task.subject);
      if (!user || user.taskId !== task.id) return;
      if (done) {
        const changes = task.changes ?? {};
        if (typeof changes.home === 'string') user.home = changes.home;
        if (typeof changes.sshState === 'string') user.sshState = changes.sshState as UserRecord['sshState'];
        if (typeof changes.state === 'string') user.state = changes.state as UserRecord['state'];
      }
      finish(user, task);
      return;
    }
    case 'ovhConfig/update':
    case 'ovhConfig/rollback': {
      const record = service.ovhConfigs.get(Number(task.subject));
      if (!record || record.taskId !== task.id) return;
      if (done) {
        const rollbackTo = task.function === 'ovhConfig/rollback' ? service.ovhConfigs.get(Number(task.changes?.rollbackId)) : undefined;
        keepAsHistorical(service, record, at);
        Object.assign(record, rollbackTo ? configValues(rollbackTo) : (task.changes ?? {}));
      }
      finish(record, task);
      return;
    }
    case 'ovhConfig/refresh': {
      // OVH finds the `.ovhconfig` of each site's folder (a module installed by OVH writes one).
      if (!done) return;
      const known = new Set([...service.ovhConfigs.values()].filter((c) => !c.historical).map((c) => c.path));
      for (const path of [...service.attachedDomains.values()].map((d) => d.path)) {
        if (!known.has(path)) addOvhConfig(service, path, {}, at);
        known.add(path);
      }
      return;
    }
    case 'envVar/create':
      return createOrDrop(service.envVars, task.subject, task, done);
    case 'envVar/update': {
      const record = service.envVars.get(task.subject);
      if (!record || record.taskId !== task.id) return;
      if (done && task.secret !== undefined) record.value = task.secret;
      finish(record, task);
      return;
    }
    case 'envVar/delete':
      return dropOrRestore(service.envVars, task.subject, task, done);
    case 'website/vcs/create': {
      const website = service.websites.get(Number(task.subject));
      if (!website || website.taskId !== task.id) return;
      if (done) finish(website, task);
      else service.websites.delete(website.id);
      return;
    }
    case 'website/vcs/deploy': {
      const website = service.websites.get(Number(task.subject));
      const deployment = website?.deployments.find((d) => d.taskId === task.id);
      if (!website || !deployment) return;
      const succeeded = done && !task.failed;
      deployment.status = succeeded ? 'successful' : 'failed';
      deployment.logs.push({ date: at, message: `Cloning ${website.vcsUrl} (branch ${deployment.vcsBranch})` });
      if (succeeded) {
        deployment.vcsCommitId = headCommit(website.vcsUrl, deployment.vcsBranch);
        deployment.vcsCommitMessage = `Head of ${deployment.vcsBranch}`;
        deployment.logs.push({ date: at, message: `Deployed commit ${deployment.vcsCommitId} into ${website.path}` });
      } else {
        deployment.logs.push(
          { date: at, message: `fatal: could not read Username for 'https://github.com': terminal prompts disabled` },
          { date: at, message: `Deployment ${deployment.id} failed: the repository could not be fetched; ${website.path} was left as it was` },
        );
      }
      const first = !website.deployments.some((d) => d !== deployment && d.status === 'successful');
      finish(website, task, succeeded ? 'created' : first ? 'initialError' : 'error');
      return;
    }
    case 'website/vcs/delete': {
      const website = service.websites.get(Number(task.subject));
      if (!website || website.taskId !== task.id) return;
      if (!done) {
        finish(website, task);
        return;
      }
      service.websites.delete(website.id);
      // Files a link deployed stay unless the deletion asked for them to go: the folder is then no longer empty.
      const deployed = website.deployments.some((d) => d.status === 'successful');
      if (deployed && task.changes?.deleteFiles !== true && !service.filledFolders.includes(website.path)) service.filledFolders.push(website.path);
      if (task.changes?.deleteFiles === true) service.filledFolders = service.filledFolders.filter((path) => path !== website.path);
      return;
    }
    case 'cron/create':
    case 'cron/update':
    case 'cron/delete': {
      const cron = service.crons.get(Number(task.subject));
      if (!cron || cron.taskId !== task.id) return;
      if (task.function === 'cron/create' && !done) service.crons.delete(cron.id);
      else if (task.function === 'cron/delete' && done) service.crons.delete(cron.id);
      else {
        if (done && task.changes) Object.assign(cron, task.changes);
        cron.state = 'created';
        cron.taskId = null;
      }
      return;
    }
    case 'runtime/create':
    case 'runtime/update': {
      const runtime = service.runtimes.get(Number(task.subject));
      if (!runtime || runtime.taskId !== task.id) return;
      if (task.function === 'runtime/create' && !done) {
        service.runtimes.delete(runtime.id);
        return;
      }
      if (done) {
        const { attachedDomains, isDefault, ...changes } = task.changes ?? {};
        Object.assign(runtime, changes);
        runtime.lastUpdate = at;
        for (const domain of (attachedDomains as string[] | undefined) ?? []) {
          const record = service.attachedDomains.get(domain);
          if (record) record.runtimeId = runtime.id;
        }
        if (isDefault === true) for (const other of service.runtimes.values()) other.isDefault = other.id === runtime.id;
      }
      finish(runtime, task);
      return;
    }
    case 'runtime/delete':
      return dropOrRestore(service.runtimes, Number(task.subject), task, done);
    case 'attachedDomain/delete':
      // The domain's own certificate goes with it.
      if (done && service.attachedDomains.get(task.subject)?.taskId === task.id) service.domainSsl.delete(task.subject);
      return dropOrRestore(service.attachedDomains, task.subject, task, done);
    case 'database/create':
      return createOrDrop(service.databases, task.subject, task, done);
    case 'database/delete':
      if (done) for (const dump of service.dumps.values()) if (dump.databaseName === task.subject) dump.orphan = true;
      return dropOrRestore(service.databases, task.subject, task, done);
    case 'dump/create': {
      const dump = service.dumps.get(Number(task.subject));
      freeDatabase(service, dump?.databaseName, task);
      return createOrDrop(service.dumps, Number(task.subject), task, done);
    }
    case 'dump/delete':
      return dropOrRestore(service.dumps, Number(task.subject), task, done);
    case 'database/restore': {
      const database = service.databases.get(task.subject);
      if (finish(database, task) && done && task.detail) service.databases.get(task.subject)?.restoredFrom.push(task.detail);
      return;
    }
    case 'module/install':
      return createOrDrop(service.modules, Number(task.subject), task, done);
    case 'module/delete':
      return dropOrRestore(service.modules, Number(task.subject), task, done);
    case 'user/create':
      return createOrDrop(service.users, task.subject, task, done);
    case 'user/delete':
      return dropOrRestore(service.users, task.subject, task, done);
    case 'hostedssl/create':
    case 'hostedssl/import': {
      if (task.certificateOf !== undefined) return settleDomainCertificate(world, service, task, done, at);
      if (service.ssl?.taskId !== task.id) return;
      const domains = task.function === 'hostedssl/create' ? validatedDomains(world, service, task, at) : (task.domains ?? []);
      if (done && domains.length > 0) {
        service.ssl.domains = domains;
        finish(service.ssl, task);
      } else {
        task.outcome = 'cancelled';
        service.ssl = null;
      }
      return;
    }
    case 'hostedssl/regenerate': {
      if (task.certificateOf !== undefined) return settleDomainCertificate(world, service, task, done, at);
      if (service.ssl?.taskId !== task.id) return;
      const domains = validatedDomains(world, service, task, at);
      if (done && domains.length > 0) service.ssl.domains = domains;
      else task.outcome = 'cancelled';
      finish(service.ssl, task);
      return;
    }
    case 'hostedssl/delete':
      if (task.certificateOf !== undefined) {
        const ssl = service.domainSsl.get(task.certificateOf);
        if (ssl?.taskId !== task.id) return;
        if (done) service.domainSsl.delete(task.certificateOf);
        else finish(ssl, task);
        return;
      }
      if (service.ssl?.taskId !== task.id) return;
      if (done) service.ssl = null;
      else finish(service.ssl, task);
      return;
  }
}

/**
 * An attached domain's own certificate: the authority validates that one domain (it must point at the hosting, and
 * CAA must let this authority issue). A failed validation cancels the task and leaves the certificate as it was — a
 * new one stays `creating` with no task, which `.../ssl/report` explains — until a regeneration validates again.
 */
function settleDomainCertificate(world: DnsWorld, service: HostingService, task: TaskRecord, done: boolean, at: number): void {
  const ssl = service.domainSsl.get(task.certificateOf as string);
  if (!ssl || ssl.taskId !== task.id) return;
  const domain = ssl.domain;
  const validation = !pointsAtHosting(world, service, domain, at) ? 'dns' : !caaAllows(world, domain, CAA_ISSUERS[ssl.provider as keyof typeof CAA_ISSUERS] ?? '', at) ? 'caa' : 'passed';
  if (done && validation === 'passed') {
    ssl.validation = 'passed';
    finish(ssl, task);
    return;
  }
  if (!done && task.function === 'hostedssl/create') {
    // Cancelled by OVH for another reason than validation: no certificate is left, as for the hosting-wide one.
    service.domainSsl.delete(domain);
    return;
  }
  task.outcome = 'cancelled';
  if (done) ssl.validation = validation;
  ssl.taskId = null;
  if (ssl.status === 'regenerating') ssl.status = 'created';
}

/** Let's Encrypt validates each domain over HTTP when its task runs: a domain that does not point at the hosting
 * is left out of the certificate (the others are still covered). */
function validatedDomains(world: DnsWorld, service: HostingService, task: TaskRecord, at: number): string[] {
  return (task.domains ?? []).filter((domain) => pointsAtHosting(world, service, domain, at));
}

function applyDomainChanges(record: AttachedDomainRecord, changes: Record<string, unknown>): void {
  if (typeof changes.path === 'string') record.path = changes.path;
  if (typeof changes.ssl === 'boolean') record.ssl = changes.ssl;
  if (changes.cdn === 'active' || changes.cdn === 'none') record.cdn = changes.cdn;
  if (changes.firewall === 'active' || changes.firewall === 'none') record.firewall = changes.firewall;
  if ('ipLocation' in changes) record.ipLocation = (changes.ipLocation as string | null) ?? null;
  if ('ownLog' in changes) record.ownLog = (changes.ownLog as string | null) ?? null;
  if ('runtimeId' in changes) record.runtimeId = (changes.runtimeId as number | null) ?? null;
}

function configValues(record: OvhConfigRecord): Pick<OvhConfigRecord, 'engineName' | 'engineVersion' | 'environment' | 'httpFirewall' | 'container'> {
  const { engineName, engineVersion, environment, httpFirewall, container } = record;
  return { engineName, engineVersion, environment, httpFirewall, container };
}

/** The configuration a change replaces stays known as an old one, which `rollback` can go back to. */
function keepAsHistorical(service: HostingService, record: OvhConfigRecord, at: number): void {
  const id = nextOvhConfigId(service);
  service.ovhConfigs.set(id, { ...record, ...configValues(record), id, creationDate: Math.min(record.creationDate, at), historical: true, status: 'created', taskId: null });
}

function notePasswordChange(state: SimulatorState, service: HostingService, change: PasswordChange): void {
  const list = state.passwordChanges.get(service.serviceName) ?? [];
  list.push(change);
  state.passwordChanges.set(service.serviceName, list);
}

function createOrDrop<K>(records: Map<K, Working>, key: K, task: TaskRecord, done: boolean): void {
  const record = records.get(key);
  if (!record || record.taskId !== task.id) return;
  if (done) finish(record, task);
  else records.delete(key);
}

function dropOrRestore<K>(records: Map<K, Working>, key: K, task: TaskRecord, done: boolean): void {
  const record = records.get(key);
  if (!record || record.taskId !== task.id) return;
  if (done) records.delete(key);
  else finish(record, task);
}

function freeDatabase(service: HostingService, name: string | undefined, task: TaskRecord): void {
  if (name) finish(service.databases.get(name), task);
}
