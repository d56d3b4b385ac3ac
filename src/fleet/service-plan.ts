// One hosting service's plan and export, computed where the OVH credentials are (an activity on the worker): each
// kind of the registry lists the service once, each declared resource is read once, and the diff says per site what
// would be created, changed, or cannot be done — and what exists that the file does not name (unmanaged). Reads
// only: this module has no write call to make.
import { createHash } from 'node:crypto';
import type { ResourceAction, ResourcePlan, ServiceExportAnswer, ServicePlanAnswer, SitePlan } from '../shared/fleet.js';
import { CRON_JOBS_PER_OFFER } from '../shared/cron.js';
import type { HostingService, OfferCapabilities } from '../ovh/types.js';
import type { FleetService, FleetSite } from './file.js';
import { moduleKind, normalizePath, RESOURCE_KINDS, type ActualModule, type AnyResourceKind, type Declaration, type DiffContext, type Listing, type ReadContext } from './resource-kinds.js';

const SEVERITY: Record<ResourceAction, number> = { none: 0, unmanaged: 1, change: 2, create: 3, blocked: 4 };
const worst = (actions: ResourceAction[]): ResourceAction => actions.reduce<ResourceAction>((a, b) => (SEVERITY[b] > SEVERITY[a] ? b : a), 'none');
const fingerprintOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
const sitePath = (site: FleetSite) => normalizePath(site.path ?? site.domain);

export type ServiceReader = Omit<ReadContext, 'service'> & { offerCapabilities(offer: string): Promise<OfferCapabilities | undefined> };

async function listAll(kinds: readonly AnyResourceKind[], ctx: ReadContext): Promise<Map<AnyResourceKind, Listing<unknown>>> {
  const listings = await Promise.all(kinds.map(async (kind) => [kind, await kind.list(ctx)] as const));
  return new Map(listings);
}

/**
 * A site's database declared without a name is the one provisioning creates, and OVH names. Once the site exists, it
 * is the database its module uses: the declaration is read with that name, so an applied file plans no change (and
 * the database is not reported unmanaged) without being exported again. Reads nothing: the module listing has it.
 */
async function withProvisionedDatabaseNames(declaration: FleetService, attached: readonly string[], modules: Listing<ActualModule>): Promise<FleetService> {
  const sites = await Promise.all(
    (declaration.sites ?? []).map(async (site) => {
      if (!site.database || site.database.name !== undefined || !attached.includes(site.domain)) return site;
      const name = (await modules.read(sitePath(site)))?.database;
      return name ? { ...site, database: { ...site.database, name } } : site;
    }),
  );
  return declaration.sites ? { ...declaration, sites } : declaration;
}

