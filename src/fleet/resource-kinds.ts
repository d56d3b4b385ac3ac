// The registry of resource kinds a fleet file declares. Each kind says, in one entry: where the file declares it and
// on which natural key; how it is listed (ONE listing per service) and read (one read per declared resource); how
// declared and actual differ (create, field: old → new, or why it cannot be done); what `fleet export` writes back;
// and which run kind an apply would start. A new kind is one more entry in RESOURCE_KINDS: the plan, the export and
// the read budget follow from it.
import { registerSecretValue } from '../logging/secret-values.js';
import { cronSettingChanges, cronUnderPath, normalizeCronCommand, normalizeFrequency, type CronJobSettings } from '../shared/cron.js';
import { sameRepository } from '../shared/deploy.js';
import { attachedDomainDifferences } from '../shared/inputs/attached-domain.js';
import { defaultSitePath, normalizeRelativePath } from '../shared/inputs/common.js';
import { knownModuleOfCatalogName } from '../shared/inputs/modules.js';
import type { FieldChange, ResourceAction, ResourceKindName } from '../shared/fleet.js';
import type { RunType } from '../shared/runs.js';
import type { OvhClient } from '../ovh/client.js';
import type { HostingService, OfferCapabilities } from '../ovh/types.js';
import type { FleetCronJob, FleetEnvVar, FleetFolderPhp, FleetGit, FleetModule, FleetPhp, FleetService, FleetSite, FleetUser } from './file.js';

/** What a kind may ask of OVH while it lists and reads one service. */
export interface ReadContext {
  ovh: OvhClient;
  serviceName: string;
  /** The hosting itself, read first. */
  service: HostingService;
  /** One counted OVH call, its failure classified. */
  read<T>(call: () => Promise<T>): Promise<T>;
  /** The same, a 404 answering undefined (a resource listed a moment ago may be gone). */
  readOrGone<T>(call: () => Promise<T>): Promise<T | undefined>;
  /** A catalog entry's name, read once per worker and module id. */
  catalogName(moduleId: number): Promise<string | undefined>;
}

/** A service's resources of one kind: their natural keys, and a read of one of them. */
export interface Listing<A> {
  keys: string[];
  read(key: string): Promise<A | undefined>;
}

/** One declaration of the file: its natural key, the site it belongs to (if any), and what it asks. */
export interface Declaration<D> {
  key: string;
  /** The site's domain, for kinds declared inside a site. */
  site?: string;
  value: D;
}

/** What a diff needs beyond the two values: the service, and the offer's room (read only when something is created). */
export interface DiffContext {
  service: HostingService;
  /** Sites of the file that do not exist yet: what they hold is created by their provisioning. */
  createdSites: ReadonlySet<string>;
  /** Why one more of these cannot be created (the offer is full), or undefined. */
  noRoomFor(what: 'attachedDomain' | 'database' | 'user' | 'cronJob' | 'website', detail?: string): Promise<string | undefined>;
  /** The PHP versions the hosting offers. */
  phpVersions(): Promise<string[]>;
  /** The languages the hosting runs cron jobs in. */
  cronLanguages(): Promise<string[]>;
  /** The site's database as the file declares it (module wiring). */
  siteDatabase(domain: string): string | undefined;
  /** The site as the file declares it. */
  declaredSite(domain: string): FleetSite | undefined;
  /** Whether a module is installed in this folder now (from the module listing: no read). */
  moduleInstalledAt(path: string): boolean;
}

export interface Difference {
  action: Exclude<ResourceAction, 'unmanaged'>;
  changes?: FieldChange[];
  reason?: string;
  /** The run kind when it is not the kind's own (what a provisioning creates with its site). */
  runKind?: RunType;
}

/** Where `fleet export` puts what it read. */
export interface ExportTarget {
  service: FleetService;
  /** The exported site of a domain, or the first one serving a path. */
  siteOf(where: { domain?: string; path?: string }): FleetSite | undefined;
}

