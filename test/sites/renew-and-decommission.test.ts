// Certificate renewal, provisioning's custom-certificate decision, and decommissioning one site, as operators meet
// them, on one stack (the suite's dev server, a worker of this file, a real simulator whose admin state and request
// log say what really happened). Each test works on hosting services of its own, so they run concurrently.
// - `ovhflow renew-cert`: a bad certificate is refused with zero writes (CLI and HTTP), a good one replaces the
//   current one (delete, then create at once), and the private key is never in raw history or logs;
// - a provisioning on a hosting whose CUSTOM certificate does not cover the new domain stops for a decision;
// - `ovhflow decommission`: the plan first, nothing removed before `ovhflow confirm`, then exactly that site goes and
//   the other is intact; a second decommission is a no-op with zero writes; an abort before the confirmation
//   changes nothing; the last SSL site's decommission deletes the certificate.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecommissionSiteResult } from '../../src/shared/decommission.js';
import { FAILURE_TYPES } from '../../src/shared/failures.js';
import { parseDecommissionSiteInput, parseRenewCertificateInput } from '../../src/shared/inputs/index.js';
import type { ProvisionSiteResult } from '../../src/shared/provision.js';
import { createHostingService, everythingIn, leakedIn } from '../security/support.js';
import { startTestApi } from '../support/api.js';
import { parsedJson, startCliStack, type CliStack, type Ovhflow } from '../support/cli.js';
import { provisionInput, waitForStatus } from '../support/provisioning.js';
import { outcomeOf, uniqueDomain, writesTo, type TestStack } from '../support/stack.js';

const DAY = 24 * 60 * 60 * 1000;

async function certificateFor(domains: string[], days: number) {
  const now = Date.now();
  return selfsigned.generate([{ name: 'commonName', value: domains[0]! }], {
    algorithm: 'sha256',
    keySize: 2048,
    notBeforeDate: new Date(now - DAY),
    notAfterDate: new Date(now + days * DAY),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'subjectAltName', altNames: domains.map((value) => ({ type: 2, value })) },
    ],
  });
}

