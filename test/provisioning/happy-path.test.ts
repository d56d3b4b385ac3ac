import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProvisionSiteInput } from '../../src/shared/inputs/index.js';
import type { ProvisionSiteResult } from '../../src/shared/provision.js';
import { outcomeOf, startTestStack, uniqueDomain, writesTo, type TestStack } from '../support/stack.js';

function input(raw: unknown) {
  const parsed = parseProvisionSiteInput(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
}

describe('provisionSite end to end (Temporal dev server + simulator over HTTPS)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('provision-happy');
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('attaches the domain, creates the database, installs WordPress wired to it, and covers the domain with SSL', async () => {
    const domain = uniqueDomain('blog');
    const ref = await stack.runs.start('provision', input({ serviceName: 'demo-shop.ovh', domain, module: { name: 'wordpress' }, database: {} }));
    const view = await outcomeOf(stack.runs, ref.workflowId);
    expect(view.status, JSON.stringify(view.progress)).toBe('completed');
    const result = view.result as ProvisionSiteResult;

    const state = (await stack.sim.state()).services['demo-shop.ovh']!;
    const attached = state.attachedDomains.find((d) => d.domain === domain);
    expect(attached).toMatchObject({ status: 'created', ssl: true });
    const db = state.databases.find((d) => d.name === result.database?.name);
    expect(db).toMatchObject({ status: 'created' });
    const module = state.modules.find((m) => m.id === result.module?.id);
    expect(module?.dependencies?.[0]).toMatchObject({ type: 'mysql', name: result.database?.name });
    // Its own certificate (OVH's 2026 per-domain API), not the hosting-wide one regenerated.
    expect(state.domainSsl[domain]).toMatchObject({ status: 'created', provider: 'LETSENCRYPT' });
    expect(state.ssl?.domains).not.toContain(domain);
    expect(result.database?.password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(result.ssl).toMatchObject({ action: 'ordered', scope: 'domain' });
    // The domain already points at the hosting (the simulator's default for names it does not model): DNS adopted.
    expect(view.progress?.steps.map((s) => s.state)).toEqual(['done', 'done', 'adopted', 'done', 'done', 'skipped', 'skipped', 'skipped', 'skipped', 'done']);
    expect(result.dns).toEqual({ action: 'adopted', records: [] });

    const writes = await writesTo(stack.sim, 'demo-shop.ovh');
    expect(writes.map((w) => `${w.method} ${w.path.replace(/\/\d+$/, '/:id')}`)).toEqual([
      'POST /hosting/web/demo-shop.ovh/attachedDomain',
      'POST /hosting/web/demo-shop.ovh/database',
      'POST /hosting/web/demo-shop.ovh/module',
      `POST /hosting/web/demo-shop.ovh/attachedDomain/${domain}/ssl`,
    ]);
  });
});
