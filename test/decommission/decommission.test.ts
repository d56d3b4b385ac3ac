// Decommissioning one site of a hosting that holds two, as operators run it: `ovhflow decommission` through the
// binary shows its plan and removes nothing until `ovhflow confirm`; then exactly that site's module, database
// (after a safety dump) and domain go, the Let's Encrypt certificate is regenerated for what remains, and the other
// site is intact. A second decommission of the same site is a no-op with zero writes; an abort before the
// confirmation changes nothing; the last SSL site's decommission deletes the certificate. Suite's dev server, a
// worker of this file, a real simulator (its admin state and request log say what really happened).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecommissionSiteResult } from '../../src/shared/decommission.js';
import type { ProvisionSiteResult } from '../../src/shared/provision.js';
import { parseDecommissionSiteInput } from '../../src/shared/inputs/index.js';
import { parsedJson, startCliStack, type CliStack, type Ovhflow } from '../support/cli.js';
import { provisionInput, waitForStatus } from '../support/provisioning.js';
import { outcomeOf, uniqueDomain, writesTo, type TestStack } from '../support/stack.js';
import { createHostingService } from '../security/support.js';

describe('decommission of one site', { timeout: 150_000 }, () => {
  let cliStack: CliStack;
  let stack: TestStack;
  let ovhflow: Ovhflow;
  let serviceName: string;
  const sites: Array<{ domain: string; result: ProvisionSiteResult }> = [];

  beforeAll(async () => {
    cliStack = await startCliStack('decommission');
    stack = cliStack.stack;
    await stack.startWorker();
    ovhflow = await cliStack.ownWorker('decommission-cli');
    ({ serviceName } = await createHostingService(stack, 'dc'));
    // Two sites on one hosting, one after the other (the second regenerates the first one's certificate).
    for (const prefix of ['gone', 'kept']) {
      const domain = uniqueDomain(prefix);
      const ref = await stack.runs.startProvision(provisionInput({ serviceName, domain, database: {}, module: { name: 'wordpress' } }));
      const view = await outcomeOf(stack.runs, ref.workflowId);
      expect(view.status, JSON.stringify(view.progress)).toBe('completed');
      sites.push({ domain, result: view.result as ProvisionSiteResult });
    }
  }, 120_000);
  afterAll(async () => {
    await cliStack?.stopWorkers();
    await cliStack?.close();
  });

  const decommission = (domain: string, requestId: string, confirmed: boolean) => {
    const parsed = parseDecommissionSiteInput({ serviceName, domain, confirmed });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    return stack.runs.startDecommission(parsed.value, requestId);
  };

  it('without --yes it shows the plan and waits for `ovhflow confirm`; then it removes exactly that site and regenerates the certificate for the other; a second decommission is a no-op with zero writes', async () => {
    const [gone, kept] = sites as [(typeof sites)[0], (typeof sites)[0]];
    const id = `decommission-site/${serviceName}/${gone.domain}/first`;
    const started = await ovhflow('decommission', '--service', serviceName, '--domain', gone.domain, '--request-id', 'first');
    expect(started.code, started.stderr).toBe(0);
    expect(started.stdout).toContain(`started: ${id}\nnothing is removed until you confirm: ovhflow confirm ${id}`);
    await waitForStatus(stack.runs, id, ['needs-attention']);
    const status = await ovhflow('status', id, '--json');
    expect(status.code).toBe(1);
    const waiting = parsedJson(status);
    expect(waiting).toMatchObject({ type: 'decommission', status: 'needs-attention', attention: { step: 'confirm', failureType: 'OvhflowConfirmationRequired' } });
    const db = gone.result.database!.name;
    expect(waiting.plan).toEqual([
      `dump database ${db} first (the safety dump is kept)`,
      `uninstall module ${gone.result.module!.moduleId} (id ${gone.result.module!.id}) at ${gone.result.module!.url}`,
      `delete database ${db} (module dependency)`,
      `detach ${gone.domain} (folder ./${gone.result.domain.path}; its files are not deleted)`,
      `certificate: regenerate the Let's Encrypt certificate for what remains attached with SSL (${kept.domain})`,
      'nothing removed can be un-deleted: an abort after the confirmation stops the run, it does not bring anything back',
    ]);
    expect((await writesTo(stack.sim, serviceName)).filter((w) => w.at > waiting.startedAt)).toEqual([]);

    const confirmed = await ovhflow('confirm', id);
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(confirmed.stdout).toBe(`confirmed: ${id} goes on with the decommission\n`);
    const view = await outcomeOf(stack.runs, id, 90_000);
    expect(view.status, JSON.stringify(view.progress)).toBe('completed');
    const result = view.result as DecommissionSiteResult;
    expect(result).toMatchObject({
      removed: { module: gone.result.module!.id, database: db, domain: gone.domain },
      certificate: { action: 'regenerate', done: true },
      noop: false,
      confirmedBy: 'update',
      safetyDump: { databaseName: db },
    });

    const state = (await stack.sim.state()).services[serviceName]!;
    expect(state.attachedDomains.map((d) => d.domain)).toEqual([kept.domain]);
    expect(state.databases.map((d) => d.name)).toEqual([kept.result.database!.name]);
    expect(state.modules.map((m) => m.id)).toEqual([kept.result.module!.id]);
    expect(state.moduleHealth).toEqual([{ id: kept.result.module!.id, healthy: true, problems: [] }]);
    expect(state.ssl).toMatchObject({ provider: 'LETSENCRYPT', status: 'created', domains: [kept.domain] });
    expect(state.dumps.map((d) => d.id)).toContain(result.safetyDump!.id);

    // Again, for the same site: nothing left, nothing written, no confirmation needed.
    const writesBefore = (await writesTo(stack.sim, serviceName)).length;
    const again = await decommission(gone.domain, 'second', false);
    const noop = await outcomeOf(stack.runs, again.workflowId);
    expect(noop.status).toBe('completed');
    expect(noop.result).toMatchObject({ noop: true, removed: {} });
    expect(noop.progress?.plan).toEqual([`nothing of ${gone.domain} is left on ${serviceName}: nothing to remove`]);
    expect((await writesTo(stack.sim, serviceName)).length).toBe(writesBefore);
  });

  it('an abort before the confirmation changes nothing; with the confirmation given, the last SSL site goes and so does the certificate', async () => {
    const kept = sites[1]!;
    const writesBefore = (await writesTo(stack.sim, serviceName)).length;
    const waiting = await decommission(kept.domain, 'aborted', false);
    await waitForStatus(stack.runs, waiting.workflowId, ['needs-attention']);
    await stack.runs.abort(waiting.workflowId);
    const aborted = await outcomeOf(stack.runs, waiting.workflowId);
    expect(aborted.status).toBe('aborted');
    expect(aborted.failure?.message).toContain('nothing a decommission removes can be un-deleted');
    expect((await writesTo(stack.sim, serviceName)).length).toBe(writesBefore);

    const ref = await decommission(kept.domain, 'confirmed', true);
    const view = await outcomeOf(stack.runs, ref.workflowId, 90_000);
    expect(view.status, JSON.stringify(view.progress)).toBe('completed');
    expect(view.result).toMatchObject({ certificate: { action: 'delete', done: true }, confirmedBy: 'input' });
    const state = (await stack.sim.state()).services[serviceName]!;
    expect([state.attachedDomains, state.databases, state.modules, state.ssl]).toEqual([[], [], [], null]);
  });
});
