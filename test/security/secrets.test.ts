// Nothing secret outside the codec. A provisioning with a custom certificate and a restore of the database it
// created, on the suite's dev server and the simulator; then every place a secret could end up without the key is
// searched for the private key, the generated passwords and the dump's download link: the raw history (fetched by a
// client without the codec), workflow ids, search attributes, memo, task queue, the process's log lines and the
// simulator's request log. With the key, the same history reads in clear.
import { Client } from '@temporalio/client';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import selfsigned from 'selfsigned';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENCRYPTED_ENCODING, EncryptionCodec } from '../../src/codec/encryption-codec.js';
import { registeredSecretCount } from '../../src/logging/secret-values.js';
import type { RestoreDatabaseResult } from '../../src/shared/backups.js';
import { parseRestoreDatabaseInput } from '../../src/shared/inputs/index.js';
import type { ProvisionSiteResult } from '../../src/shared/provision.js';
import { provisionInput } from '../support/provisioning.js';
import { outcomeOf, startTestStack, uniqueDomain, type TestStack } from '../support/stack.js';
import { TEST_KEYRING } from '../support/temporal.js';
import { createHostingService, everythingIn, leakedIn, metadataText, payloadsIn } from './support.js';

const DAY = 24 * 60 * 60 * 1000;
const LOCAL_ACTIVITY_MARKER_FIELDS = ['seq', 'attempt', 'activity_id', 'activity_type', 'complete_time', 'backoff', 'original_schedule_time'];
/** A patch marker's details (`patched('ovhflow-lean-steps-1')`): the patch id, written by the core like the above. */
const PATCH_MARKER_FIELDS = ['id', 'deprecated'];

