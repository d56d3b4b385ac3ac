// Key rotation, with runs in flight: a provisioning starts under the old key, its worker stops while the database is
// being created (the simulator's database task is slowed down), and a worker with the rotated keyring
// (`new:...,old:...`, the new key first) finishes it. A worker given only the new key cannot read the old run: a
// workflow task failure that names the missing key, until the old key is back.
import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptedDataConverter, ENCRYPTED_ENCODING, EncryptionCodec } from '../../src/codec/encryption-codec.js';
import { parseKeyring, type Keyring } from '../../src/codec/keyring.js';
import { createRunService, type RunService } from '../../src/runs/service.js';
import { createPasswordDeriver } from '../../src/secrets/derived-passwords.js';
import type { ProvisionSiteResult } from '../../src/shared/provision.js';
import { progressQuery } from '../../src/shared/runs.js';
import { provisionInput } from '../support/provisioning.js';
import { FAST_POLL, outcomeOf, startTestStack, uniqueDomain, type TestStack } from '../support/stack.js';
import { createTestWorker } from '../support/temporal.js';
import { createHostingService, metadataText, payloadsIn } from './support.js';

const OLD = randomBytes(32).toString('base64');
const NEW = randomBytes(32).toString('base64');
const OLD_ONLY = parseKeyring(`old:${OLD}`);
const NEW_ONLY = parseKeyring(`new:${NEW}`);
/** Step 1 of a rotation: the new key added first (it encrypts from now on), the old one kept to read old runs. */
const ROTATED = parseKeyring(`new:${NEW},old:${OLD}`);

