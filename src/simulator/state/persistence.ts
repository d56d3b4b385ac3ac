// Optional persistence of the simulated world in the data directory (`state.json`), so `ovhflow sim --persist`
// finds its services, keys and tasks again after a restart. Tasks keep absolute timestamps: one that should have
// ended while the simulator was down has ended when it comes back. Accounts, service accounts and IAM policies are
// saved with the keys.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccountRecord } from '../auth/accounts.js';
import type { CredentialSnapshot } from '../auth/credential-store.js';
import type { ServiceAccountSnapshot } from '../auth/service-accounts.js';
import type { SimulatorCore } from '../core.js';
import type { ExternalDnsEntry, HostingService, PasswordChange, SimulatorState, TaskRecord, ZoneRecord } from './records.js';

const VERSION = 2;

type StoredService = Omit<HostingService, 'attachedDomains' | 'databases' | 'dumps' | 'modules' | 'users' | 'runtimes' | 'domainSsl' | 'multipleSsl' | 'freeSslProvider' | 'ovhConfigs' | 'envVars' | 'websites' | 'filledFolders' | 'crons'> & {
  /** Absent from a world saved before environment variables were modelled: none. */
  envVars?: Array<[string, unknown]>;
  websites?: Array<[number, unknown]>;
  filledFolders?: string[];
  /** Absent from a world saved before cron jobs were modelled. */
  crons?: Array<[number, unknown]>;
  /** Absent from a world saved before `.ovhconfig` was modelled: the service then has none until a refresh. */
  ovhConfigs?: Array<[number, unknown]>;
  /** Absent from a world saved before the 2026 schema: no per-domain certificate, and the hosting can hold them. */
  domainSsl?: Array<[string, unknown]>;
  multipleSsl?: boolean;
  freeSslProvider?: HostingService['freeSslProvider'];
  attachedDomains: Array<[string, unknown]>;
  databases: Array<[string, unknown]>;
  dumps: Array<[number, unknown]>;
  modules: Array<[number, unknown]>;
  users: Array<[string, unknown]>;
  runtimes: Array<[number, unknown]>;
};

type StoredZone = Omit<ZoneRecord, 'records'> & { records: Array<[number, unknown]> };

interface StoredWorld {
  version: number;
  savedAt: string;
  seed: number;
  services: StoredService[];
  tasks: TaskRecord[];
  nextIds: SimulatorState['nextIds'];
  zones: StoredZone[];
  externalDns: ExternalDnsEntry[];
  passwordChanges: Array<[string, PasswordChange[]]>;
  credentials: CredentialSnapshot;
  accounts: AccountRecord[];
  serviceAccounts: ServiceAccountSnapshot;
}

export function stateFile(dataDir: string): string {
  return join(dataDir, 'state.json');
}

export function saveState(core: SimulatorCore, dataDir: string): void {
  core.settle();
  const world: StoredWorld = {
    version: VERSION,
    savedAt: new Date(core.now()).toISOString(),
    seed: core.seed,
    services: [...core.state.services.values()].map((service) => ({
      ...service,
      attachedDomains: [...service.attachedDomains],
      databases: [...service.databases],
      dumps: [...service.dumps],
      modules: [...service.modules],
      users: [...service.users],
      runtimes: [...service.runtimes],
      domainSsl: [...service.domainSsl],
      ovhConfigs: [...service.ovhConfigs],
      envVars: [...service.envVars],
      websites: [...service.websites],
      crons: [...service.crons],
    })),
    tasks: [...core.state.tasks.values()],
    nextIds: core.state.nextIds,
    zones: [...core.state.zones.values()].map((zone) => ({ ...zone, records: [...zone.records] })),
    externalDns: [...core.state.externalDns.values()],
    passwordChanges: [...core.state.passwordChanges],
    credentials: core.credentials.snapshot(),
    accounts: core.accounts.snapshot(),
    serviceAccounts: core.serviceAccounts.snapshot(),
  };
  const file = stateFile(dataDir);
  writeFileSync(`${file}.tmp`, JSON.stringify(world), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/** Loads a saved world into `core`; false when there is none (or it comes from another format version). */
export function loadState(core: SimulatorCore, dataDir: string): boolean {
  const file = stateFile(dataDir);
  if (!existsSync(file)) return false;
  const world = JSON.parse(readFileSync(file, 'utf8')) as StoredWorld;
  if (world.version !== VERSION) return false;
  const services = new Map<string, HostingService>();
  for (const stored of world.services) {
    services.set(stored.serviceName, {
      ...stored,
      attachedDomains: new Map(stored.attachedDomains),
      databases: new Map(stored.databases),
      dumps: new Map(stored.dumps),
      modules: new Map(stored.modules),
      users: new Map(stored.users),
      runtimes: new Map(stored.runtimes),
      domainSsl: new Map(stored.domainSsl ?? []),
      ovhConfigs: new Map(stored.ovhConfigs ?? []),
      envVars: new Map(stored.envVars ?? []),
      websites: new Map(stored.websites ?? []),
      filledFolders: stored.filledFolders ?? [],
      crons: new Map(stored.crons ?? []),
      multipleSsl: stored.multipleSsl ?? true,
      freeSslProvider: stored.freeSslProvider ?? 'LETSENCRYPT',
    } as HostingService);
  }
  core.seed = world.seed;
  core.replaceState({
    services,
    tasks: new Map(world.tasks.map((task) => [task.id, task])),
    zones: new Map(world.zones.map((zone) => [zone.name, { ...zone, records: new Map(zone.records) } as ZoneRecord])),
    externalDns: new Map(world.externalDns.map((entry) => [entry.name, entry])),
    passwordChanges: new Map(world.passwordChanges),
    nextIds: world.nextIds,
  });
  core.credentials.restore(world.credentials, core.now());
  core.accounts.restore(world.accounts, core.now());
  core.serviceAccounts.restore(world.serviceAccounts);
  return true;
}