export async function planService(reader: ServiceReader, declaration: FleetService, onlySites?: readonly string[]): Promise<ServicePlanAnswer> {
  const service = await reader.read(() => reader.ovh.getService(reader.serviceName));
  const ctx: ReadContext = { ...reader, service };
  const listings = await listAll(RESOURCE_KINDS, ctx);
  const only = onlySites ? new Set(onlySites) : undefined;
  const siteListing = listings.get(RESOURCE_KINDS[0] as AnyResourceKind) as Listing<unknown>;
  declaration = await withProvisionedDatabaseNames(declaration, siteListing.keys, listings.get(moduleKind) as Listing<ActualModule>);
  const declaredSites = (declaration.sites ?? []).filter((site) => !only || only.has(site.domain));

  // Each declared resource: read once (what a site about to be created holds is not read: it cannot exist yet).
  const createdSites = new Set(declaredSites.filter((site) => !siteListing.keys.includes(site.domain)).map((site) => site.domain));
  const reads: Array<{ kind: AnyResourceKind; declared: Declaration<unknown>; actual: unknown }> = [];
  await Promise.all(
    RESOURCE_KINDS.map(async (kind) => {
      const listing = listings.get(kind) as Listing<unknown>;
      const declarations = kind.declarations(declaration).filter((d) => (only ? d.site !== undefined && only.has(d.site) : true));
      for (const declared of declarations) {
        const actual = declared.site !== undefined && createdSites.has(declared.site) ? undefined : await listing.read(declared.key);
        reads.push({ kind, declared, actual });
      }
    }),
  );

  const diffContext = makeDiffContext(reader, service, declaration, createdSites, listings);
  const siteRows = new Map<string, Omit<SitePlan, 'account' | 'serviceName'> & { observed: unknown[] }>();
  const rowOfDomain = (domain: string, path: string | null) => {
    let row = siteRows.get(domain);
    if (!row) siteRows.set(domain, (row = { domain, path, action: 'none', resources: [], fingerprint: '', observed: [] }));
    return row;
  };
  for (const site of declaredSites) rowOfDomain(site.domain, sitePath(site));
  const serviceLevel: ResourcePlan[] = [];
  const serviceObserved: unknown[] = [service.state, service.offer];

  // Diffs in registry order, so a site's own line comes first.
  for (const kind of RESOURCE_KINDS) {
    for (const { declared, actual } of reads.filter((r) => r.kind === kind)) {
      const difference = await kind.diff(declared, actual, diffContext);
      const runKind = difference.runKind ?? (difference.action === 'create' ? kind.runKind.create : difference.action === 'change' ? kind.runKind.change : undefined);
      const plan: ResourcePlan = { kind: kind.name, key: declared.key, ...difference, ...(runKind ? { runKind } : {}) };
      if (declared.site !== undefined) {
        const row = rowOfDomain(declared.site, null);
        row.resources.push(plan);
        row.observed.push([kind.name, declared.key, actual ?? null]);
      } else {
        serviceLevel.push(plan);
        serviceObserved.push([kind.name, declared.key, actual ?? null]);
      }
    }
  }

  // What exists and the file does not name: reported, never removed. Not with --site (the rest was not asked about).
  if (!only) {
    const declaredPaths = new Map(declaredSites.map((site) => [sitePath(site), site.domain]));
    for (const kind of RESOURCE_KINDS) {
      if (!kind.reportsUnmanaged) continue;
      const listing = listings.get(kind) as Listing<unknown>;
      const declaredKeys = new Set(kind.declarations(declaration).map((d) => d.key));
      for (const key of listing.keys) {
        if (declaredKeys.has(key)) continue;
        // Grouped with its site when it has one: an unmanaged site lists its path so its module and PHP join it.
        const where = kind.siteOfUnmanaged?.(key, kind.name === 'site' ? await listing.read(key) : undefined) ?? {};
        const plan: ResourcePlan = { kind: kind.name, key, action: 'unmanaged', reason: 'exists at OVH, not in the file: left as it is' };
        const domain = where.domain !== undefined && siteRows.has(where.domain) ? where.domain : where.path !== undefined ? declaredPaths.get(where.path) : undefined;
        if (kind.name === 'site') {
          rowOfDomain(key, where.path ?? null).resources.push(plan);
          if (where.path !== undefined && !declaredPaths.has(where.path)) declaredPaths.set(where.path, key);
        } else if (domain !== undefined) rowOfDomain(domain, null).resources.push(plan);
        else serviceLevel.push(plan);
        serviceObserved.push([kind.name, key]);
      }
    }
  }

  const sites = [...siteRows.values()].map(({ observed, ...row }) => ({
    ...row,
    action: worst(row.resources.map((r) => r.action)),
    fingerprint: fingerprintOf([service.state, observed]),
  }));
  return { serviceName: reader.serviceName, sites, serviceLevel: { resources: serviceLevel, fingerprint: fingerprintOf(serviceObserved) }, reads: 0 };
}