export interface ResourceKind<D, A> {
  name: ResourceKindName;
  /** The declarations of one service of the file, keyed naturally. */
  declarations(service: FleetService): Declaration<D>[];
  /** ONE listing call per service (kinds whose listing gives OVH ids read each to learn the keys). */
  list(ctx: ReadContext): Promise<Listing<A>>;
  diff(declared: Declaration<D>, actual: A | undefined, ctx: DiffContext): Promise<Difference>;
  /** Listed keys no declaration names are reported unmanaged (kinds that only follow a site do not). */
  reportsUnmanaged: boolean;
  /** The site an unmanaged resource belongs to, for the plan's grouping. */
  siteOfUnmanaged?(key: string, actual: A | undefined): { domain?: string; path?: string };
  /** Writes what exists into the exported file. */
  exportInto(target: ExportTarget, key: string, actual: A): void;
  runKind: { create?: RunType; change?: RunType };
}

const shown = (value: unknown): string =>
  value === null || value === undefined || value === '' ? 'none' : typeof value === 'boolean' ? (value ? 'on' : 'off') : typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
export const normalizePath = (path: string | null | undefined): string => (path ?? '').replace(/^\.?\/+/, '').replace(/\/+$/, '');
const sitePathOf = (site: FleetSite): string => normalizePath(site.path ?? defaultSitePath(site.domain));
const blockedBy = (service: HostingService): string | undefined =>
  service.state === 'active' ? undefined : `the hosting ${service.serviceName} is ${service.state}: OVH refuses every change to it`;

/** Compares the fields the declaration gives; a field left out is not managed. */
function fieldChanges<T extends object>(declared: T, actual: Record<string, unknown>, fields: ReadonlyArray<keyof T & string>): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of fields) {
    const want = declared[field];
    if (want === undefined) continue;
    if (shown(want) !== shown(actual[field])) changes.push({ field, from: shown(actual[field]), to: shown(want) });
  }
  return changes;
}

// --- site: an attached domain --------------------------------------------------------------------------------

export interface ActualSite {
  path: string;
  ssl: boolean;
  cdn: string;
  firewall: string;
  ownLog: string | null;
  runtimeId: number | null;
  ipLocation: string | null;
}

export const siteKind: ResourceKind<FleetSite, ActualSite> = {
  name: 'site',
  declarations: (service) => (service.sites ?? []).map((site) => ({ key: site.domain, site: site.domain, value: site })),
  async list(ctx) {
    const domains = await ctx.read(() => ctx.ovh.listAttachedDomains(ctx.serviceName));
    return {
      keys: domains.map((d) => d.toLowerCase()),
      async read(domain) {
        const found = await ctx.readOrGone(() => ctx.ovh.getAttachedDomain(ctx.serviceName, domain));
        if (!found) return undefined;
        return { path: normalizePath(found.path), ssl: Boolean(found.ssl), cdn: found.cdn, firewall: found.firewall, ownLog: found.ownLog ?? null, runtimeId: found.runtimeId ?? null, ipLocation: found.ipLocation ?? null };
      },
    };
  },
  async diff({ value: site }, actual, ctx) {
    const blocked = blockedBy(ctx.service);
    if (!actual) {
      const full = blocked ?? (await ctx.noRoomFor('attachedDomain'));
      return full ? { action: 'blocked', reason: full } : { action: 'create', reason: `attach ${site.domain} to ${sitePathOf(site)} (provisioning)` };
    }
    const differences = attachedDomainDifferences(actual, {
      ...(site.path !== undefined ? { path: site.path } : {}),
      ...(site.ssl !== undefined ? { ssl: site.ssl } : {}),
      ...(site.cdn !== undefined ? { cdn: site.cdn } : {}),
      ...(site.firewall !== undefined ? { firewall: site.firewall } : {}),
      ...(site.ownLog !== undefined ? { ownLog: site.ownLog } : {}),
      ...(site.runtimeId !== undefined ? { runtimeId: site.runtimeId } : {}),
      ...(site.ipLocation !== undefined ? { ipLocation: site.ipLocation } : {}),
    });
    if (differences.length === 0) return { action: 'none' };
    const changes = differences.map((d) => ({ field: d.field, from: d.found, to: d.asked }));
    return blocked ? { action: 'blocked', changes, reason: blocked } : { action: 'change', changes };
  },
  reportsUnmanaged: true,
  siteOfUnmanaged: (domain, actual) => ({ domain, ...(actual ? { path: actual.path } : {}) }),
  exportInto(target, domain, actual) {
    const site: FleetSite = { domain, path: actual.path, ssl: actual.ssl, cdn: actual.cdn as FleetSite['cdn'], firewall: actual.firewall as FleetSite['firewall'] };
    if (actual.ownLog) site.ownLog = actual.ownLog;
    if (actual.runtimeId !== null) site.runtimeId = actual.runtimeId;
    if (actual.ipLocation) site.ipLocation = actual.ipLocation as FleetSite['ipLocation'];
    (target.service.sites ??= []).push(site);
  },
  runKind: { create: 'provision', change: 'update-domain' },
};

