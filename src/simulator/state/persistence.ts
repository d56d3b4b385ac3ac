// Optional persistence of the simulated world in the data directory (`state.json`), so `ovhflow sim --persist`
// finds its services, keys and tasks again after a restart. Tasks keep absolute timestamps: one that should have
// ended while the simulator was down has ended when it comes back.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CredentialSnapshot } from '../auth/credential-store.js';
import type { SimulatorCore } from '../core.js';
import type { HostingService, SimulatorState, TaskRecord } from './records.js';

const VERSION = 1;

type StoredService = Omit<HostingService, 'attachedDomains' | 'databases' | 'dumps' | 'modules' | 'users'> & {
  attachedDomains: Array<[string, unknown]>;
  databases: Array<[string, unknown]>;
  dumps: Array<[number, unknown]>;
  modules: Array<[number, unknown]>;
  users: Array<[string, unknown]>;
};

interface StoredWorld {
  version: number;
  savedAt: string;
  seed: number;
  services: StoredService[];
  tasks: TaskRecord[];
  nextIds: SimulatorState['nextIds'];
  credentials: CredentialSnapshot;
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
    })),
    tasks: [...core.state.tasks.values()],
    nextIds: core.state.nextIds,
    credentials: core.credentials.snapshot(),
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
    } as HostingService);
  }
  core.seed = world.seed;
  core.replaceState({ services, tasks: new Map(world.tasks.map((task) => [task.id, task])), nextIds: world.nextIds });
  core.credentials.restore(world.credentials, core.now());
  return true;
}
