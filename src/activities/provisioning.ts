// provisionSite's activities. Each write is an *ensure*: it first looks for the resource (or the task already
// creating it), so a retry after a lost answer adopts its own earlier write instead of creating a second resource.
// Whether a resource existed BEFORE the run is decided once, by a read-only inspect activity the workflow calls
// first, so compensation only ever undoes what this run created.
import { createHash } from 'node:crypto';
import { checkCertificateMaterial } from '../inputs/certificate.js';
import { BLOCKED_SERVICE_STATES } from '../shared/inputs/ovh-enums.js';
import { registerSecretValue } from '../logging/secret-values.js';
import type { OvhClient } from '../ovh/client.js';
import type { ModuleCatalogEntry } from '../ovh/types.js';
import type { PasswordDeriver } from '../secrets/derived-passwords.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import {
  attachedDomainDifferences,
  attachedDomainOptionsOf,
  cmsAdminNameIssue,
  describeDifferences,
  type AttachedDomainOptions,
  databaseUser,
  databaseUserIssue,
  DEFAULT_ADMIN_NAME,
  defaultAdminName,
  findKnownModuleInCatalog,
  formatIssues,
  KNOWN_MODULES,
  knownModuleOfCatalogName,
  parseProvisionSiteInput,
  type DatabaseSpec,
  type ProvisionSiteInput,
} from '../shared/inputs/index.js';
import type { ProvisioningContext, RunSecretRef } from '../shared/provision.js';
import { Context } from '@temporalio/activity';
import type { PollSchedule } from '../shared/hosting-tasks.js';
import { elapsedSeconds, untilFirstCheck, waitId } from './hosting-tasks.js';
import { taskDurations } from './task-durations.js';
import { ovhCall, permanentFailure, stillPending } from './failures.js';
import { findInstalledModule } from './module-lookup.js';
import { settingsOf } from './attached-domains.js';
import { currentOvhConfigAt, offered } from './php-config.js';
import { phpOfferRefusal } from '../shared/php-config.js';
import type { PhpSettings } from '../shared/inputs/php-config.js';

export interface ProvisioningDeps {
  ovh: OvhClient;
  passwords: PasswordDeriver;
}

/** What inspect activities find before the run writes anything. */
export type Existing<T> = { state: 'absent' } | ({ state: 'matching' } & T) | { state: 'different'; message: string };

const isNotFound = (error: unknown) => (error as { type?: string })?.type === FAILURE_TYPES.notFound;

/** The hosting service, which must exist for this account and be `active` (OVH refuses every write otherwise). */
/** Blocked hostings (OVH's 2026 states included) take no change: say why and who can lift it, not just "not active". */
export function notActive(serviceName: string, state: string) {
  const blocked = (BLOCKED_SERVICE_STATES as readonly string[]).includes(state);
  if (!blocked) return permanentFailure(FAILURE_TYPES.preconditionFailed, `hosting service "${serviceName}" is ${state}, not active`);
  const hard = state.startsWith('hard');
  return permanentFailure(
    FAILURE_TYPES.preconditionFailed,
    `hosting service "${serviceName}" is ${state} by OVH${hard ? ' (hard block: the sites are offline too)' : ''}: OVH accepts no change to it, nothing was done`,
    { hint: `see why in the OVHcloud Control Panel (an unpaid bill, an abuse report, a security block) and have OVH unblock ${serviceName}, then start again` },
  );
}

export async function requireActiveService(ovh: OvhClient, serviceName: string) {
  const service = await orUndefined(() => ovh.getService(serviceName));
  if (!service) {
    throw permanentFailure(FAILURE_TYPES.notFound, `hosting service "${serviceName}" not found for this OVH account`, {
      hint: 'check the service name with `ovhflow ls services`',
    });
  }
  if (service.state !== 'active') throw notActive(serviceName, service.state);
  return service;
}

