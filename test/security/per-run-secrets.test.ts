// The passwords a run derives are its own: a site provisioned again after a decommission reuses the business key
// `provision-site/<service>/<domain>`, and must not get the old site's database and CMS passwords (whoever saw them
// could log in to the new site). End to end: the suite's dev server, a worker, the simulator over HTTPS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDecommissionSiteInput } from '../../src/shared/inputs/index.js';
import type { ProvisionSiteResult } from '../../src/shared/provision.js';
import { provisionInput } from '../support/provisioning.js';
import { outcomeOf, startTestStack, uniqueDomain, type TestStack } from '../support/stack.js';
import { createHostingService } from './support.js';

describe('per-run secrets', { timeout: 180_000 }, () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack('per-run-secrets');
    await stack.startWorker();
  }, 90_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('a domain provisioned, decommissioned and provisioned again gets new database and CMS admin passwords', async () => {
    const { serviceName } = await createHostingService(stack, 'pr');
    const domain = uniqueDomain('again');
    const provision = async () => {
      const ref = await stack.runs.start('provision', provisionInput({ serviceName, domain, ssl: { mode: 'none' }, database: {}, module: { name: 'wordpress' } }));
      const view = await outcomeOf(stack.runs, ref.workflowId, 90_000);
      expect(view.status, JSON.stringify(view.progress)).toBe('completed');
      return { ref, result: view.result as ProvisionSiteResult };
    };

    const first = await provision();
    const parsed = parseDecommissionSiteInput({ serviceName, domain, confirmed: true });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const decommission = await stack.runs.start('decommission', parsed.value, { requestId: 'gone' });
    expect((await outcomeOf(stack.runs, decommission.workflowId, 90_000)).status).toBe('completed');
    expect((await stack.sim.state()).services[serviceName]!.databases).toEqual([]);

    const second = await provision();
    // Same business key, a new run: the premise of the flaw.
    expect(second.ref.workflowId).toBe(first.ref.workflowId);
    expect(second.ref.runId).not.toBe(first.ref.runId);
    // Same resources by name (the user is derived from the domain), new secrets.
    expect(second.result.database?.user).toBe(first.result.database?.user);
    const passwords = (result: ProvisionSiteResult) => [result.database?.password, result.module?.adminPassword];
    for (const password of [...passwords(first.result), ...passwords(second.result)]) expect(password).toMatch(/^[A-Za-z0-9]{12,}$/);
    expect(second.result.database?.password).not.toBe(first.result.database?.password);
    expect(second.result.module?.adminPassword).not.toBe(first.result.module?.adminPassword);
  });
});