describe('secrets never leave the codec', () => {
  let stack: TestStack;
  let plain: Client;
  let serviceName: string;
  let domain: string;
  let privateKeyPem: string;
  let provisioning: { workflowId: string; result: ProvisionSiteResult };
  let restore: { workflowId: string; result: RestoreDatabaseResult };
  let secrets: { privateKey: string; databasePassword: string; adminPassword: string; safetyDumpUrl: string };

  beforeAll(async () => {
    stack = await startTestStack('secrets');
    await stack.startWorker();
    // Whoever can reach Temporal but holds no key: no data converter at all.
    plain = new Client({ connection: stack.t.client.connection, namespace: stack.t.namespace });
    ({ serviceName } = await createHostingService(stack, 'sec'));
    domain = uniqueDomain('secret');

    const now = Date.now();
    const pems = await selfsigned.generate([{ name: 'commonName', value: domain }], {
      algorithm: 'sha256',
      keySize: 2048,
      notBeforeDate: new Date(now - DAY),
      notAfterDate: new Date(now + 90 * DAY),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'subjectAltName', altNames: [{ type: 2, value: domain }] },
      ],
    });
    privateKeyPem = pems.private;

    // One refused write on each call that carries a secret: failure messages and retries are searched too.
    await stack.sim.faults([
      { method: 'POST', path: `/hosting/web/${serviceName}/database`, status: 500, times: 1 },
      { method: 'POST', path: `/hosting/web/${serviceName}/module`, status: 503, times: 1 },
      { method: 'POST', path: `/hosting/web/${serviceName}/ssl`, status: 500, times: 1 },
    ]);
    const started = await stack.runs.start('provision', provisionInput({ serviceName, domain, database: {}, module: { name: 'wordpress' }, ssl: { mode: 'custom', certificate: pems.cert, key: privateKeyPem } }));
    const provisioned = await outcomeOf(stack.runs, started.workflowId);
    expect(provisioned.status, JSON.stringify(provisioned.progress)).toBe('completed');
    provisioning = { workflowId: started.workflowId, result: provisioned.result as ProvisionSiteResult };

    const databaseName = provisioning.result.database!.name;
    const restoreParsed = parseRestoreDatabaseInput({ serviceName, databaseName, dump: 'daily.1', confirmed: true });
    if (!restoreParsed.ok) throw new Error(JSON.stringify(restoreParsed.issues));
    const restoreRef = await stack.runs.start('restore', restoreParsed.value, { requestId: 'secrets-test' });
    const restored = await outcomeOf(stack.runs, restoreRef.workflowId);
    expect(restored.status, JSON.stringify(restored.progress)).toBe('completed');
    restore = { workflowId: restoreRef.workflowId, result: restored.result as RestoreDatabaseResult };

    secrets = {
      privateKey: privateKeyPem,
      databasePassword: provisioning.result.database!.password!,
      adminPassword: provisioning.result.module!.adminPassword!,
      safetyDumpUrl: restore.result.safetyDump!.url,
    };
  }, 90_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('generates strong passwords, different for each account, delivered in the result', () => {
    const { databasePassword, adminPassword } = secrets;
    for (const password of [databasePassword, adminPassword]) {
      expect(password.length).toBeGreaterThanOrEqual(20);
      expect(password).toMatch(/[a-z]/);
      expect(password).toMatch(/[A-Z]/);
      expect(password).toMatch(/\d/);
    }
    expect(databasePassword).not.toBe(adminPassword);
    expect(provisioning.result.ssl).toMatchObject({ provider: 'CUSTOM', action: 'installed' });
    expect(restore.result.safetyDump?.url).toMatch(/^https:\/\//);
  });

  it('a client without the key sees only ciphertext in the histories; with the key they read in clear', async () => {
    for (const { workflowId } of [provisioning, restore]) {
      const history = await plain.workflow.getHandle(workflowId).fetchHistory();
      expect(leakedIn(everythingIn(history), secrets), workflowId).toEqual([]);

      // Every payload but the search attributes (plain and indexed by design) is encrypted, under the active key's id.
      // The exceptions are written by the SDK's core, not ovhflow: a local activity marker's bookkeeping (sequence
      // number, attempt, activity type, times), beside the marker's result, which is encrypted like the rest; and a
      // patch marker's id (a version name of the workflow code).
      const payloads = payloadsIn(history);
      const plainPayloads = payloads.filter((payload) => metadataText(payload, 'encoding') !== ENCRYPTED_ENCODING);
      for (const payload of plainPayloads) {
        expect(metadataText(payload, 'encoding')).toBe('json/plain');
        const fields = Object.keys(JSON.parse(Buffer.from(payload.data ?? []).toString('utf8')) as object);
        const bookkeeping = fields.every((f) => LOCAL_ACTIVITY_MARKER_FIELDS.includes(f)) ? LOCAL_ACTIVITY_MARKER_FIELDS : PATCH_MARKER_FIELDS;
        expect(bookkeeping).toEqual(expect.arrayContaining(fields));
      }
      const encrypted = payloads.filter((payload) => metadataText(payload, 'encoding') === ENCRYPTED_ENCODING);
      expect(encrypted.length).toBeGreaterThan(5);
      for (const payload of encrypted) expect(metadataText(payload, 'encryption-key-id')).toBe(TEST_KEYRING.active.id);
      // The plain client cannot even read the result.
      await expect(plain.workflow.getHandle(workflowId).result()).rejects.toThrow();

      // With the codec, the very same history decodes, and the result holds what the run returned.
      const completed = history.events?.find((event) => event.workflowExecutionCompletedEventAttributes)?.workflowExecutionCompletedEventAttributes;
      const [resultPayload] = completed?.result?.payloads ?? [];
      const [decoded] = await new EncryptionCodec(TEST_KEYRING).decode([resultPayload as Payload]);
      const readable = defaultPayloadConverter.fromPayload(decoded as Payload);
      expect(readable).toEqual(workflowId === provisioning.workflowId ? provisioning.result : restore.result);
    }
    // The search finds them where they are meant to be: in the result, read through the codec.
    const readable = JSON.stringify(await stack.t.client.workflow.getHandle(provisioning.workflowId).result());
    expect(leakedIn(readable, secrets).sort()).toEqual(['adminPassword', 'databasePassword']);
  });

  it('workflow ids, search attributes, memo and task queue hold no secret', async () => {
    for (const { workflowId } of [provisioning, restore]) {
      const description = await plain.workflow.getHandle(workflowId).describe();
      const visible = everythingIn({
        workflowId,
        searchAttributes: description.searchAttributes,
        typedSearchAttributes: description.typedSearchAttributes,
        memo: description.memo ?? null,
        rawMemo: description.raw.workflowExecutionInfo?.memo ?? null,
        rawSearchAttributes: description.raw.workflowExecutionInfo?.searchAttributes ?? null,
        taskQueue: description.taskQueue,
        executionConfig: description.raw.executionConfig ?? null,
      });
      expect(leakedIn(visible, secrets), workflowId).toEqual([]);
      // What is plain by design is plain: the business key, found by the CLI and the UI.
      expect(visible).toContain(serviceName);
    }
    expect(provisioning.workflowId).toBe(`provision-site/${serviceName}/${domain}`);
    const listed = [];
    for await (const run of plain.workflow.list({ query: `OvhflowService = "${serviceName}"` })) listed.push(run);
    expect(listed.map((run) => run.workflowId).sort()).toEqual([provisioning.workflowId, restore.workflowId].sort());
    expect(leakedIn(everythingIn(listed), secrets)).toEqual([]);
  });

  it("the logs and the simulator's request log hold no secret", async () => {
    // The refused writes were logged (by the OVH client and the SDK), so failure messages are part of the search.
    expect(stack.t.logLines.filter((line) => line.includes('ovh call failed')).length).toBeGreaterThanOrEqual(3);
    expect(leakedIn(stack.t.logLines.join('\n'), secrets)).toEqual([]);

    const requests = await stack.sim.requests();
    const writes = requests.filter((r) => r.method !== 'GET' && r.path.includes(serviceName));
    // The calls that carried the secrets were made, their bodies masked.
    expect(writes.map((w) => `${w.method} ${w.path.replace(/\/\d+(?=\/|$)/g, '/:id')}`)).toEqual(
      expect.arrayContaining([`POST /hosting/web/${serviceName}/database`, `POST /hosting/web/${serviceName}/module`, `POST /hosting/web/${serviceName}/ssl`]),
    );
    expect(leakedIn(JSON.stringify(requests), secrets)).toEqual([]);
  });

  it('redacts a known secret value from a log line whatever field or message it sits in', () => {
    // The worker registered the passwords and the key when it derived or received them.
    expect(registeredSecretCount()).toBeGreaterThan(0);
    const before = stack.t.logLines.length;
    const { databasePassword, adminPassword, privateKey } = secrets;
    stack.t.logger.warn({ note: `connect with ${databasePassword}`, nested: { deep: { value: adminPassword } } }, `a careless message quoting ${adminPassword}`);
    stack.t.logger.error({ err: new Error(`OVH refused the key ${privateKey}`) }, 'certificate refused');
    stack.t.logger.info({ fragment: privateKey.split('\n')[3] }, 'a line of the key');
    const lines = stack.t.logLines.slice(before);
    expect(lines).toHaveLength(3);
    expect(leakedIn(lines.join('\n'), { databasePassword, adminPassword, privateKey })).toEqual([]);
    expect(lines.join('\n')).toContain('[redacted]');
    // Still one JSON object per line.
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });
});