// --- database: by name, a site's (the one its module uses) or the service's -----------------------------------

export interface ActualDatabase {
  type: string;
  version: string;
}
type DeclaredDatabase = { type?: string; version?: string; capability?: string; named: boolean };

/** A site's database without a name is one provisioning will create: keyed by its site. */
const NEW_DATABASE = (domain: string) => `(new database of ${domain})`;

export const databaseKind: ResourceKind<DeclaredDatabase, ActualDatabase> = {
  name: 'database',
  declarations: (service) => [
    ...(service.sites ?? []).flatMap((site) =>
      site.database ? [{ key: site.database.name ?? NEW_DATABASE(site.domain), site: site.domain, value: { type: site.database.type, version: site.database.version, capability: site.database.capability, named: site.database.name !== undefined } }] : [],
    ),
    ...(service.databases ?? []).map((db) => ({ key: db.name, value: { type: db.type, version: db.version, capability: db.capability, named: true } })),
  ],
  async list(ctx) {
    const names = await ctx.read(() => ctx.ovh.listDatabases(ctx.serviceName));
    return {
      keys: names,
      async read(name) {
        if (!names.includes(name)) return undefined;
        const db = await ctx.readOrGone(() => ctx.ovh.getDatabase(ctx.serviceName, name));
        return db ? { type: db.type, version: db.version } : undefined;
      },
    };
  },
  async diff({ key, value }, actual, ctx) {
    const blocked = blockedBy(ctx.service);
    if (!actual) {
      if (value.named) return { action: 'blocked', reason: `${ctx.service.serviceName} has no database ${key}; OVH names a new database itself: leave out "name" to have provisioning create one` };
      const full = blocked ?? (await ctx.noRoomFor('database', value.capability ?? 'sqlPerso'));
      return full ? { action: 'blocked', reason: full } : { action: 'create', reason: `a ${value.type ?? 'mysql'} database (provisioning)` };
    }
    const changes = fieldChanges(value, actual as unknown as Record<string, unknown>, ['type', 'version']);
    if (changes.length === 0) return { action: 'none' };
    return { action: 'blocked', changes, reason: "a database's type or version is not changed in place: dump, create the new one, restore" };
  },
  reportsUnmanaged: true,
  exportInto(target, name, actual) {
    // A database the module of an exported site uses is that site's (exportInto of modules runs first).
    const owner = (target.service.sites ?? []).find((site) => site.database?.name === name);
    const declared = { name, type: actual.type as NonNullable<FleetService['databases']>[number]['type'], version: actual.version as NonNullable<FleetService['databases']>[number]['version'] };
    if (owner) owner.database = declared;
    else (target.service.databases ??= []).push(declared);
  },
  runKind: { create: 'provision' },
};

// --- module: the CMS installed at a site's path ------------------------------------------------------------------

export interface ActualModule {
  moduleId: number;
  /** The known CMS name of its catalog entry (wordpress…), when it is one. */
  name: string | null;
  domain: string | null;
  language: string;
  adminName: string;
  database: string | null;
}