describe('key rotation with runs in flight', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack('key-rotation');
    // Long enough to stop a worker in the middle of it, short enough for a test.
    await stack.sim.config({ taskDurationMs: { 'database/create': 3000 } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  function runsWith(keyring: Keyring): RunService {
    const client = new Client({ connection: stack.t.client.connection, namespace: stack.t.namespace, dataConverter: encryptedDataConverter(keyring) });
    return createRunService({ client, taskQueue: stack.taskQueue, settings: { poll: FAST_POLL } });
  }

  async function startWorker(keyring: Keyring) {
    const { worker, close } = await createTestWorker(stack.t, stack.taskQueue, { ovh: stack.ovh, keyring });
    const running = worker.run();
    return {
      stop: async () => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running;
        await close();
      },
    };
  }

  /** Starts a provisioning under the old key and stops its worker while the database task is running. */
  async function startUnderOldKeyAndStopMidRun() {
    const { serviceName } = await createHostingService(stack, 'rot');
    const oldRuns = runsWith(OLD_ONLY);
    const ref = await oldRuns.start('provision', provisionInput({ serviceName, domain: uniqueDomain('rotate'), database: {}, module: { name: 'wordpress' } }));
    const worker = await startWorker(OLD_ONLY);
    try {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const view = await oldRuns.describeRun(ref.workflowId);
        const step = view.progress?.steps.find((s) => s.name === 'createDatabase');
        if (step?.state === 'waiting-for-ovh-task' && view.pending?.lastFailure) {
          // What the run waits for reads in clear through the codec (the failure converter encrypted it): when its
          // first check comes, or what the last check saw of the database being created.
          expect(view.pending.lastFailure).toMatch(/^(first check in [\d.]+ s|database \S+ is \w+|task \d+ \(database\/create\) is \w+)/);
          break;
        }
        if (view.status !== 'running' || Date.now() > deadline) throw new Error(`never waited for the database task: ${JSON.stringify(view.progress ?? view.failure)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      await worker.stop();
    }
    return { serviceName, workflowId: ref.workflowId };
  }

  async function rawPayloads(workflowId: string) {
    const plain = new Client({ connection: stack.t.client.connection, namespace: stack.t.namespace });
    const history = await plain.workflow.getHandle(workflowId).fetchHistory();
    return { history, payloads: payloadsIn(history).filter((p) => metadataText(p, 'encoding') === ENCRYPTED_ENCODING) };
  }

  it('a run started under the old key completes on a worker with the new key added first, its passwords unchanged', async () => {
    const { serviceName, workflowId } = await startUnderOldKeyAndStopMidRun();
    const before = (await rawPayloads(workflowId)).payloads.length;

    const worker = await startWorker(ROTATED);
    const rotatedRuns = runsWith(ROTATED);
    try {
      const view = await outcomeOf(rotatedRuns, workflowId, 30_000);
      expect(view.status, JSON.stringify(view.progress)).toBe('completed');
      const result = view.result as ProvisionSiteResult;
      expect(view.progress?.steps.map((s) => s.state)).toEqual(['done', 'done', 'adopted', 'done', 'done', 'skipped', 'skipped', 'skipped', 'skipped', 'done']);

      // The module was installed against the database with the password the database was created with (the
      // simulator refuses a mysql dependency whose password does not match): the password was derived with the
      // key the run recorded at its start, the old one, not the now-active new one.
      const state = (await stack.sim.state()).services[serviceName]!;
      const module = state.modules.find((m) => m.id === result.module?.id);
      expect(module?.dependencies?.[0]).toMatchObject({ type: 'mysql', name: result.database?.name });
      const database = result.database!;
      // Each run's secrets are its own: derived from the workflow id and the run's first execution id.
      const runKey = `${workflowId}|run:${(await rotatedRuns.client.workflow.getHandle(workflowId).describe()).runId}`;
      expect(database.password).toBe(createPasswordDeriver(OLD_ONLY).derive('database', `${runKey}|db|${database.user}`, 'old'));
      expect(database.password).not.toBe(createPasswordDeriver(ROTATED).derive('database', `${runKey}|db|${database.user}`, 'new'));

      // Payloads written before the rotation carry the old key id, those written after it the new one; the rotated
      // keyring decodes all of them.
      const { history, payloads } = await rawPayloads(workflowId);
      const keyIds = payloads.map((p) => metadataText(p, 'encryption-key-id'));
      expect(keyIds.slice(0, before).every((id) => id === 'old')).toBe(true);
      expect(keyIds.slice(before)).toContain('new');
      expect(new Set(keyIds)).toEqual(new Set(['old', 'new']));
      const events = history.events ?? [];
      const keyIdOf = (payload: Payload | undefined) => (payload ? metadataText(payload, 'encryption-key-id') : undefined);
      expect(keyIdOf(events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0] as Payload)).toBe('old');
      expect(keyIdOf(events.at(-1)?.workflowExecutionCompletedEventAttributes?.result?.payloads?.[0] as Payload)).toBe('new');
      await expect(new EncryptionCodec(ROTATED).decode(payloads)).resolves.toHaveLength(payloads.length);
      await expect(new EncryptionCodec(NEW_ONLY).decode(payloads)).rejects.toThrow('payload encrypted with key "old", which is not configured');
    } finally {
      await worker.stop();
    }
  });

  it('a worker with only the new key cannot read the old run (a workflow task failure naming the key) until the old key is back', async () => {
    const { workflowId } = await startUnderOldKeyAndStopMidRun();
    const logsBefore = stack.t.logLines.length;
    const newOnlyWorker = await startWorker(NEW_ONLY);
    const rotatedRuns = runsWith(ROTATED);
    const newOnlyClient = new Client({ connection: stack.t.client.connection, namespace: stack.t.namespace, dataConverter: encryptedDataConverter(NEW_ONLY) });
    const handle = newOnlyClient.workflow.getHandle(workflowId);
    const missingKey = 'payload encrypted with key "old", which is not configured: add it to OVHFLOW_ENCRYPTION_KEY';
    try {
      // Anything that makes the worker replay the run fails on its first payload: a status query (its error only
      // says "Encoded failure": the failure converter encodes messages, and a query error reaches the client as a
      // bare string)...
      await expect(handle.query(progressQuery)).rejects.toThrow();
      // ...and a workflow task (a signal wakes the run up; the run has no handler for it and ignores it).
      await handle.signal('ovhflow-test-wake-up');
      const deadline = Date.now() + 20_000;
      let failure: { message?: string | null; encodedAttributes?: Payload | null } | undefined;
      while (!failure) {
        const { history } = await rawPayloads(workflowId);
        failure = history.events?.find((e) => e.workflowTaskFailedEventAttributes)?.workflowTaskFailedEventAttributes?.failure ?? undefined;
        if (!failure && Date.now() > deadline) throw new Error('no workflow task failure recorded');
        if (!failure) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // The failure is in history encoded (by the worker that hit it, with its own key): decoded, it names the key.
      expect(failure.message).toBe('Encoded failure');
      const [attributes] = await new EncryptionCodec(NEW_ONLY).decode([failure.encodedAttributes as Payload]);
      expect(JSON.parse(Buffer.from((attributes as Payload).data ?? []).toString('utf8')).message).toContain(missingKey);
      // The worker's log says it too, without any key material.
      const logDeadline = Date.now() + 10_000;
      const failedActivation = () => stack.t.logLines.slice(logsBefore).find((line) => line.includes('Failed to process Workflow Activation'));
      while (!failedActivation() && Date.now() < logDeadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(JSON.parse(failedActivation() ?? '{}')).toMatchObject({ level: 50, error: { message: expect.stringContaining(missingKey) } });
      const logged = stack.t.logLines.slice(logsBefore).join('\n');
      for (const key of [OLD, NEW]) expect(logged).not.toContain(key);
      // Still running, waiting for a worker that can read it (describe, not a status query: that would wait for it).
      expect((await handle.describe()).status.name).toBe('RUNNING');
    } finally {
      await newOnlyWorker.stop();
    }

    // The fix: restart with both keys, the new one first.
    const worker = await startWorker(ROTATED);
    try {
      const view = await outcomeOf(rotatedRuns, workflowId, 30_000);
      expect(view.status, JSON.stringify(view.progress)).toBe('completed');
      expect((view.result as ProvisionSiteResult).module?.adopted).toBe(false);
    } finally {
      await worker.stop();
    }
  });
});
