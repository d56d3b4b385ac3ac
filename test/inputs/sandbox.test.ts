// The shared inputs run inside workflows (update validators); prove they bundle and run in Temporal's sandbox and
// answer exactly as they do in Node.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseRestoreCorrections } from '../../src/shared/backups.js';
import {
  applyProvisionSitePatch,
  parseProvisionSiteInput,
  parseRestoreDatabaseInput,
  parseSetArguments,
} from '../../src/shared/inputs/index.js';
import { BAD_PROVISION_INPUTS, GOOD_PROVISION_INPUTS } from '../fixtures/bad-provision-inputs.js';
import { type TestTemporal, connectTestTemporal, createTestWorker, uniqueTaskQueue, uniqueWorkflowId } from '../support/temporal.js';
import type { parseInputsInSandbox } from './sandbox-probe.workflow.js';

const noop = () => undefined;

describe('the shared inputs inside the workflow sandbox', () => {
  let t: TestTemporal;
  let bundlePath: string;

  beforeAll(async () => {
    const { code } = await bundleWorkflowCode({
      workflowsPath: fileURLToPath(new URL('./sandbox-probe.workflow.ts', import.meta.url)),
      logger: { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop },
    });
    bundlePath = join(inject('workDir'), `inputs-sandbox-probe-${process.pid}.js`);
    writeFileSync(bundlePath, code);
    t = await connectTestTemporal();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('parses, patches and refuses exactly as Node does', async () => {
    const provision = [
      { serviceName: 'demo-agency.ovh', domain: 'Bücher.Example.', database: {}, module: 'wordpress' },
      ...GOOD_PROVISION_INPUTS.map((c) => c.input),
      ...BAD_PROVISION_INPUTS.map((c) => c.input),
    ];
    const setArguments = ['database.capability=sqlPro', 'path=www2', 'module.language=fr'];
    const restore = { serviceName: 'demo-agency.ovh', databaseName: 'demoagewp', dump: '2025-03-01T03:00:00+01:00' };

    const taskQueue = uniqueTaskQueue('inputs-sandbox');
    const { worker, close } = await createTestWorker(t, taskQueue, { workflowBundlePath: bundlePath });
    const result = await worker.runUntil(
      t.client.workflow.execute<typeof parseInputsInSandbox>('parseInputsInSandbox', {
        taskQueue,
        workflowId: uniqueWorkflowId('inputs-sandbox'),
        args: [provision, setArguments, restore],
      }),
    );
    await close();

    const inNode = provision.map((raw) => parseProvisionSiteInput(raw));
    expect(result.provision).toEqual(JSON.parse(JSON.stringify(inNode)));
    expect(result.provision[0]).toMatchObject({ ok: true, value: { domain: 'xn--bcher-kva.example' } });
    const first = inNode[0];
    const patch = parseSetArguments(setArguments);
    expect(first?.ok && patch.ok).toBe(true);
    if (first?.ok && patch.ok) {
      expect(result.patched).toEqual(applyProvisionSitePatch(first.value, patch.value));
      expect(result.corrected).toEqual(applyProvisionSitePatch(first.value, patch.value));
    }
    expect(result.restoreCorrections).toEqual(parseRestoreCorrections(['dump=2025-03-01T03:00:00+01:00', 'safetyDump=false']));
    expect(result.restoreCorrections).toMatchObject({ ok: true, value: { dump: { latestBefore: '2025-03-01T02:00:00.000Z' }, safetyDump: false } });
    // Every input the parser accepts has the shape a workflow checks for.
    expect(result.shapes).toEqual(inNode.map((r) => r.ok));
    expect(result.restore).toEqual(parseRestoreDatabaseInput(restore));
    expect(result.password).toBe(true);
  });
});