/** A read that answers undefined when OVH says 404. */
export async function orUndefined<T>(call: () => Promise<T>): Promise<T | undefined> {
  try {
    return await ovhCall(call);
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** A short, stable suffix per domain, so two sites on one hosting never share a database user. */
export function defaultUserSuffix(domain: string): string {
  const letter = /[a-z]/.exec(domain)?.[0] ?? 'd';
  const hash = BigInt(`0x${createHash('sha256').update(domain).digest('hex').slice(0, 12)}`).toString(36);
  return `${letter}${hash.slice(0, 3)}`;
}

/**
 * Whether an ensure may skip its own look-up: the workflow just saw the resource absent (`knownAbsent`, from
 * preflight or inspect) and this is the activity's first attempt. Any retry — the answer of a write may have been
 * lost after OVH applied it — looks first, as always, and adopts what the lost answer created.
 */
function mayTrust(knownAbsent: boolean | undefined): boolean {
  return knownAbsent === true && Context.current().info.attempt === 1;
}

export function createProvisioningActivities({ ovh, passwords }: ProvisioningDeps) {
  const databasePassword = (run: RunSecretRef, user: string) => passwords.derive('database', `${run.runKey}|db|${user}`, run.keyId);
  const adminPassword = (run: RunSecretRef, domain: string) => passwords.derive('moduleAdmin', `${run.runKey}|admin|${domain}`, run.keyId);

  return {
    /** Everything checkable before the first write: inputs, the service, the offer's room, the module's catalog id. */
    async preflightProvisioning(raw: ProvisionSiteInput): Promise<ProvisioningContext> {
      const parsed = parseProvisionSiteInput(raw);
      if (!parsed.ok) throw permanentFailure(FAILURE_TYPES.invalidInput, formatIssues(parsed.issues));
      const input = parsed.value;
      if (input.ssl.mode === 'custom') {
        registerSecretValue(input.ssl.key);
        const issues = checkCertificateMaterial(input.ssl, { domain: input.domain });
        if (issues.length > 0) throw permanentFailure(FAILURE_TYPES.invalidInput, formatIssues(issues));
      }

      const service = await requireActiveService(ovh, input.serviceName);

      const userSuffix = input.database?.userSuffix ?? defaultUserSuffix(input.domain);
      const dbUser = input.database ? databaseUser(service.primaryLogin, userSuffix) : undefined;
      if (input.database) {
        const issue = databaseUserIssue(service.primaryLogin, userSuffix);
        if (issue) throw permanentFailure(FAILURE_TYPES.invalidInput, `database.userSuffix: ${issue}`);
      }

      const found = await checkOfferRoom(ovh, input, service.offer, dbUser);

      if (input.php) await checkPhpOffer(ovh, input.serviceName, input.path, input.php);

      let module: ProvisioningContext['module'];
      if (input.module) {
        const entry = await resolveModule(ovh, input.module);
        checkModuleChoices(entry, input.module, input.domain);
        module = { id: entry.id, name: entry.name, version: entry.version };
      }
      return {
        primaryLogin: service.primaryLogin,
        offer: service.offer,
        databaseUser: dbUser,
        module,
        secretKeyId: passwords.activeKeyId,
        found,
        ...(service.multipleSSL === false ? { multipleSsl: false } : {}),
      };
    },

    /** Options the run does not ask for never conflict: OVH keeps what the domain has. */
    async inspectAttachedDomain(args: { serviceName: string; domain: string; path: string; ssl: boolean } & AttachedDomainOptions): Promise<Existing<{ status: string }>> {
      const found = await orUndefined(() => ovh.getAttachedDomain(args.serviceName, args.domain));
      if (!found) return { state: 'absent' };
      const differences = attachedDomainDifferences(settingsOf(found), args);
      if (differences.length > 0) {
        return { state: 'different', message: `${args.domain} is already attached to ${args.serviceName} with other settings: ${describeDifferences(differences)}` };
      }
      return { state: 'matching', status: found.status };
    },

    /** Attaches the domain unless a previous attempt of this run already did; answers the task to wait for. */
    async attachDomain(args: { serviceName: string; domain: string; path: string; ssl: boolean; knownAbsent?: boolean } & AttachedDomainOptions): Promise<{ taskId?: number }> {
      if (!mayTrust(args.knownAbsent)) {
        const existing = await orUndefined(() => ovh.getAttachedDomain(args.serviceName, args.domain));
        if (existing) return { taskId: existing.status === 'created' ? undefined : (existing.taskId ?? undefined) };
      }
      const body = { domain: args.domain, path: args.path, ssl: args.ssl, ...attachedDomainOptionsOf(args) };
      const task = await ovhCall(() => ovh.attachDomain(args.serviceName, body));
      return { taskId: task.id };
    },

    async detachDomain(args: { serviceName: string; domain: string }): Promise<{ taskId?: number }> {
      const existing = await orUndefined(() => ovh.getAttachedDomain(args.serviceName, args.domain));
      if (!existing) return {};
      if (existing.status === 'deleting') return { taskId: existing.taskId ?? undefined };
      const task = await ovhCall(() => ovh.detachDomain(args.serviceName, args.domain));
      return { taskId: task.id };
    },

    async inspectDatabase(args: { serviceName: string; user: string; spec: DatabaseSpec }): Promise<Existing<{ name: string; status: string }>> {
      const names = await ovhCall(() => ovh.listDatabases(args.serviceName, { user: args.user }));
      const name = names[0];
      if (!name) return { state: 'absent' };
      const db = await ovhCall(() => ovh.getDatabase(args.serviceName, name));
      const differences = [
        db.type !== args.spec.type ? `type is ${db.type} (asked ${args.spec.type})` : undefined,
        args.spec.version && db.version !== args.spec.version ? `version is ${db.version} (asked ${args.spec.version})` : undefined,
      ].filter(Boolean);
      if (differences.length > 0) {
        return { state: 'different', message: `database user ${args.user} already exists on ${args.serviceName} with other settings: ${differences.join(', ')}` };
      }
      return { state: 'matching', name: db.name, status: db.status };
    },

    async createDatabase(args: {
      runKey: RunSecretRef;
      serviceName: string;
      user: string;
      spec: DatabaseSpec;
      knownAbsent?: boolean;
    }): Promise<{ taskId?: number; name?: string; password?: string }> {
      // Lean runs (knownAbsent given) get the password back here: the wait's last check describes the database.
      const password = args.knownAbsent === undefined ? {} : { password: databasePassword(args.runKey, args.user) };
      if (!mayTrust(args.knownAbsent)) {
        const names = await ovhCall(() => ovh.listDatabases(args.serviceName, { user: args.user }));
        if (names[0]) {
          const db = await ovhCall(() => ovh.getDatabase(args.serviceName, names[0] as string));
          return { name: db.name, taskId: db.status === 'created' ? undefined : (db.taskId ?? undefined), ...password };
        }
      }
      const task = await ovhCall(() =>
        ovh.createDatabase(args.serviceName, {
          capabilitie: args.spec.capability,
          type: args.spec.type,
          user: args.user,
          password: databasePassword(args.runKey, args.user),
          ...(args.spec.quota !== undefined ? { quota: args.spec.quota } : {}),
          ...(args.spec.version !== undefined ? { version: args.spec.version } : {}),
        }),
      );
      return { taskId: task.id, ...password };
    },

    /** The database's coordinates once it exists; the password is re-derived, never read back from anywhere. */
    async describeDatabase(args: { runKey: RunSecretRef; serviceName: string; user: string; withPassword: boolean }) {
      const names = await ovhCall(() => ovh.listDatabases(args.serviceName, { user: args.user }));
      const name = names[0];
      if (!name) throw permanentFailure(FAILURE_TYPES.resourceNotReady, `no database with user ${args.user} on ${args.serviceName}`);
      const db = await ovhCall(() => ovh.getDatabase(args.serviceName, name));
      return {
        name: db.name,
        server: db.server ?? '',
        port: db.port,
        user: db.user,
        ...(args.withPassword ? { password: databasePassword(args.runKey, db.user) } : {}),
      };
    },

    async deleteDatabase(args: { serviceName: string; name: string }): Promise<{ taskId?: number }> {
      const existing = await orUndefined(() => ovh.getDatabase(args.serviceName, args.name));
      if (!existing) return {};
      if (existing.status === 'deleting') return { taskId: existing.taskId ?? undefined };
      const task = await ovhCall(() => ovh.deleteDatabase(args.serviceName, args.name));
      return { taskId: task.id };
    },

    async inspectModule(args: { serviceName: string; domain: string; path: string; moduleId: number }): Promise<Existing<{ id: number; status: string }>> {
      const found = await ovhCall(() => findInstalledModule(ovh, args.serviceName, args.domain, args.path));
      if (!found) return { state: 'absent' };
      if (found.moduleId !== args.moduleId) {
        return { state: 'different', message: `another module (catalog id ${found.moduleId}) is already installed at ${args.domain}/${args.path}` };
      }
      return { state: 'matching', id: found.id, status: found.status };
    },

    async installModule(args: {
      runKey: RunSecretRef;
      serviceName: string;
      domain: string;
      path: string;
      moduleId: number;
      language?: string;
      /** Absent: the CMS's default login (an e-mail address at the domain for PrestaShop). */
      adminName?: string;
      database: { name: string; server: string; port: number; user: string };
      knownAbsent?: boolean;
    }): Promise<{ taskId?: number; adminPassword?: string }> {
      const password = args.knownAbsent === undefined ? {} : { adminPassword: adminPassword(args.runKey, args.domain) };
      if (!mayTrust(args.knownAbsent)) {
        const existing = await ovhCall(() => findInstalledModule(ovh, args.serviceName, args.domain, args.path));
        if (existing) return { taskId: existing.status === 'created' ? undefined : (existing.taskId ?? undefined), ...password };
      }
      // Each CMS its own table prefix and admin rules (KNOWN_MODULES); a module ovhflow does not know keeps OVH's.
      const cms = knownModuleOfCatalogName((await catalogEntry(ovh, args.moduleId)).name);
      const adminName = args.adminName ?? (cms ? defaultAdminName(cms, args.domain) : DEFAULT_ADMIN_NAME);
      const adminIssue = cms ? cmsAdminNameIssue(cms, adminName) : undefined;
      if (adminIssue) {
        throw permanentFailure(FAILURE_TYPES.invalidInput, `module.adminName: ${adminIssue}`, { hint: 'retry with --set module.adminName=... (nothing was installed)' });
      }
      const task = await ovhCall(() =>
        ovh.installModule(args.serviceName, {
          moduleId: args.moduleId,
          domain: args.domain,
          path: args.path,
          language: args.language ?? 'en',
          adminName,
          adminPassword: adminPassword(args.runKey, args.domain),
          dependencies: [
            {
              type: 'mysql',
              name: args.database.name,
              server: args.database.server,
              port: args.database.port,
              user: args.database.user,
              password: databasePassword(args.runKey, args.database.user),
              ...(cms ? { prefix: KNOWN_MODULES[cms].tablePrefix.default } : {}),
            },
          ],
        }),
      );
      return { taskId: task.id, ...password };
    },

    async describeModule(args: { runKey: RunSecretRef; serviceName: string; domain: string; path: string; withPassword: boolean }) {
      const found = await ovhCall(() => findInstalledModule(ovh, args.serviceName, args.domain, args.path));
      if (!found) throw permanentFailure(FAILURE_TYPES.resourceNotReady, `no module installed at ${args.domain}/${args.path}`);
      return {
        id: found.id,
        moduleId: found.moduleId,
        url: found.targetUrl,
        adminName: found.adminName,
        ...(args.withPassword ? { adminPassword: adminPassword(args.runKey, args.domain) } : {}),
      };
    },

    async deleteModule(args: { serviceName: string; domain: string; path: string }): Promise<{ taskId?: number }> {
      const found = await ovhCall(() => findInstalledModule(ovh, args.serviceName, args.domain, args.path));
      if (!found) return {};
      if (found.status === 'deleting') return { taskId: found.taskId ?? undefined };
      const task = await ovhCall(() => ovh.deleteModule(args.serviceName, found.id));
      return { taskId: task.id };
    },

    /** `knownUncovered`: the run attached the domain itself, so no certificate can cover it yet (no need to list). */
    async inspectSsl(args: { serviceName: string; domain: string; knownUncovered?: boolean }) {
      const ssl = await ovhCall(() => ovh.getSsl(args.serviceName));
      if (!ssl) return { exists: false as const };
      if (args.knownUncovered) return { exists: true as const, status: ssl.status, provider: ssl.provider, covers: false };
      const domains = await ovhCall(() => ovh.listSslDomains(args.serviceName));
      return { exists: true as const, status: ssl.status, provider: ssl.provider, covers: domains.includes(args.domain) };
    },

    /** Orders Let's Encrypt or installs the custom certificate, unless a previous attempt already did. */
    async orderSsl(args: { serviceName: string; custom?: { certificate: string; key: string; chain?: string }; knownAbsent?: boolean }) {
      if (!mayTrust(args.knownAbsent)) {
        const existing = await ovhCall(() => ovh.getSsl(args.serviceName));
        if (existing) return { status: existing.status, provider: existing.provider };
      }
      registerSecretValue(args.custom?.key);
      try {
        const ssl = await ovhCall(() => ovh.orderSsl(args.serviceName, args.custom));
        return { status: ssl.status, provider: ssl.provider };
      } catch (error) {
        // Another run ordered Let's Encrypt for this hosting meanwhile (409: it has one now): that order covers every
        // domain with SSL on, this one included; the wait that follows sees it through.
        if (args.custom || (error as { type?: string }).type !== FAILURE_TYPES.conflict) throw error;
        const existing = await ovhCall(() => ovh.getSsl(args.serviceName));
        if (existing?.provider !== 'LETSENCRYPT') throw error;
        return { status: existing.status, provider: existing.provider };
      }
    },

    /**
     * The hosting-wide certificate made to cover `domain`, where the per-domain call is refused: one check per
     * attempt of a waiting activity. A certificate busy with another run's task (`creating`, `regenerating`, or OVH's
     * 409 "busy") is waited out by the retry policy — it passes by itself — and never handed to an operator.
     */
    async regenerateSslWhenIdle(args: { serviceName: string; domain: string }) {
      const existing = await ovhCall(() => ovh.getSsl(args.serviceName));
      if (!existing) {
        // An order OVH cancelled leaves no certificate: say that (the operator's retry orders it again).
        await failIfSslTaskCancelled(ovh, args.serviceName);
        throw permanentFailure(FAILURE_TYPES.resourceNotReady, `${args.serviceName} has no certificate to regenerate`);
      }
      if (existing.status !== 'created') throw stillPending(`the hosting's certificate is busy (${existing.status}): waiting for it to settle`);
      const domains = await ovhCall(() => ovh.listSslDomains(args.serviceName));
      if (domains.includes(args.domain)) return { status: existing.status, provider: existing.provider };
      try {
        const ssl = await ovhCall(() => ovh.regenerateSsl(args.serviceName));
        return { status: ssl.status, provider: ssl.provider };
      } catch (error) {
        if ((error as { type?: string }).type === FAILURE_TYPES.conflict) throw stillPending(`the hosting's certificate is busy: ${(error as Error).message}`);
        throw error;
      }
    },

    /** Regenerates the certificate to cover a newly attached domain, unless a regeneration is already running. */
    async regenerateSsl(args: { serviceName: string; domain: string; knownUncovered?: boolean; renewal?: boolean }) {
      if (!mayTrust(args.knownUncovered)) {
        const existing = await ovhCall(() => ovh.getSsl(args.serviceName));
        if (existing?.status === 'regenerating') return { status: existing.status, provider: existing.provider };
        // A renewal regenerates a certificate that already covers its domains: coverage says nothing about it.
        if (args.renewal) return await ovhCall(() => ovh.regenerateSsl(args.serviceName)).then((ssl) => ({ status: ssl.status, provider: ssl.provider }));
        const domains = await ovhCall(() => ovh.listSslDomains(args.serviceName));
        if (existing && domains.includes(args.domain)) return { status: existing.status, provider: existing.provider };
      }
      const ssl = await ovhCall(() => ovh.regenerateSsl(args.serviceName));
      return { status: ssl.status, provider: ssl.provider };
    },

    /**
     * One check per attempt, like waitForHostingTask: done when the certificate is `created` and covers the domain.
     * When it is not there or does not cover the domain although nothing is running, OVH's latest certificate task
     * tells why: a cancelled order or regeneration is `OvhTaskCancelled` at once (the operator retries it), not a
     * vanished certificate or a wait until the step deadline.
     */
    async waitForSsl(args: { serviceName: string; domain: string; poll?: PollSchedule; without?: boolean }) {
      const { attempt } = Context.current().info;
      const kind = 'ssl:covers';
      // As in waitForHostingTask: a first attempt checks after untilFirstCheck, so it has done one check.
      const next = () => (args.poll ? taskDurations.stillRunning(kind, waitId(), elapsedSeconds(), Math.max(1, attempt - 1), args.poll) : undefined);
      if (args.poll && attempt === 1) await untilFirstCheck(kind, args.poll);
      const ssl = await ovhCall(() => ovh.getSsl(args.serviceName));
      if (!ssl) {
        await failIfSslTaskCancelled(ovh, args.serviceName);
        throw permanentFailure(FAILURE_TYPES.resourceNotReady, `${args.serviceName} has no certificate any more`);
      }
      if (ssl.status !== 'created') throw stillPending(`certificate is ${ssl.status}`, undefined, next());
      const domains = await ovhCall(() => ovh.listSslDomains(args.serviceName));
      // `without`: a regeneration after a domain was detached (decommission) is done when the domain is no longer named.
      if (domains.includes(args.domain) === Boolean(args.without)) {
        await failIfSslTaskCancelled(ovh, args.serviceName);
        throw stillPending(`certificate ${args.without ? 'still covers' : 'does not cover'} ${args.domain} yet`, undefined, next());
      }
      if (args.poll) taskDurations.done(kind, waitId(), elapsedSeconds());
      return { status: ssl.status, provider: ssl.provider };
    },

    async deleteSsl(args: { serviceName: string }) {
      const existing = await ovhCall(() => ovh.getSsl(args.serviceName));
      if (!existing || existing.status === 'deleting') return {};
      await ovhCall(() => ovh.deleteSsl(args.serviceName));
      return {};
    },
  };
}

/** The task functions that create or change a hosting's certificate. */
const SSL_TASK_FUNCTIONS = ['hostedssl/create', 'hostedssl/import', 'hostedssl/regenerate'];

/** Throws `OvhTaskCancelled` when OVH's latest certificate task of the hosting was cancelled. */
async function failIfSslTaskCancelled(ovh: OvhClient, serviceName: string): Promise<void> {
  const ids = (await Promise.all(SSL_TASK_FUNCTIONS.map((fn) => ovhCall(() => ovh.listTasks(serviceName, { function: fn }))))).flat();
  if (ids.length === 0) return;
  const task = await orUndefined(() => ovh.getTask(serviceName, Math.max(...ids)));
  if (task?.status === 'cancelled') {
    throw permanentFailure(FAILURE_TYPES.taskCancelled, `OVH cancelled task ${task.id} (${task.function})`, {
      hint: `task ${task.id} (${task.function}) was cancelled by OVH; retry orders the certificate again`,
    });
  }
}


/** Catalog entries already read, per client: every provisioning of a worker resolves its module from the same few. */
const catalogEntries = new WeakMap<OvhClient, Map<number, ModuleCatalogEntry>>();

async function catalogEntry(ovh: OvhClient, id: number): Promise<ModuleCatalogEntry> {
  let known = catalogEntries.get(ovh);
  if (!known) catalogEntries.set(ovh, (known = new Map()));
  let entry = known.get(id);
  if (!entry) {
    entry = await ovhCall(() => ovh.getModuleCatalogEntry(id));
    known.set(id, entry);
  }
  return entry;
}

/**
 * Which catalog entries are the latest active versions changes when OVH publishes a CMS release (a few times a
 * month): a worker reads the listing at most every ten minutes. An entry that went stale in between still installs,
 * or OVH refuses it and the step asks an operator.
 */
const LATEST_CATALOG_TTL_MS = 10 * 60_000;
const latestCatalog = new WeakMap<OvhClient, { at: number; ids: Promise<number[]> }>();

function latestCatalogIds(ovh: OvhClient): Promise<number[]> {
  const cached = latestCatalog.get(ovh);
  if (cached && Date.now() - cached.at < LATEST_CATALOG_TTL_MS) return cached.ids;
  const ids = ovhCall(() => ovh.listModuleCatalog({ active: true, latest: true }));
  latestCatalog.set(ovh, { at: Date.now(), ids });
  ids.catch(() => latestCatalog.delete(ovh));
  return ids;
}

/**
 * What the input chose for the module, against what the catalog entry says of it: the language must be one it ships
 * in, and the admin login must follow the CMS's rules (a module named by id is only known to be, say, PrestaShop here).
 */
function checkModuleChoices(entry: ModuleCatalogEntry, module: NonNullable<ProvisionSiteInput['module']>, domain: string): void {
  const label = `${entry.name} ${entry.version}`;
  if (module.language && Array.isArray(entry.language) && entry.language.length > 0 && !entry.language.includes(module.language)) {
    throw permanentFailure(FAILURE_TYPES.invalidInput, `module.language: ${label} is not offered in "${module.language}"; it is in ${entry.language.join(', ')}`);
  }
  const cms = knownModuleOfCatalogName(entry.name);
  const adminName = module.adminName ?? (cms ? defaultAdminName(cms, domain) : undefined);
  const issue = cms && adminName !== undefined ? cmsAdminNameIssue(cms, adminName) : undefined;
  if (issue) throw permanentFailure(FAILURE_TYPES.invalidInput, `module.adminName: ${issue}`);
}

async function resolveModule(ovh: OvhClient, module: NonNullable<ProvisionSiteInput['module']>): Promise<ModuleCatalogEntry> {
  if (module.id !== undefined) {
    const entry = await orUndefined(() => ovh.getModuleCatalogEntry(module.id));
    if (!entry) throw permanentFailure(FAILURE_TYPES.invalidInput, `module.id: ${module.id} is not in OVH's module catalog (see \`ovhflow ls modules\`)`);
    if (!entry.active) throw permanentFailure(FAILURE_TYPES.invalidInput, `module.id: ${module.id} (${entry.name} ${entry.version}) is no longer offered`);
    return entry;
  }
  const name = module.name;
  // OVH's catalog holds every version of every CMS (one read each): ask for the latest active ones first, whose
  // flags the listing itself vouches for, so an entry read once can be reused (a catalog id's name, version and
  // branch never change); only when no latest version fits, read the whole active catalog afresh.
  const latestIds = await latestCatalogIds(ovh);
  const latest = [];
  for (const id of latestIds) latest.push({ ...(await catalogEntry(ovh, id)), active: true, latest: true });
  let entry = findKnownModuleInCatalog(name, latest);
  if (!entry) {
    const ids = await ovhCall(() => ovh.listModuleCatalog({ active: true }));
    const entries = [];
    for (const id of ids) entries.push(await ovhCall(() => ovh.getModuleCatalogEntry(id)));
    entry = findKnownModuleInCatalog(name, entries);
  }
  if (!entry) throw permanentFailure(FAILURE_TYPES.invalidInput, `module.name: OVH's catalog offers no active ${KNOWN_MODULES[name].displayName}`);
  return entry;
}

/** An offer's capabilities never change: read once per worker and offer. */
const offerCapabilities = new WeakMap<OvhClient, Map<string, Promise<Awaited<ReturnType<OvhClient['getOfferCapabilities']>> | undefined>>>();

function capabilitiesOf(ovh: OvhClient, offer: string) {
  let known = offerCapabilities.get(ovh);
  if (!known) offerCapabilities.set(ovh, (known = new Map()));
  let entry = known.get(offer);
  if (!entry) {
    entry = orUndefined(() => ovh.getOfferCapabilities(offer));
    known.set(offer, entry);
    entry.catch(() => known.delete(offer));
  }
  return entry;
}

/**
 * The offer's room for one more domain and database, and — from the same listings — whether the domain is already
 * attached and the database already exists (what the steps would otherwise each read again).
 */
async function checkOfferRoom(ovh: OvhClient, input: ProvisionSiteInput, offer: string, dbUser?: string): Promise<ProvisioningContext['found']> {
  const attached = await ovhCall(() => ovh.listAttachedDomains(input.serviceName));
  const databases = input.database && dbUser ? await ovhCall(() => ovh.listDatabases(input.serviceName)) : [];
  // OVH names a shared database after its user.
  const found = { domainAttached: attached.includes(input.domain), databaseExists: dbUser !== undefined && databases.includes(dbUser) };
  const capabilities = await capabilitiesOf(ovh, offer);
  if (!capabilities) return found; // an offer OVH does not describe: let OVH itself refuse if it must
  if (!attached.includes(input.domain) && attached.length >= capabilities.attachedDomains) {
    throw permanentFailure(
      FAILURE_TYPES.preconditionFailed,
      `offer ${offer} allows ${capabilities.attachedDomains} attached domains and ${input.serviceName} already has ${attached.length}`,
      { hint: 'detach a domain or upgrade the offer, then retry' },
    );
  }
  if (input.database && dbUser) {
    const allowance = capabilities.databases.find((d) => d.type === input.database?.capability);
    if (allowance && !found.databaseExists && databases.length >= allowance.available) {
      throw permanentFailure(
        FAILURE_TYPES.preconditionFailed,
        `offer ${offer} allows ${allowance.available} ${input.database.capability} databases and ${input.serviceName} already has ${databases.length}`,
        { hint: 'delete a database or order more, then retry' },
      );
    }
  }
  return found;
}

/** A PHP version or container the hosting does not offer is refused at preflight, before the domain is attached. */
async function checkPhpOffer(ovh: OvhClient, serviceName: string, path: string, asked: PhpSettings): Promise<void> {
  if (asked.engineVersion === undefined && asked.container === undefined) return;
  const [capabilities, current] = await Promise.all([ovhCall(() => ovh.getOvhConfigCapabilities(serviceName)), ovhCall(() => currentOvhConfigAt(ovh, serviceName, path))]);
  const refusal = phpOfferRefusal(offered(capabilities), current ?? {}, asked);
  if (refusal) throw permanentFailure(FAILURE_TYPES.invalidInput, `php: ${refusal}`);
}
