// Helpers of the backup tests: valid inputs, hosting services with databases created through the simulator's admin
// API and the real OVH calls, and what the simulator holds.
import { randomUUID } from 'node:crypto';
import { parseBackupDatabaseInput, parseRestoreDatabaseInput, type BackupDatabaseInput, type RestoreDatabaseInput } from '../../src/shared/inputs/index.js';
import type { TestSimulator } from '../support/simulator.js';
import type { TestStack } from '../support/stack.js';

export const SHOP = 'demo-shop.ovh';
export const SHOP_DB = 'demoshopdb1';

export function backupInput(raw: Record<string, unknown>): BackupDatabaseInput {
  const parsed = parseBackupDatabaseInput(raw);
  if (!parsed.ok) throw new Error(`test input invalid: ${JSON.stringify(parsed.issues)}`);
  return parsed.value;
}

export function restoreInput(raw: Record<string, unknown>): RestoreDatabaseInput {
  const parsed = parseRestoreDatabaseInput(raw);
  if (!parsed.ok) throw new Error(`test input invalid: ${JSON.stringify(parsed.issues)}`);
  return parsed.value;
}

export const requestId = () => `test-${randomUUID().slice(0, 8)}`;

/**
 * Hosting services no other test file uses (workflow ids are global on the suite's server), on an offer with room for
 * `databases` databases each, created with real `POST /database` calls and waited for.
 */
export async function createServicesWithDatabases(stack: TestStack, count: number, databases: number, offer = 'PERFORMANCE_1') {
  const tag = randomUUID().replace(/-/g, '').slice(0, 5).replace(/^\d/, 'x');
  const services: Array<{ serviceName: string; databases: string[] }> = [];
  for (let i = 0; i < count; i++) {
    const serviceName = `n${tag}-${String.fromCharCode(97 + i)}.example.net`;
    const primaryLogin = `n${tag}${String.fromCharCode(97 + i)}`;
    await stack.sim.request('POST', `/_sim/services/${serviceName}`, { offer, primaryLogin });
    services.push({ serviceName, databases: Array.from({ length: databases }, (_, d) => `${primaryLogin}db${d + 1}`) });
  }
  await Promise.all(
    services.flatMap(({ serviceName, databases: names }) =>
      names.map(async (user) => {
        const task = await stack.ovh.createDatabase(serviceName, { capabilitie: 'sqlPerso', type: 'mysql', user, password: 'NightlyTest2025' });
        await stack.sim.waitForTask(serviceName, task.id);
      }),
    ),
  );
  return services;
}

/** The `now` dumps of one database, as the simulator holds them. */
export async function nowDumps(sim: TestSimulator, serviceName: string, databaseName: string) {
  const state = (await sim.state()).services[serviceName];
  return (state?.dumps ?? []).filter((d) => d.databaseName === databaseName && d.type === 'now');
}

/** The simulator's write calls, as `METHOD path` with numeric ids kept. */
export async function writeCalls(sim: TestSimulator, serviceName: string): Promise<string[]> {
  const requests = await sim.requests();
  return requests.filter((r) => r.method !== 'GET' && r.path.includes(`/hosting/web/${serviceName}/`)).map((r) => `${r.method} ${r.path}`);
}