function makeDiffContext(
  reader: ServiceReader,
  service: HostingService,
  declaration: FleetService,
  createdSites: ReadonlySet<string>,
  listings: Map<AnyResourceKind, Listing<unknown>>,
): DiffContext {
  const existing = (name: string) => [...listings.entries()].find(([kind]) => kind.name === name)?.[1].keys.length ?? 0;
  const claimed = { attachedDomain: 0, database: 0, user: 0, cronJob: 0, website: 0 };
  let phpVersions: Promise<string[]> | undefined;
  let cronLanguages: Promise<string[]> | undefined;
  let websiteCapabilities: Promise<{ allowedWebsites: number; existingWebsites: number }> | undefined;
  return {
    service,
    createdSites,
    async noRoomFor(what, detail) {
      if (what === 'website') {
        // Read only when a link is to be created: an unchanged fleet never pays for it.
        websiteCapabilities ??= reader.read(() => reader.ovh.getWebsiteCreationCapabilities(reader.serviceName));
        const { allowedWebsites, existingWebsites } = await websiteCapabilities;
        claimed.website += 1;
        const count = existingWebsites + claimed.website;
        return allowedWebsites !== -1 && count > allowedWebsites ? `offer ${service.offer} allows ${allowedWebsites} Git website links and ${service.serviceName} would have ${count}` : undefined;
      }
      const capabilities = await reader.offerCapabilities(service.offer);
      if (!capabilities) return undefined; // an offer OVH does not describe: OVH itself refuses if it must
      claimed[what] += 1;
      if (what === 'attachedDomain') {
        const count = existing('site') + claimed.attachedDomain;
        return count > capabilities.attachedDomains ? `offer ${service.offer} allows ${capabilities.attachedDomains} attached domains and ${service.serviceName} would have ${count}` : undefined;
      }
      if (what === 'database') {
        const allowance = capabilities.databases.find((d) => d.type === detail);
        const count = existing('database') + claimed.database;
        if (!allowance) return `offer ${service.offer} has no ${detail ?? ''} databases`;
        return count > allowance.available ? `offer ${service.offer} allows ${allowance.available} ${detail} databases and ${service.serviceName} would have ${count}` : undefined;
      }
      if (what === 'cronJob') {
        if (capabilities.crontab === false) return `offer ${service.offer} has no scheduled tasks (crontab)`;
        const limit = CRON_JOBS_PER_OFFER[service.offer];
        const count = existing('cron') + claimed.cronJob;
        return limit !== undefined && count > limit ? `offer ${service.offer} allows ${limit} cron jobs and ${service.serviceName} would have ${count}` : undefined;
      }
      if (detail !== undefined && detail !== 'none' && !capabilities.ssh) return `offer ${service.offer} has no SSH: sshState ${detail} is refused`;
      const count = existing('user') + claimed.user;
      return count > capabilities.extraUsers ? `offer ${service.offer} allows ${capabilities.extraUsers} extra FTP users and ${service.serviceName} would have ${count}` : undefined;
    },
    phpVersions() {
      phpVersions ??= reader
        .read(() => reader.ovh.getOvhConfigCapabilities(reader.serviceName))
        .then((offered) => offered.map((c) => c.version).filter((v): v is string => typeof v === 'string'));
      return phpVersions;
    },
    cronLanguages() {
      cronLanguages ??= reader.read(() => reader.ovh.listCronLanguages(reader.serviceName));
      return cronLanguages;
    },
    declaredSite: (domain) => (declaration.sites ?? []).find((s) => s.domain === domain),
    moduleInstalledAt: (path) => (listings.get(moduleKind)?.keys ?? []).includes(path),
    siteDatabase(domain) {
      const site = (declaration.sites ?? []).find((s) => s.domain === domain);
      if (!site?.database) return undefined;
      return site.database.name ?? `(new database of ${domain})`;
    },
  };
}

/** What exists on one service, as the fleet file declares it: `fleet export`. */
export async function exportService(reader: ServiceReader): Promise<ServiceExportAnswer> {
  const service = await reader.read(() => reader.ovh.getService(reader.serviceName));
  const ctx: ReadContext = { ...reader, service };
  const listings = await listAll(RESOURCE_KINDS, ctx);
  const exported: FleetService = { sites: [] };
  const target = {
    service: exported,
    siteOf({ domain, path }: { domain?: string; path?: string }) {
      const sites = exported.sites ?? [];
      return (domain !== undefined ? sites.find((s) => s.domain === domain && (path === undefined || sitePath(s) === path)) : undefined) ?? (path !== undefined ? sites.find((s) => sitePath(s) === path) : undefined);
    },
  };
  for (const kind of RESOURCE_KINDS) {
    const listing = listings.get(kind) as Listing<unknown>;
    // A certificate follows its site: each exported site's is read (its own, or the hosting-wide one covering it).
    const keys = kind.name === 'certificate' ? (exported.sites ?? []).map((s) => s.domain) : listing.keys;
    const actuals = await Promise.all(keys.map(async (key) => [key, await listing.read(key)] as const));
    for (const [key, actual] of actuals) if (actual !== undefined) kind.exportInto(target, key, actual);
  }
  exported.sites?.sort((a, b) => a.domain.localeCompare(b.domain));
  for (const list of [exported.databases, exported.users]) list?.sort((a, b) => ('name' in a ? a.name : a.login).localeCompare('name' in b ? b.name : b.login));
  exported.php?.sort((a, b) => a.path.localeCompare(b.path));
  exported.cron?.sort((a, b) => a.command.localeCompare(b.command));
  if (exported.env) exported.env = Object.fromEntries(Object.entries(exported.env).sort(([a], [b]) => a.localeCompare(b)));
  return { serviceName: reader.serviceName, declaration: exported, reads: 0 };
}
