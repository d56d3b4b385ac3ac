// Certificate renewal and the custom-certificate decision in provisioning, as operators meet them: `ovhflow renew-cert`
// through the binary (a bad certificate refused with zero writes, a good one replacing the current one after the
// confirmation), and a provisioning on a hosting whose CUSTOM certificate does not cover the new domain stopping
// for a decision instead of a call OVH refuses. Suite's dev server, a worker of this file, a real simulator.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FAILURE_TYPES } from '../../src/shared/failures.js';
import { parseRenewCertificateInput } from '../../src/shared/inputs/index.js';
import { parsedJson, startCliStack, type CliStack, type Ovhflow } from '../support/cli.js';
import { provisionInput, waitForStatus } from '../support/provisioning.js';
import { outcomeOf, uniqueDomain, writesTo, type TestStack } from '../support/stack.js';
import { createHostingService, everythingIn, leakedIn } from '../security/support.js';

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

describe('certificate renewal', { timeout: 120_000 }, () => {
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
    cliStack = await startCliStack('renew-cert');
    stack = cliStack.stack;
    await stack.startWorker();
    ovhflow = await cliStack.ownWorker('renew-cert-cli');
  }, 90_000);
  afterAll(async () => {
    await cliStack?.stopWorkers();
    await cliStack?.close();
  });

  it('a custom certificate renews through the CLI; a wrong key, an earlier expiry or a missing domain is refused with zero writes; the key is never in raw history or logs', async () => {
    const { serviceName } = await createHostingService(stack, 'rn');
    const domain = uniqueDomain('renew');
    const current = await certificateFor([domain], 30);
    const provisioned = await stack.runs.startProvision(provisionInput({ serviceName, domain, ssl: { mode: 'custom', certificate: current.cert, key: current.private } }));
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
    const ref = await stack.runs.startRenewCertificate(parsed.value, 'le-renewal');
    const view = await outcomeOf(stack.runs, ref.workflowId);
    expect(view.status, JSON.stringify(view.progress)).toBe('completed');
    expect(view.result).toMatchObject({ provider: 'LETSENCRYPT', action: 'regenerated', domains: ['shop.example.com'] });
    const writes = (await writesTo(stack.sim, 'demo-shop.ovh')).filter((w) => w.path.includes('/ssl'));
    expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual(['POST /hosting/web/demo-shop.ovh/ssl/regenerate']);
  });

  it('CUSTOM certificate + new domain in provisioning: needs-attention with the decision, no regenerate call, then skip completes without HTTPS for it', async () => {
    const { serviceName } = await createHostingService(stack, 'cu');
    const first = uniqueDomain('custom-first');
    const pems = await certificateFor([first], 90);
    const firstRun = await stack.runs.startProvision(provisionInput({ serviceName, domain: first, ssl: { mode: 'custom', certificate: pems.cert, key: pems.private } }));
    expect((await outcomeOf(stack.runs, firstRun.workflowId)).status).toBe('completed');

    const second = uniqueDomain('custom-second');
    const ref = await stack.runs.startProvision(provisionInput({ serviceName, domain: second }));
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
});