describe.concurrent('certificates and decommission', { timeout: 150_000 }, () => {
  let cliStack: CliStack;
  let stack: TestStack;
  let ovhflow: Ovhflow;
  const dir = mkdtempSync(join(tmpdir(), 'ovhflow-certs-'));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  beforeAll(async () => {
    cliStack = await startCliStack('renew-decommission');
    stack = cliStack.stack;
    await stack.startWorker();
    // These runs prove the hosting-wide certificate path, which older hostings (multipleSSL false) still take; the
    // per-domain certificate of newer ones is test/provisioning/domain-certificates.test.ts.
    for (const service of ['demo-shop.ovh', 'demo-agency.ovh']) await stack.sim.setService(service, { multipleSsl: false });
    ovhflow = await cliStack.ownWorker('renew-decommission-cli');
  }, 90_000);
  afterAll(async () => {
    await cliStack?.stopWorkers();
    await cliStack?.close();
  });

  it('a custom certificate renews through the CLI; a wrong key, an earlier expiry or a missing domain is refused with zero writes; the key is never in raw history or logs', async () => {
    const { serviceName } = await createHostingService(stack, 'rn', { hostingWideSsl: true });
    const domain = uniqueDomain('renew');
    const current = await certificateFor([domain], 30);
    const provisioned = await stack.runs.start('provision', provisionInput({ serviceName, domain, ssl: { mode: 'custom', certificate: current.cert, key: current.private } }));
    expect((await outcomeOf(stack.runs, provisioned.workflowId)).status).toBe('completed');

    const [renewal, earlier, elsewhere] = await Promise.all([certificateFor([domain, `www.${domain}`], 365), certificateFor([domain], 10), certificateFor([`other.${domain}`], 365)]);
    const writesBefore = (await writesTo(stack.sim, serviceName)).length;
    const common = ['renew-cert', '--service', serviceName, '--yes'];
    const [wrongKey, earlierExpiry, neither] = await Promise.all([
      ovhflow(...common, '--certificate', file('renewal.pem', renewal.cert), '--key', file('elsewhere.key', elsewhere.private)),
      ovhflow(...common, '--certificate', file('earlier.pem', earlier.cert), '--key', file('earlier.key', earlier.private), '--current-certificate', file('current.pem', current.cert)),
      ovhflow('renew-cert', '--service', serviceName),
    ]);
    expect([wrongKey.code, earlierExpiry.code, neither.code]).toEqual([2, 2, 2]);
    expect(wrongKey.stderr).toContain('invalid certificate, nothing was started');
    expect(wrongKey.stderr).toContain('key: does not match the certificate');
    expect(earlierExpiry.stderr).toMatch(/certificate: expires on .*, not later than the current certificate/);
    expect(neither.stderr).toContain('either --certificate FILE --key FILE [--chain FILE], or --letsencrypt');
    // The HTTP API refuses the same way, before anything starts.
    const api = await startTestApi(stack);
    const refused = await api.call('POST', '/v1/certificate-renewals', { body: { serviceName, mode: 'custom', certificate: renewal.cert, key: elsewhere.private, confirmed: true } });
    await api.close();
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid_input', issues: [{ field: 'key', message: 'does not match the certificate (it is the private key of another certificate)' }] });

    // The domains it must keep covering are OVH's to say: the worker's preflight refuses it, the run fails, no write.
    const missing = await ovhflow(...common, '--certificate', file('elsewhere.pem', elsewhere.cert), '--key', file('elsewhere.key', elsewhere.private), '--request-id', 'missing-domain', '--wait', '--json');
    expect(missing.code, missing.stderr).toBe(1);
    expect(parsedJson(missing)).toMatchObject({ type: 'renew-cert', status: 'failed', failure: { type: FAILURE_TYPES.invalidInput } });
    expect(parsedJson(missing).failure.message).toContain(`certificate refused, nothing was changed`);
    expect(parsedJson(missing).failure.message).toContain(`does not cover "${domain}"`);
    expect((await writesTo(stack.sim, serviceName)).length).toBe(writesBefore);

    const renewed = await ovhflow(
      ...common,
      '--certificate', file('renewal.pem', renewal.cert),
      '--key', file('renewal.key', renewal.private),
      '--current-certificate', file('current.pem', current.cert),
      '--request-id', 'good',
      '--wait', '--json',
    );
    expect(renewed.code, renewed.stderr).toBe(0);
    const run = parsedJson(renewed);
    expect(run).toMatchObject({ type: 'renew-cert', status: 'completed', result: { serviceName, provider: 'CUSTOM', action: 'replaced', previous: { provider: 'CUSTOM', domains: [domain] }, confirmedBy: 'input' } });
    expect(run.result.domains).toEqual([domain, `www.${domain}`].sort());
    expect((await stack.sim.state()).services[serviceName]!.ssl).toMatchObject({ provider: 'CUSTOM', status: 'created', domains: [domain, `www.${domain}`].sort() });
    // Delete, then create at once: the only writes of the renewal.
    const writes = (await writesTo(stack.sim, serviceName)).slice(writesBefore).filter((w) => w.status === 200);
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual([`DELETE /hosting/web/${serviceName}/ssl`, `POST /hosting/web/${serviceName}/ssl`]);

    // The private key: encrypted in the raw history, never in the worker's logs.
    const plain = new Client({ connection: stack.t.client.connection, namespace: stack.t.namespace });
    const history = await plain.workflow.getHandle(run.workflowId).fetchHistory();
    expect(leakedIn(everythingIn(history), { key: renewal.private })).toEqual([]);
    expect(leakedIn(stack.t.logLines.join('\n'), { key: renewal.private })).toEqual([]);
    expect(renewed.stdout).not.toContain(renewal.private.split('\n')[1]);
  });

  it("a Let's Encrypt renewal regenerates in place, without a confirmation", async () => {
    const parsed = parseRenewCertificateInput({ serviceName: 'demo-shop.ovh', mode: 'letsencrypt' });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const ref = await stack.runs.start('renew-cert', parsed.value, { requestId: 'le-renewal' });
    const view = await outcomeOf(stack.runs, ref.workflowId);
    expect(view.status, JSON.stringify(view.progress)).toBe('completed');
    expect(view.result).toMatchObject({ provider: 'LETSENCRYPT', action: 'regenerated', domains: ['shop.example.com'] });
    const writes = (await writesTo(stack.sim, 'demo-shop.ovh')).filter((w) => w.path.includes('/ssl'));
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual(['POST /hosting/web/demo-shop.ovh/ssl/regenerate']);
  });

  it('CUSTOM certificate + new domain in provisioning: needs-attention with the decision, no regenerate call, then skip completes without HTTPS for it', async () => {
    const { serviceName } = await createHostingService(stack, 'cu', { hostingWideSsl: true });
    const first = uniqueDomain('custom-first');
    const pems = await certificateFor([first], 90);
    const firstRun = await stack.runs.start('provision', provisionInput({ serviceName, domain: first, ssl: { mode: 'custom', certificate: pems.cert, key: pems.private } }));
    expect((await outcomeOf(stack.runs, firstRun.workflowId)).status).toBe('completed');

    const second = uniqueDomain('custom-second');
    const ref = await stack.runs.start('provision', provisionInput({ serviceName, domain: second }));
    const waiting = await waitForStatus(stack.runs, ref.workflowId, ['needs-attention']);
    const attention = waiting.progress?.attention;
    expect(attention).toMatchObject({ step: 'ssl', failureType: FAILURE_TYPES.customCertificateUncovered });
    expect(attention?.message).toBe(`the hosting's custom certificate does not cover ${second}, and OVH cannot regenerate a custom certificate`);
    expect(attention?.hint).toContain(`ovhflow renew-cert --service ${serviceName} --certificate FILE --key FILE`);
    expect(attention?.hint).toContain(`ovhflow retry ${ref.workflowId}`);
    expect(attention?.hint).toContain(`ovhflow skip ${ref.workflowId}\` to leave HTTPS off for ${second}`);
    expect((await writesTo(stack.sim, serviceName)).filter((w) => w.path.endsWith('/ssl/regenerate'))).toEqual([]);

    await stack.runs.skip(ref.workflowId);
    const done = await outcomeOf(stack.runs, ref.workflowId);
    expect(done.status).toBe('completed');
    expect(done.result).toMatchObject({ domain: { name: second }, skipped: ['ssl'] });
    expect((await stack.sim.state()).services[serviceName]!.ssl).toMatchObject({ provider: 'CUSTOM', domains: [first] });
  });

  it('decommission: the plan first and nothing removed before `ovhflow confirm`; then exactly that site goes and the other is intact; again it is a no-op with zero writes; an abort before the confirmation changes nothing; the last SSL site takes the certificate with it', async () => {
    const { serviceName } = await createHostingService(stack, 'dc', { hostingWideSsl: true });
    // Two sites on one hosting, one after the other (the second regenerates the first one's certificate).
    const sites: Array<{ domain: string; result: ProvisionSiteResult }> = [];
    for (const prefix of ['gone', 'kept']) {
      const domain = uniqueDomain(prefix);
      const ref = await stack.runs.start('provision', provisionInput({ serviceName, domain, database: {}, module: { name: 'wordpress' } }));
      const view = await outcomeOf(stack.runs, ref.workflowId);
      expect(view.status, JSON.stringify(view.progress)).toBe('completed');
      sites.push({ domain, result: view.result as ProvisionSiteResult });
    }
    const [gone, kept] = sites as [(typeof sites)[0], (typeof sites)[0]];
    const decommission = (domain: string, requestId: string, confirmed: boolean) => {
      const parsed = parseDecommissionSiteInput({ serviceName, domain, confirmed });
      if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
      return stack.runs.start('decommission', parsed.value, { requestId: requestId });
    };

    // Started as the API and the CLI start it (the run service; the CLI's own start is below): it plans, then waits.
    const { workflowId: id } = await decommission(gone.domain, 'first', false);
    expect(id).toBe(`decommission-site/${serviceName}/${gone.domain}/first`);
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
    let state = (await stack.sim.state()).services[serviceName]!;
    expect(state.attachedDomains.map((d) => d.domain)).toEqual([kept.domain]);
    expect(state.databases.map((d) => d.name)).toEqual([kept.result.database!.name]);
    expect(state.modules.map((m) => m.id)).toEqual([kept.result.module!.id]);
    expect(state.moduleHealth).toEqual([{ id: kept.result.module!.id, healthy: true, problems: [] }]);
    expect(state.ssl).toMatchObject({ provider: 'LETSENCRYPT', status: 'created', domains: [kept.domain] });
    expect(state.dumps.map((d) => d.id)).toContain(result.safetyDump!.id);

    // Again, through the CLI: nothing left, nothing written, no confirmation needed.
    const writesBefore = (await writesTo(stack.sim, serviceName)).length;
    const again = await ovhflow('decommission', '--service', serviceName, '--domain', gone.domain, '--request-id', 'second', '--wait', '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(parsedJson(again)).toMatchObject({ type: 'decommission', status: 'completed', result: { noop: true, removed: {} }, plan: [`nothing of ${gone.domain} is left on ${serviceName}: nothing to remove`] });
    expect((await writesTo(stack.sim, serviceName)).length).toBe(writesBefore);

    // Over HTTP: a bad input is a 400 and starts nothing; a good one starts the run, which waits for its confirm.
    const api = await startTestApi(stack);
    const bad = await api.call('POST', '/v1/decommissions', { body: { serviceName, domain: 'not a domain', confirmed: 'yes' } });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { field: string }) => i.field).sort()).toEqual(['confirmed', 'domain']);
    const started = await api.call('POST', '/v1/decommissions', { body: { serviceName, domain: kept.domain }, headers: { 'Idempotency-Key': 'aborted' } });
    await api.close();
    expect(started.status, started.text).toBe(202);
    const abortedId = started.body.workflowId as string;
    expect(abortedId).toBe(`decommission-site/${serviceName}/${kept.domain}/aborted`);
    await waitForStatus(stack.runs, abortedId, ['needs-attention']);
    await stack.runs.abort(abortedId);
    const aborted = await outcomeOf(stack.runs, abortedId);
    expect(aborted.status).toBe('aborted');
    expect(aborted.failure?.message).toContain('nothing a decommission removes can be un-deleted');
    expect((await writesTo(stack.sim, serviceName)).length).toBe(writesBefore);

    const last = await decommission(kept.domain, 'confirmed', true);
    const lastView = await outcomeOf(stack.runs, last.workflowId, 90_000);
    expect(lastView.status, JSON.stringify(lastView.progress)).toBe('completed');
    expect(lastView.result).toMatchObject({ certificate: { action: 'delete', done: true }, confirmedBy: 'input' });
    state = (await stack.sim.state()).services[serviceName]!;
    expect([state.attachedDomains, state.databases, state.modules, state.ssl]).toEqual([[], [], [], null]);

    // Provisioning a decommissioned site again is a new run (the old run's answer names resources that are gone);
    // triggered twice, it is still one run.
    const reprovisioned = await stack.runs.start('provision', provisionInput({ serviceName, domain: gone.domain, ssl: { mode: 'none' } }));
    expect(reprovisioned).toMatchObject({ workflowId: `provision-site/${serviceName}/${gone.domain}`, existing: false });
    expect(await stack.runs.start('provision', provisionInput({ serviceName, domain: gone.domain, ssl: { mode: 'none' } }))).toMatchObject({ runId: reprovisioned.runId, existing: true });
    expect((await outcomeOf(stack.runs, reprovisioned.workflowId)).status).toBe('completed');
    expect((await stack.sim.state()).services[serviceName]!.attachedDomains.map((d) => d.domain)).toEqual([gone.domain]);
  });
});