export const moduleKind: ResourceKind<FleetModule, ActualModule> = {
  name: 'module',
  declarations: (service) => (service.sites ?? []).flatMap((site) => (site.module ? [{ key: sitePathOf(site), site: site.domain, value: site.module }] : [])),
  async list(ctx) {
    // OVH lists modules by id: each is read once to learn the path it serves (its natural key).
    const ids = await ctx.read(() => ctx.ovh.listModules(ctx.serviceName));
    const byPath = new Map<string, ActualModule>();
    for (const id of ids) {
      const module = await ctx.readOrGone(() => ctx.ovh.getModule(ctx.serviceName, id));
      if (!module) continue;
      const catalog = await ctx.catalogName(module.moduleId);
      let domain: string | null = null;
      try {
        domain = new URL(module.targetUrl).hostname.toLowerCase();
      } catch {
        // no usable URL: the path alone identifies it
      }
      byPath.set(normalizePath(module.path), {
        moduleId: module.moduleId,
        name: catalog ? (knownModuleOfCatalogName(catalog) ?? null) : null,
        domain,
        language: module.language,
        adminName: module.adminName,
        database: module.dependencies.find((d) => d.type === 'mysql')?.name ?? null,
      });
    }
    return { keys: [...byPath.keys()], read: async (path) => byPath.get(path) };
  },
  async diff({ key, site, value }, actual, ctx) {
    const blocked = blockedBy(ctx.service);
    const wantedDatabase = site ? ctx.siteDatabase(site) : undefined;
    if (!actual) {
      if (blocked) return { action: 'blocked', reason: blocked };
      if (site && wantedDatabase === undefined) return { action: 'blocked', reason: `a CMS module needs a MySQL database: declare the database of ${site}` };
      return { action: 'create', reason: `install ${value.name ?? `catalog #${value.id}`} in ${key || 'the home'} (provisioning)` };
    }
    const changes: FieldChange[] = [];
    const actualName = actual.name ?? `catalog #${actual.moduleId}`;
    if (value.name !== undefined && value.name !== actual.name) changes.push({ field: 'name', from: actualName, to: value.name });
    if (value.id !== undefined && value.id !== actual.moduleId) changes.push({ field: 'id', from: String(actual.moduleId), to: String(value.id) });
    changes.push(...fieldChanges(value, actual as unknown as Record<string, unknown>, ['language', 'adminName']));
    if (wantedDatabase !== undefined && !wantedDatabase.startsWith('(') && wantedDatabase !== actual.database) {
      changes.push({ field: 'database', from: shown(actual.database), to: wantedDatabase });
    }
    if (changes.length === 0) return { action: 'none' };
    const databaseDiffers = changes.some((c) => c.field === 'database');
    return {
      action: 'blocked',
      changes,
      reason: databaseDiffers
        ? `the module in ${key || 'the home'} uses the database ${shown(actual.database)}, not ${wantedDatabase}: rewiring a CMS is a decommission and a new provisioning`
        : `an installed module is not changed in place: changing its CMS, language or admin is a decommission and a new provisioning`,
    };
  },
  reportsUnmanaged: true,
  siteOfUnmanaged: (path, actual) => ({ path, ...(actual?.domain ? { domain: actual.domain } : {}) }),
  exportInto(target, path, actual) {
    const site = target.siteOf({ ...(actual.domain ? { domain: actual.domain } : {}), path });
    if (!site) return; // a module no attached domain serves: the plan reports it unmanaged
    // The database first, as a person reads a site: what the module is wired to, then the module.
    if (actual.database) site.database = { name: actual.database };
    site.module = { ...(actual.name ? { name: actual.name as NonNullable<FleetModule['name']> } : { id: actual.moduleId }), language: actual.language as FleetModule['language'], adminName: actual.adminName };
  },
  runKind: { create: 'provision' },
};

// --- certificate: a site's HTTPS certificate (its own, or the hosting-wide one covering it) ----------------------

export type CertificateMode = 'letsencrypt' | 'custom' | 'none';
const modeOfProvider = (provider: string): CertificateMode => (provider === 'CUSTOM' ? 'custom' : 'letsencrypt');
type DeclaredCertificate = NonNullable<FleetSite['certificate']>;

export const certificateKind: ResourceKind<DeclaredCertificate, CertificateMode> = {
  name: 'certificate',
  declarations: (service) => (service.sites ?? []).flatMap((site) => (site.certificate !== undefined ? [{ key: site.domain, site: site.domain, value: site.certificate }] : [])),
  async list(ctx) {
    // The hosting-wide certificate and what it covers; a domain's own certificate is read per declared domain.
    const hostingWide = await ctx.read(() => ctx.ovh.getSsl(ctx.serviceName));
    const covered = hostingWide?.status === 'created' ? (await ctx.read(() => ctx.ovh.listSslDomains(ctx.serviceName))).map((d) => d.toLowerCase()) : [];
    return {
      keys: covered,
      async read(domain) {
        const own = await ctx.read(() => ctx.ovh.getDomainSsl(ctx.serviceName, domain));
        if (own) return modeOfProvider(own.provider);
        return hostingWide && covered.includes(domain) ? modeOfProvider(hostingWide.provider) : 'none';
      },
    };
  },
  async diff({ key, value }, actual, ctx) {
    const want: CertificateMode = typeof value === 'string' ? value : 'custom';
    const found = actual ?? 'none';
    if (want === found) return { action: 'none' };
    const blocked = blockedBy(ctx.service);
    const changes = [{ field: 'certificate', from: found, to: want }];
    if (ctx.createdSites.has(key)) return { action: 'create', reason: `${want} certificate (provisioning)` };
    if (blocked) return { action: 'blocked', changes, reason: blocked };
    if (want === 'none') return { action: 'blocked', changes, reason: 'a certificate is not removed by an apply (decommission removes what belongs to a site)' };
    return { action: 'change', changes };
  },
  reportsUnmanaged: false,
  exportInto(target, domain, mode) {
    const site = target.siteOf({ domain });
    // A custom certificate's files are not readable back: the export names where they should be.
    if (site) site.certificate = mode === 'custom' ? { mode: 'custom', certificate: `file:certs/${domain}.pem`, key: `file:certs/${domain}.key` } : mode;
  },
  runKind: { change: 'renew-cert' },
};

// --- php: a folder's .ovhconfig ---------------------------------------------------------------------------------

export interface ActualPhp {
  engineName: string;
  engineVersion: string;
  environment: string;
  httpFirewall: string;
  container: string;
}
const PHP_FIELDS = ['engineName', 'engineVersion', 'environment', 'httpFirewall', 'container'] as const;

export const phpKind: ResourceKind<FleetPhp, ActualPhp> = {
  name: 'php',
  declarations: (service) => [
    ...(service.sites ?? []).flatMap((site) => (site.php ? [{ key: sitePathOf(site), site: site.domain, value: site.php }] : [])),
    ...(service.php ?? []).map((folder: FleetFolderPhp) => {
      const { path, ...settings } = folder;
      const checked = normalizeRelativePath(path, { allowRoot: true });
      return { key: normalizePath(checked.ok && checked.value !== '.' ? checked.value : ''), value: settings };
    }),
  ],
  async list(ctx) {
    // OVH lists .ovhconfig files by id: each current one is read once to learn its folder (the natural key).
    const ids = await ctx.read(() => ctx.ovh.listOvhConfigs(ctx.serviceName, { historical: false }));
    const byPath = new Map<string, ActualPhp>();
    for (const id of ids) {
      const config = await ctx.readOrGone(() => ctx.ovh.getOvhConfig(ctx.serviceName, id));
      if (!config || config.historical) continue;
      byPath.set(normalizePath(config.path), { engineName: config.engineName, engineVersion: config.engineVersion, environment: config.environment, httpFirewall: config.httpFirewall, container: config.container });
    }
    return { keys: [...byPath.keys()], read: async (path) => byPath.get(path) };
  },
  async diff({ key, site, value }, actual, ctx) {
    const folder = key || 'the home';
    if (!actual) {
      if (site && ctx.createdSites.has(site)) return { action: 'create', reason: `.ovhconfig of ${folder} (after provisioning)` };
      return { action: 'blocked', reason: `${ctx.service.serviceName} has no .ovhconfig in ${folder}: the php run changes an existing one` };
    }
    const changes = fieldChanges(value, actual as unknown as Record<string, unknown>, PHP_FIELDS);
    if (changes.length === 0) return { action: 'none' };
    const blocked = blockedBy(ctx.service);
    if (blocked) return { action: 'blocked', changes, reason: blocked };
    if (value.engineVersion !== undefined && value.engineVersion !== actual.engineVersion) {
      const offered = await ctx.phpVersions();
      if (offered.length > 0 && !offered.includes(value.engineVersion)) {
        return { action: 'blocked', changes, reason: `this hosting does not offer PHP ${value.engineVersion}; it offers ${offered.join(', ')}` };
      }
    }
    return { action: 'change', changes };
  },
  reportsUnmanaged: true,
  siteOfUnmanaged: (path) => ({ path }),
  exportInto(target, path, actual) {
    const settings = actual as FleetPhp;
    const site = path === '' ? undefined : target.siteOf({ path });
    if (site) site.php = { ...settings };
    else (target.service.php ??= []).push({ path, ...settings });
  },
  runKind: { change: 'php' },
};

// --- user: an FTP/SSH user, by login ----------------------------------------------------------------------------

export interface ActualUser {
  home: string;
  sshState: string;
  isPrimaryAccount: boolean;
}

export const userKind: ResourceKind<FleetUser, ActualUser> = {
  name: 'user',
  declarations: (service) => (service.users ?? []).map((user) => ({ key: user.login, value: user })),
  async list(ctx) {
    const logins = await ctx.read(() => ctx.ovh.listUsers(ctx.serviceName));
    return {
      // The primary login comes with the hosting: never a resource of the file, never unmanaged.
      keys: logins.filter((login) => login !== ctx.service.primaryLogin),
      async read(login) {
        if (!logins.includes(login)) return undefined;
        const user = await ctx.readOrGone(() => ctx.ovh.getUser(ctx.serviceName, login));
        return user ? { home: normalizePath(user.home), sshState: user.sshState, isPrimaryAccount: user.isPrimaryAccount } : undefined;
      },
    };
  },
  async diff({ value }, actual, ctx) {
    const blocked = blockedBy(ctx.service);
    if (!actual) {
      const full = blocked ?? (await ctx.noRoomFor('user', value.sshState));
      return full ? { action: 'blocked', reason: full } : { action: 'create', reason: `FTP user with home ${value.home}` };
    }
    const wanted = { home: normalizePath(value.home === '.' ? '' : value.home), sshState: value.sshState };
    const changes = fieldChanges(wanted, actual as unknown as Record<string, unknown>, ['home', 'sshState']);
    if (changes.length === 0) return { action: 'none' };
    return blocked ? { action: 'blocked', changes, reason: blocked } : { action: 'change', changes };
  },
  reportsUnmanaged: true,
  exportInto(target, login, actual) {
    if (actual.isPrimaryAccount) return;
    (target.service.users ??= []).push({ login, home: actual.home === '' ? '.' : actual.home, sshState: actual.sshState as FleetUser['sshState'] });
  },
  runKind: { create: 'ftp-user', change: 'ftp-user-update' },
};

// --- env: an environment variable of the hosting, by name -------------------------------------------------------

/** A variable as OVH has it; a password's value is never kept (the plan compares no secret, the export shows none). */
export interface ActualEnvVar {
  type: FleetEnvVar['type'];
  value?: string;
}

export const envKind: ResourceKind<FleetEnvVar, ActualEnvVar> = {
  name: 'env',
  declarations: (service) => Object.entries(service.env ?? {}).map(([name, variable]) => ({ key: name, value: variable })),
  async list(ctx) {
    const names = await ctx.read(() => ctx.ovh.listEnvVars(ctx.serviceName));
    return {
      keys: names,
      async read(name) {
        if (!names.includes(name)) return undefined;
        const found = await ctx.readOrGone(() => ctx.ovh.getEnvVar(ctx.serviceName, name));
        if (!found) return undefined;
        if (found.type !== 'password') return { type: found.type, value: found.value };
        // Held by this process for a moment: redacted by value should anything log it.
        registerSecretValue(found.value);
        return { type: 'password' };
      },
    };
  },
  async diff({ value }, actual, ctx) {
    const blocked = blockedBy(ctx.service);
    if (!actual) return blocked ? { action: 'blocked', reason: blocked } : { action: 'create', reason: `${value.type} variable` };
    const changes: FieldChange[] = [];
    if (value.type !== actual.type) changes.push({ field: 'type', from: actual.type, to: value.type });
    // A password is shown by its type alone, whichever side it is on.
    const shownValue = (variable: { type: string; value?: string }) => (variable.type === 'password' ? '(secret)' : shown(variable.value));
    if (value.type !== 'password' && shownValue(value) !== shownValue(actual)) changes.push({ field: 'value', from: shownValue(actual), to: shownValue(value) });
    if (changes.length === 0) {
      return value.type === 'password' ? { action: 'none', reason: "a password's value is not compared (a plan reads no secret): `ovhflow env set` replaces it" } : { action: 'none' };
    }
    if (blocked) return { action: 'blocked', changes, reason: blocked };
    return { action: 'change', changes, ...(value.type !== actual.type ? { reason: 'OVH cannot change a variable\'s type: the env run deletes it and creates it again' } : {}) };
  },
  reportsUnmanaged: true,
  exportInto(target, name, actual) {
    const env = (target.service.env ??= {});
    // A password is written as the reference an apply would read, never its value; a string as a person writes it,
    // the plain value (the file's shorthand for { type: string, value }).
    if (actual.type === 'password') env[name] = { type: 'password', value: `env:${name}` };
    else if (actual.type === 'integer') env[name] = { type: 'integer', value: actual.value ?? '' };
    else env[name] = (actual.value ?? '') as unknown as FleetEnvVar;
  },
  runKind: { create: 'env', change: 'env' },
};

// --- cron: a scheduled task of the hosting, by its command ---------------------------------------------------------

export type ActualCronJob = CronJobSettings & { count: number };

/** The declared site whose folder holds the job's script (the deepest one), so the plan shows a job with its site. */
function siteOfScript(service: FleetService, command: string): string | undefined {
  const owners = (service.sites ?? []).filter((site) => cronUnderPath(command, sitePathOf(site)));
  return owners.sort((a, b) => sitePathOf(b).length - sitePathOf(a).length)[0]?.domain;
}

export const cronKind: ResourceKind<FleetCronJob, ActualCronJob> = {
  name: 'cron',
  declarations: (service) =>
    (service.cron ?? []).map((job) => {
      const site = siteOfScript(service, job.command);
      return { key: job.command, ...(site !== undefined ? { site } : {}), value: job };
    }),
  async list(ctx) {
    // OVH lists jobs by id: each is read once to learn its command (the natural key).
    const ids = await ctx.read(() => ctx.ovh.listCrons(ctx.serviceName));
    const byCommand = new Map<string, ActualCronJob>();
    for (const id of ids) {
      const job = await ctx.readOrGone(() => ctx.ovh.getCron(ctx.serviceName, id));
      if (!job) continue;
      const command = normalizeCronCommand(job.command);
      const seen = byCommand.get(command);
      if (seen) seen.count += 1;
      else {
        byCommand.set(command, {
          command,
          frequency: normalizeFrequency(job.frequency),
          language: job.language,
          description: job.description ?? null,
          email: job.email ?? null,
          status: job.status ?? 'enabled',
          count: 1,
        });
      }
    }
    return { keys: [...byCommand.keys()], read: async (command) => byCommand.get(command) };
  },
  async diff({ key, site, value }, actual, ctx) {
    if (!actual && site !== undefined && ctx.createdSites.has(site)) return { action: 'create', reason: `"${value.frequency}" (provisioning)`, runKind: 'provision' };
    const blocked = blockedBy(ctx.service);
    if (actual && actual.count > 1) return { action: 'blocked', reason: `${actual.count} cron jobs run "${key}": ovhflow knows a job by its command; delete the duplicates in the Control Panel` };
    const changes = actual ? cronSettingChanges(actual, value).map((c) => ({ field: c.field, from: shown(c.found), to: shown(c.asked) })) : [];
    if (actual && changes.length === 0) return { action: 'none' };
    if (blocked) return { action: 'blocked', ...(actual ? { changes } : {}), reason: blocked };
    if (value.language !== undefined && value.language !== actual?.language) {
      const offered = await ctx.cronLanguages();
      if (!offered.includes(value.language)) return { action: 'blocked', ...(actual ? { changes } : {}), reason: `${ctx.service.serviceName} does not run cron jobs in ${value.language}; it offers ${offered.join(', ') || 'none'}` };
    }
    if (actual) return { action: 'change', changes };
    const full = await ctx.noRoomFor('cronJob');
    return full ? { action: 'blocked', reason: full } : { action: 'create', reason: `"${value.frequency}"${value.language ? `, ${value.language}` : ''}` };
  },
  reportsUnmanaged: true,
  exportInto(target, command, actual) {
    const job: FleetCronJob = { command, frequency: actual.frequency, language: actual.language as FleetCronJob['language'] };
    if (actual.description !== null) job.description = actual.description;
    if (actual.email !== null) job.email = actual.email;
    // `suspended` is OVH's doing, not a setting: left out, the job's status is not managed.
    if (actual.status === 'enabled' || actual.status === 'disabled') job.status = actual.status;
    (target.service.cron ??= []).push(job);
  },
  runKind: { create: 'cron', change: 'cron' },
};

// --- git: a site's folder deployed from a GitHub repository's branch ------------------------------------------------

export interface ActualGit {
  repository: string;
  branch: string;
}

export const gitKind: ResourceKind<FleetGit, ActualGit> = {
  name: 'git',
  declarations: (service) => (service.sites ?? []).flatMap((site) => (site.git ? [{ key: sitePathOf(site), site: site.domain, value: site.git }] : [])),
  async list(ctx) {
    // OVH lists a hosting's Git links by id: each is read once to learn its folder (the natural key).
    const ids = await ctx.read(() => ctx.ovh.listWebsites(ctx.serviceName));
    const byPath = new Map<string, ActualGit>();
    for (const id of ids) {
      const website = await ctx.readOrGone(() => ctx.ovh.getWebsite(ctx.serviceName, id));
      if (website) byPath.set(normalizePath(website.path), { repository: website.vcsUrl, branch: website.vcsBranch });
    }
    return { keys: [...byPath.keys()], read: async (path) => byPath.get(path) };
  },
  async diff({ key, site, value }, actual, ctx) {
    const folder = key || 'the home';
    if (key === '') return { action: 'blocked', reason: 'OVH deploys from Git into a folder of the home, never the home itself: give the site its own folder' };
    if (!actual) {
      if (site !== undefined && ctx.createdSites.has(site)) {
        if (ctx.declaredSite(site)?.module) return { action: 'blocked', reason: `a site with a CMS module cannot also deploy from Git: OVH deploys only into an empty folder, and the module's files would be in ${folder}` };
        return { action: 'create', reason: `deploy ${value.repository} (${value.branch}) into ${folder} (provisioning)`, runKind: 'provision' };
      }
      const blocked = blockedBy(ctx.service);
      if (blocked) return { action: 'blocked', reason: blocked };
      if (ctx.moduleInstalledAt(key)) return { action: 'blocked', reason: `${folder} is not empty: a module is installed there, and OVH deploys from Git only into an empty folder` };
      const full = await ctx.noRoomFor('website');
      return full ? { action: 'blocked', reason: full } : { action: 'create', reason: `link ${folder} to ${value.repository} (${value.branch}) and deploy it` };
    }
    if (!sameRepository(actual.repository, value.repository)) {
      return {
        action: 'blocked',
        changes: [{ field: 'repository', from: actual.repository, to: value.repository }],
        reason: `OVH cannot change a link's repository: it is a delete of the link to ${actual.repository} and of the files it deployed, then a create — never done silently by an apply; run \`ovhflow deploy\` and confirm it`,
      };
    }
    if (actual.branch === value.branch) return { action: 'none' };
    const changes = [{ field: 'branch', from: actual.branch, to: value.branch }];
    const blocked = blockedBy(ctx.service);
    return blocked ? { action: 'blocked', changes, reason: blocked } : { action: 'change', changes, reason: `the link follows ${value.branch}, then deploys it` };
  },
  reportsUnmanaged: true,
  siteOfUnmanaged: (path) => ({ path }),
  exportInto(target, path, actual) {
    const site = target.siteOf({ path });
    // A link no exported site serves: the plan reports it unmanaged.
    if (site) site.git = { repository: actual.repository, branch: actual.branch };
  },
  runKind: { create: 'deploy', change: 'deploy' },
};

/**
 * The registry, in the order a plan reads, diffs and exports (a site before what it holds; modules before
 * databases, so an exported database lands in the site whose module uses it).
 */
export type AnyResourceKind = ResourceKind<unknown, unknown>;
export const RESOURCE_KINDS: readonly AnyResourceKind[] = [siteKind, moduleKind, databaseKind, certificateKind, phpKind, gitKind, cronKind, envKind, userKind].map(
  (kind) => kind as unknown as AnyResourceKind,
);

export type { OfferCapabilities };
