// What a starter (the CLI, the HTTP API, the run service, a schedule) hands a workflow: a parsed input. These guards
// check its shape only — types, not rules, no zod — so a workflow can refuse garbage cheaply (a number where a name
// belongs would otherwise fail every workflow task, e.g. as a search attribute value). The rules were applied by
// the parser that produced the value.
import { isRecord } from './issues.js';
// Types only from the zod modules: `import type` is erased, so the workflow bundle never sees them.
import type { CreateFtpUserInput, DeleteFtpUserInput, UpdateFtpUserInput } from './ftp-user.js';
import type { RotateCredentialsInput } from './rotate.js';
import type { UpdateAttachedDomainInput } from './domain-update.js';
import type { NightlyDumpsInput } from './nightly-dumps.js';
import type { ProvisionSiteInput } from './provision-site-rules.js';
import type { DecommissionSiteInput } from './decommission.js';
import type { DeployWebsiteInput } from './deploy.js';
import type { RenewCertificateInput } from './renew-certificate.js';
import type { BackupDatabaseInput } from './backup.js';
import type { RestoreDatabaseInput } from './restore.js';
import type { SetPhpConfigInput } from './php-config.js';
import type { SetEnvVarsInput } from './env-vars.js';
import type { CronJobInput } from './cron.js';
import type { ApplyFleetInput } from '../apply.js';

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isOptional = (value: unknown, is: (value: unknown) => boolean) => value === undefined || is(value);

export function isParsedProvisionSiteInput(raw: unknown): raw is ProvisionSiteInput {
  return (
    isRecord(raw) &&
    isText(raw.serviceName) &&
    isText(raw.domain) &&
    isText(raw.path) &&
    isRecord(raw.ssl) &&
    isText(raw.ssl.mode) &&
    isOptional(raw.database, (db) => isRecord(db) && isText(db.type) && isText(db.capability)) &&
    isOptional(raw.module, (module) => isRecord(module) && isOptional(module.adminName, isText) && (typeof module.id === 'number' || isText(module.name))) &&
    isOptional(raw.stepDeadlineMinutes, (minutes) => typeof minutes === 'number') &&
    isOptional(raw.dns, isText) &&
    isOptional(raw.dnsDeadlineMinutes, (minutes) => typeof minutes === 'number') &&
    isOptional(raw.php, isRecord) &&
    isOptional(raw.env, Array.isArray) &&
    isOptional(raw.git, (git) => isRecord(git) && isText(git.repository) && isText(git.branch)) &&
    isOptional(raw.cron, Array.isArray)
  );
}

export function isParsedCreateFtpUserInput(raw: unknown): raw is CreateFtpUserInput {
  return isRecord(raw) && isText(raw.serviceName) && isText(raw.login) && isText(raw.home) && isText(raw.sshState) && isOptional(raw.password, isText);
}

export function isParsedNightlyDumpsInput(raw: unknown): raw is NightlyDumpsInput {
  return isRecord(raw) && Array.isArray(raw.services) && raw.services.every(isText) && typeof raw.concurrency === 'number' && raw.concurrency >= 1;
}

export function isParsedRenewCertificateInput(raw: unknown): raw is RenewCertificateInput {
  if (!isRecord(raw) || !isText(raw.serviceName) || typeof raw.confirmed !== 'boolean') return false;
  if (raw.mode === 'letsencrypt') return isOptional(raw.domain, isText);
  return raw.mode === 'custom' && isText(raw.certificate) && isText(raw.key) && isOptional(raw.chain, isText) && isOptional(raw.currentCertificate, isText);
}

export function isParsedDecommissionSiteInput(raw: unknown): raw is DecommissionSiteInput {
  return isRecord(raw) && isText(raw.serviceName) && isText(raw.domain) && isOptional(raw.path, isText) && typeof raw.confirmed === 'boolean';
}

export function isParsedUpdateAttachedDomainInput(raw: unknown): raw is UpdateAttachedDomainInput {
  return (
    isRecord(raw) &&
    isText(raw.serviceName) &&
    isText(raw.domain) &&
    isOptional(raw.path, isText) &&
    isOptional(raw.ssl, (ssl) => typeof ssl === 'boolean') &&
    isOptional(raw.cdn, isText) &&
    isOptional(raw.firewall, isText) &&
    isOptional(raw.ownLog, isText) &&
    isOptional(raw.runtimeId, (id) => typeof id === 'number') &&
    isOptional(raw.ipLocation, isText) &&
    isOptional(raw.bypassDNSConfiguration, (bypass) => typeof bypass === 'boolean')
  );
}

export function isParsedUpdateFtpUserInput(raw: unknown): raw is UpdateFtpUserInput {
  return isRecord(raw) && isText(raw.serviceName) && isText(raw.login) && isOptional(raw.home, isText) && isOptional(raw.sshState, isText) && (raw.home !== undefined || raw.sshState !== undefined);
}

export function isParsedDeleteFtpUserInput(raw: unknown): raw is DeleteFtpUserInput {
  return isRecord(raw) && isText(raw.serviceName) && isText(raw.login) && typeof raw.confirmed === 'boolean';
}

export function isParsedRotateCredentialsInput(raw: unknown): raw is RotateCredentialsInput {
  if (!isRecord(raw) || !isText(raw.serviceName) || !isRecord(raw.target)) return false;
  const target = raw.target;
  switch (target.kind) {
    case 'ftp-user':
      return isText(target.login);
    case 'module':
      return (typeof target.id === 'number' || isText(target.domain)) && isOptional(target.path, isText);
    case 'database':
      return isText(target.name) && typeof target.evenIfUsedByCms === 'boolean';
    default:
      return false;
  }
}

export function isParsedBackupDatabaseInput(raw: unknown): raw is BackupDatabaseInput {
  return isRecord(raw) && isText(raw.serviceName) && isText(raw.databaseName) && typeof raw.sendEmail === 'boolean';
}

/** A restore's `confirmed` must be a boolean: a `"no"` from a hand-made start must never count as a go-ahead. */
export function isParsedRestoreDatabaseInput(raw: unknown): raw is RestoreDatabaseInput {
  if (!isRecord(raw) || !isText(raw.serviceName) || !isText(raw.databaseName)) return false;
  if (typeof raw.safetyDump !== 'boolean' || typeof raw.confirmed !== 'boolean' || !isRecord(raw.dump)) return false;
  const dump = raw.dump;
  return typeof dump.id === 'number' || dump.latest === true || isText(dump.latestBefore) || isText(dump.ovhBackup);
}

export function isParsedSetPhpConfigInput(raw: unknown): raw is SetPhpConfigInput {
  return (
    isRecord(raw) &&
    isText(raw.serviceName) &&
    typeof raw.path === 'string' &&
    (['engineName', 'engineVersion', 'environment', 'httpFirewall', 'container'] as const).some((key) => isText(raw[key])) &&
    (['engineName', 'engineVersion', 'environment', 'httpFirewall', 'container'] as const).every((key) => isOptional(raw[key], isText)) &&
    isOptional(raw.stepDeadlineMinutes, (minutes) => typeof minutes === 'number')
  );
}

export function isParsedSetEnvVarsInput(raw: unknown): raw is SetEnvVarsInput {
  return (
    isRecord(raw) &&
    isText(raw.serviceName) &&
    Array.isArray(raw.set) &&
    raw.set.every((setting) => isRecord(setting) && isText(setting.name) && isText(setting.type) && isText(setting.value)) &&
    Array.isArray(raw.unset) &&
    raw.unset.every(isText) &&
    raw.set.length + raw.unset.length > 0 &&
    isOptional(raw.stepDeadlineMinutes, (minutes) => typeof minutes === 'number')
  );
}

export function isParsedDeployWebsiteInput(raw: unknown): raw is DeployWebsiteInput {
  return (
    isRecord(raw) &&
    isText(raw.serviceName) &&
    isText(raw.path) &&
    isText(raw.repository) &&
    isText(raw.branch) &&
    typeof raw.reset === 'boolean' &&
    typeof raw.confirmed === 'boolean' &&
    isOptional(raw.stepDeadlineMinutes, (minutes) => typeof minutes === 'number')
  );
}

export function isParsedCronJobInput(raw: unknown): raw is CronJobInput {
  return (
    isRecord(raw) &&
    isText(raw.serviceName) &&
    (raw.action === 'add' || raw.action === 'update' || raw.action === 'delete') &&
    isText(raw.command) &&
    (['frequency', 'language', 'description', 'email', 'status'] as const).every((key) => isOptional(raw[key], (value) => typeof value === 'string')) &&
    (raw.action !== 'add' || isText(raw.frequency)) &&
    isOptional(raw.stepDeadlineMinutes, (minutes) => typeof minutes === 'number')
  );
}

export function isParsedApplyFleetInput(raw: unknown): raw is ApplyFleetInput {
  return (
    isRecord(raw) &&
    Array.isArray(raw.tasks) &&
    raw.tasks.every((task) => isRecord(task) && isText(task.account) && isText(task.serviceName) && Array.isArray(task.changes) && task.changes.every((c) => isRecord(c) && isText(c.runType) && isRecord(c.input) && isText(c.requestId))) &&
    typeof raw.parallel === 'number' &&
    raw.parallel >= 1 &&
    isRecord(raw.accounts) &&
    Array.isArray(raw.accounts.names)
  );
}
