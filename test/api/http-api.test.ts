// The HTTP API over real HTTP, against the suite's Temporal dev server, a worker and the OVH simulator.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { outcomeOf, startTestStack, uniqueDomain, writesTo, type TestStack } from '../support/stack.js';
import { waitForStatus } from '../support/provisioning.js';

const SHOP = 'demo-shop.ovh';
/** The query the Temporal UI reads a run's current details with (SDK 1.24's workflowMetadataQuery). */
const TEMPORAL_WORKFLOW_METADATA = '__temporal_workflow_metadata';

describe('HTTP API', () => {
  let stack: TestStack;
  let api: TestApi;
  beforeAll(async () => {
    stack = await startTestStack('api');
    await stack.startWorker();
    api = await startTestApi(stack);
  });
  afterAll(async () => {
    await api?.close();
    await stack?.close();
  });
  beforeEach(async () => {
    await stack.sim.reset();
  });

  /** Polls a run through the API until `done(body)` holds, with a deadline. */
  async function pollRun(location: string, done: (body: Record<string, unknown>) => boolean, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answer = await api.call('GET', location);
      expect(answer.status).toBe(200);
      if (done(answer.body)) return answer.body as Record<string, unknown>;
      if (Date.now() > deadline) throw new Error(`run at ${location} never reached the expected state: ${answer.text}`);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }

  describe('authentication', () => {
    it('refuses a call without a token with 401, a JSON error and a Bearer challenge', async () => {
      const answer = await api.call('GET', '/v1/runs', { token: null });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="ovhflow"');
      expect(answer.body).toMatchObject({ error: 'unauthorized', message: expect.stringContaining('Authorization: Bearer') });
    });

    it('refuses a wrong token, one of a different length, and a non-Bearer scheme', async () => {
      for (const token of [`${api.token.slice(0, -1)}x`, 'short', `${api.token}${api.token}`]) {
        const answer = await api.call('POST', '/v1/provisions', { token, body: { serviceName: SHOP, domain: uniqueDomain() } });
        expect(answer.status).toBe(401);
        expect(answer.headers.get('www-authenticate')).toContain('error="invalid_token"');
        expect(answer.body.error).toBe('unauthorized');
      }
      const basic = await api.call('GET', '/v1/runs', { token: null, headers: { Authorization: `Basic ${Buffer.from(`x:${api.token}`).toString('base64')}` } });
      expect(basic.status).toBe(401);
      expect(await stack.sim.requests()).toEqual([]);
    });

    it('serves /healthz and the OpenAPI document without a token', async () => {
      expect((await api.call('GET', '/healthz', { token: null })).body).toEqual({ status: 'ok' });
      const doc = await api.call('GET', '/v1/openapi.json', { token: null });
      expect(doc.status).toBe(200);
      expect(doc.body.openapi).toBe('3.1.0');
      expect(Object.keys(doc.body.paths)).toEqual(
        expect.arrayContaining(['/v1/provisions', '/v1/backups', '/v1/restores', '/v1/runs', '/v1/runs/{id}', '/v1/runs/{id}/retry', '/v1/runs/{id}/skip', '/v1/runs/{id}/abort', '/codec/decode', '/codec/encode', '/healthz']),
      );
      // The request bodies are the CLI's own input schemas.
      const provision = doc.body.paths['/v1/provisions'].post;
      expect(provision.requestBody.content['application/json'].schema.required).toEqual(['serviceName', 'domain']);
      expect(provision.requestBody.content['application/json'].schema.properties.database.properties.capability.enum).toContain('sqlPro');
      expect(provision.responses['202']).toBeDefined();
      expect(doc.body.paths['/v1/runs/{id}'].get.responses['200'].content['application/json'].schema.properties.result.description).toMatch(/SECRETS IN CLEAR/);
      expect(doc.body.paths['/healthz'].get.security).toEqual([]);
      expect(doc.body.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });

    });

    it("answers a browser's /favicon.ico without a token (no 401 on every console page), and leaves it out of the API's document", async () => {
      const icon = await api.call('GET', '/favicon.ico', { token: null });
      expect(icon.status).toBe(204);
      const doc = await api.call('GET', '/v1/openapi.json', { token: null });
      expect(Object.keys(doc.body.paths)).not.toContain('/favicon.ico');
    });
  });

  describe('validation', () => {
    it('refuses a bad provisioning with 400, every issue listed, and zero OVH calls', async () => {
      const answer = await api.call('POST', '/v1/provisions', {
        body: { serviceName: SHOP, domain: 'shop..example.com', database: { capability: 'sqlPersonal' }, colour: 'blue' },
      });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe('invalid_input');
      expect(answer.body.message).toMatch(/nothing was started/);
      const fields = (answer.body.issues as Array<{ field: string; message: string }>).map((issue) => issue.field);
      expect(fields).toEqual(expect.arrayContaining(['domain', 'database.capability', 'colour']));
      expect(answer.body.issues.find((issue: { field: string }) => issue.field === 'colour').message).toMatch(/unknown field/);
      expect(await stack.sim.requests()).toEqual([]);
    });

    it('refuses a custom certificate that does not parse, and a body that is not an object', async () => {
      const badCert = await api.call('POST', '/v1/provisions', {
        body: { serviceName: SHOP, domain: uniqueDomain(), ssl: { mode: 'custom', certificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----', key: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----' } },
      });
      expect(badCert.status).toBe(400);
      expect(badCert.body.issues.map((issue: { field: string }) => issue.field)).toEqual(expect.arrayContaining(['ssl.certificate', 'ssl.key']));
      expect(badCert.text).not.toContain('AAAA');

      const list = await api.call('POST', '/v1/provisions', { body: [1, 2] });
      expect(list.status).toBe(400);
      expect(list.body.issues[0]).toMatchObject({ field: 'input' });

      const notJson = await api.call('POST', '/v1/provisions', { rawBody: '{"serviceName":', headers: { 'Content-Type': 'application/json' } });
      expect(notJson.status).toBe(400);
      expect(notJson.body.error).toBe('invalid_json');

      const text = await api.call('POST', '/v1/provisions', { rawBody: 'serviceName=x', headers: { 'Content-Type': 'text/plain' } });
      expect(text.status).toBe(415);
      expect(text.body.error).toBe('unsupported_media_type');
      expect(await stack.sim.requests()).toEqual([]);
    });

    it('validates backups and restores with the CLI schemas and starts nothing on a bad input', async () => {
      const backup = await api.call('POST', '/v1/backups', { body: { serviceName: SHOP } });
      expect(backup.status).toBe(400);
      expect(backup.body.issues).toEqual([expect.objectContaining({ field: 'databaseName' })]);

      const restore = await api.call('POST', '/v1/restores', { body: { serviceName: SHOP, databaseName: 'shopdb', dump: { id: 1, latest: true }, confirmed: 'yes' } });
      expect(restore.status).toBe(400);
      expect(restore.body.issues.map((issue: { field: string }) => issue.field)).toEqual(expect.arrayContaining(['dump', 'confirmed']));

      const key = await api.call('POST', '/v1/backups', { body: { serviceName: SHOP, databaseName: 'shopdb' }, headers: { 'Idempotency-Key': 'no spaces allowed' } });
      expect(key.status).toBe(400);
      expect(key.body.issues[0].field).toBe('Idempotency-Key');

      expect(await stack.sim.requests()).toEqual([]);
      const started = await stack.t.client.workflow.count(`TaskQueue = '${stack.taskQueue}' AND WorkflowType IN ('backupDatabase', 'restoreDatabase')`);
      expect(started.count).toBe(0);
    });

    it('refuses a provisioning of a hosting service the account does not have with 400, before anything starts', async () => {
      const domain = `typo-${Date.now()}.example.com`;
      const refused = await api.call('POST', '/v1/provisions', { body: { serviceName: 'nope.ovh', domain } });
      expect(refused.status, refused.text).toBe(400);
      expect(refused.body).toMatchObject({ error: 'invalid_input', message: expect.stringMatching(/^no hosting service nope\.ovh in account \S+.*nothing was started$/) });
      expect(refused.body.issues).toEqual([{ field: 'serviceName', message: expect.stringContaining('no hosting service nope.ovh in account') }]);
      expect((await api.call('GET', `/v1/runs/${encodeURIComponent(`provision-site/nope.ovh/${domain}`)}`)).status).toBe(404);
      expect((await stack.sim.requests()).filter((r) => r.method !== 'GET')).toEqual([]);
    });

    it('refuses an oversized body with 413 before reading it', async () => {
      const answer = await api.call('POST', '/v1/provisions', { body: { serviceName: SHOP, domain: uniqueDomain(), path: 'x'.repeat(300 * 1024) } });
      expect(answer.status).toBe(413);
      expect(answer.body).toMatchObject({ error: 'payload_too_large', message: expect.any(String) });
      expect(await stack.sim.requests()).toEqual([]);
    });

    it('answers 404 with a JSON error for an unknown run and an unknown endpoint', async () => {
      const run = await api.call('GET', `/v1/runs/${encodeURIComponent('provision-site/demo-shop.ovh/nowhere.example.org')}`);
      expect(run.status).toBe(404);
      expect(run.body.error).toBe('run_not_found');
      const retry = await api.call('POST', '/v1/runs/provision-site/demo-shop.ovh/nowhere.example.org/retry');
      expect(retry.status).toBe(404);
      const endpoint = await api.call('GET', '/v1/nothing-here');
      expect(endpoint.status).toBe(404);
      expect(endpoint.body.error).toBe('not_found');
    });
  });

  describe('runs', () => {
    it('starts a provisioning (202 + Location), returns the same run when posted again (200), and shows it to completion', async () => {
      const domain = uniqueDomain('api');
      const request = { serviceName: SHOP, domain, ssl: 'none' };
      const first = await api.call('POST', '/v1/provisions', { body: request });
      expect(first.status).toBe(202);
      expect(first.body).toEqual({ workflowId: `provision-site/${SHOP}/${domain}`, runId: expect.any(String), status: 'running' });
      const location = first.headers.get('location');
      expect(location).toBe(`/v1/runs/${encodeURIComponent(first.body.workflowId)}`);

      const second = await api.call('POST', '/v1/provisions', { body: request });
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({ workflowId: first.body.workflowId, runId: first.body.runId, existing: true, type: 'provision' });
      expect(second.headers.get('location')).toBe(location);

      const done = await pollRun(location!, (run) => run.status === 'completed');
      expect(done).toMatchObject({ workflowId: first.body.workflowId, type: 'provision', result: { serviceName: SHOP, domain: { name: domain } } });
      expect((done.steps as Array<{ state: string }>).map((step) => step.state)).toEqual(['done', 'done', 'adopted', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
      // The raw slashed id works as well as the encoded one.
      const raw = await api.call('GET', `/v1/runs/${first.body.workflowId}`);
      expect(raw.body).toMatchObject({ workflowId: first.body.workflowId, status: 'completed' });

      // Posting it again once completed still returns that run, and nothing was attached twice.
      const third = await api.call('POST', '/v1/provisions', { body: request });
      expect(third.status).toBe(200);
      expect(third.body).toMatchObject({ status: 'completed', existing: true });
      const attaches = (await writesTo(stack.sim, SHOP)).filter((w) => w.method === 'POST' && w.path.endsWith('/attachedDomain'));
      expect(attaches).toHaveLength(1);
    });

    it('shows a run that needs attention, lists it, and retry through HTTP completes it', async () => {
      const domain = uniqueDomain('retry');
      await stack.sim.faults([{ method: 'POST', path: '/hosting/web/*/attachedDomain', status: 400 }]);
      const started = await api.call('POST', '/v1/provisions', { body: { serviceName: SHOP, domain, ssl: 'none' } });
      expect(started.status).toBe(202);
      const workflowId: string = started.body.workflowId;
      const location = started.headers.get('location')!;

      const waiting = await pollRun(location, (run) => run.status === 'needs-attention');
      expect(waiting.attention).toMatchObject({ step: 'attachDomain', failureType: 'OvhBadRequest', message: expect.any(String), hint: expect.any(String) });

      // The list filters on the search attribute, which the visibility store indexes shortly after.
      const deadline = Date.now() + 15_000;
      for (;;) {
        const list = await api.call('GET', '/v1/runs?status=needs-attention&type=provision');
        expect(list.status).toBe(200);
        if (list.body.runs.some((run: { workflowId: string }) => run.workflowId === workflowId)) {
          expect(list.body.runs.every((run: { status: string }) => run.status === 'needs-attention')).toBe(true);
          break;
        }
        if (Date.now() > deadline) throw new Error(`run not listed as needs-attention: ${list.text}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const badQuery = await api.call('GET', '/v1/runs?status=sleeping');
      expect(badQuery.status).toBe(400);
      expect(badQuery.body.issues[0].field).toBe('status');

      // A correction that the workflow's validator refuses is a 409 and changes nothing.
      const refused = await api.call('POST', `${location}/retry`, { body: { set: ['colour=blue'] } });
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ error: 'decision_rejected', message: expect.stringContaining('colour') });
      const badBody = await api.call('POST', `${location}/retry`, { body: { set: 'path=x' } });
      expect(badBody.status).toBe(400);

      await stack.sim.clearFaults();
      const retry = await api.call('POST', `/v1/runs/${workflowId}/retry`, { body: {} });
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual({ workflowId, step: 'attachDomain', decision: 'retry' });
      const done = await pollRun(location, (run) => run.status === 'completed');
      expect(done.result).toMatchObject({ domain: { name: domain } });

      // No longer waiting for an operator: 409.
      const late = await api.call('POST', `${location}/skip`);
      expect(late.status).toBe(409);
      expect(late.body.error).toBe('decision_rejected');
    });

    it('aborts a run that needs attention through HTTP', async () => {
      const domain = uniqueDomain('abort');
      await stack.sim.faults([{ method: 'POST', path: '/hosting/web/*/database', status: 400 }]);
      const started = await api.call('POST', '/v1/provisions', { body: { serviceName: SHOP, domain, database: {}, ssl: 'none' } });
      const location = started.headers.get('location')!;
      await waitForStatus(stack.runs, started.body.workflowId, ['needs-attention']);

      const abort = await api.call('POST', `${location}/abort`);
      expect(abort.status).toBe(200);
      expect(abort.body).toMatchObject({ step: 'createDatabase', decision: 'abort' });
      const view = await outcomeOf(stack.runs, started.body.workflowId);
      expect(view.status).toBe('aborted');
      const shown = await api.call('GET', location);
      expect(shown.body).toMatchObject({ status: 'aborted', failure: { message: expect.any(String) } });
      // The domain this run attached was detached again by the compensation.
      const attached = (await stack.sim.state()).services[SHOP]!.attachedDomains.filter((d) => d.domain === domain);
      expect(attached).toHaveLength(0);
    });
  });

  describe('skip and confirm, and what the Temporal UI shows of a run', () => {
    /** The run's user metadata as the Temporal UI reads it: the summary given at start, the details the run keeps current. */
    async function metadataOf(workflowId: string) {
      const handle = stack.t.client.workflow.getHandle(workflowId);
      const summary = await (await handle.describe()).staticSummary();
      const { currentDetails } = await handle.query<{ currentDetails?: string }>(TEMPORAL_WORKFLOW_METADATA);
      return { summary, currentDetails };
    }

    it('skip through HTTP leaves the refused step out and the run completes; its summary and details say what it does and where it stands', async () => {
      const domain = uniqueDomain('skip');
      await stack.sim.faults([{ method: 'POST', path: '/hosting/web/*/database', status: 400 }]);
      const started = await api.call('POST', '/v1/provisions', { body: { serviceName: SHOP, domain, database: {}, ssl: 'none' } });
      expect(started.status, started.text).toBe(202);
      const workflowId: string = started.body.workflowId;
      const location = started.headers.get('location')!;
      await pollRun(location, (run) => run.status === 'needs-attention');

      const waiting = await metadataOf(workflowId);
      expect(waiting.summary).toBe(`Provision ${domain} on ${SHOP} (database)`);
      expect(waiting.currentDetails).toContain('**needs-attention** — step Create the database (createDatabase), attempt 1');
      expect(waiting.currentDetails).toContain('needs an operator: OvhBadRequest');

      const skip = await api.call('POST', `${location}/skip`);
      expect(skip.status, skip.text).toBe(200);
      expect(skip.body).toEqual({ workflowId, step: 'createDatabase', decision: 'skip' });
      const done = await pollRun(location, (run) => run.status === 'completed');
      expect(done.result).toMatchObject({ domain: { name: domain }, skipped: ['createDatabase'] });
      expect((done.steps as Array<{ name: string; state: string }>).find((step) => step.name === 'createDatabase')?.state).toBe('skipped');
      // Skipped, so nothing was created: the only database POSTs are the refused ones.
      const posts = (await writesTo(stack.sim, SHOP)).filter((w) => w.method === 'POST' && w.path.endsWith('/database'));
      expect(posts.map((w) => w.status)).toEqual([400]);

      const ended = await metadataOf(workflowId);
      expect(ended.summary).toBe(waiting.summary);
      expect(ended.currentDetails).toMatch(/^\*\*completed\*\*/);
      expect(ended.currentDetails).not.toContain('needs an operator');
    });

    it('confirm through HTTP gives a restore waiting for it its go-ahead, and the restore runs', async () => {
      const started = await api.call('POST', '/v1/restores', { body: { serviceName: SHOP, databaseName: 'demoshopdb1', dump: { id: 5001 } } });
      expect(started.status, started.text).toBe(202);
      const workflowId: string = started.body.workflowId;
      const location = started.headers.get('location')!;
      const waiting = await pollRun(location, (run) => run.status === 'needs-attention');
      expect(waiting.attention).toMatchObject({ step: 'confirm' });
      expect((await metadataOf(workflowId)).summary).toBe(`Restore database demoshopdb1 of ${SHOP} (waits for a confirmation)`);
      expect((await writesTo(stack.sim, SHOP)).filter((w) => w.path.endsWith('/restore'))).toEqual([]);

      const confirm = await api.call('POST', `${location}/confirm`);
      expect(confirm.status, confirm.text).toBe(200);
      expect(confirm.body).toEqual({ workflowId, step: 'confirm', decision: 'confirm', confirmed: 'restore' });
      const done = await pollRun(location, (run) => run.status === 'completed');
      expect(done.result).toMatchObject({ confirmedBy: 'update' });
      const restores = (await writesTo(stack.sim, SHOP)).filter((w) => w.path.endsWith('/restore'));
      expect(restores.map((w) => `${w.method} ${w.path} ${w.status}`)).toEqual([`POST /hosting/web/${SHOP}/database/demoshopdb1/dump/5001/restore 200`]);
      // Confirmed once: a second go-ahead has nothing to release.
      expect((await api.call('POST', `${location}/confirm`)).status).toBe(409);
    });
  });

  describe('backups and schedules', () => {
    it('starts a backup (202) and returns the same run for the same Idempotency-Key (200)', async () => {
      const headers = { 'Idempotency-Key': `ticket-${Date.now()}` };
      const body = { serviceName: SHOP, databaseName: 'demoshopdb1' };
      const first = await api.call('POST', '/v1/backups', { body, headers });
      expect(first.status).toBe(202);
      expect(first.body.workflowId).toBe(`backup-database/${SHOP}/demoshopdb1/${headers['Idempotency-Key']}`);
      expect(first.headers.get('location')).toBe(`/v1/runs/${encodeURIComponent(first.body.workflowId)}`);
      const again = await api.call('POST', '/v1/backups', { body, headers });
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ workflowId: first.body.workflowId, runId: first.body.runId, existing: true, type: 'backup' });
      // Without a key, each call is a new backup.
      const other = await api.call('POST', '/v1/backups', { body });
      expect(other.status).toBe(202);
      expect(other.body.workflowId).not.toBe(first.body.workflowId);
      await outcomeOf(stack.runs, first.body.workflowId);
      await outcomeOf(stack.runs, other.body.workflowId);
    });

    it('creates the nightly-dumps schedule (201), updates it (200), shows, pauses and deletes it', async () => {
      const scheduleId = `api-test-${Date.now()}`;
      const created = await api.call('POST', '/v1/schedules/nightly-dumps', { body: { scheduleId, cron: '30 3 * * *', timezone: 'Europe/Paris', services: [SHOP] } });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ scheduleId, created: true, paused: false, cron: '30 3 * * *', timezone: 'Europe/Paris', services: [SHOP] });
      expect(created.headers.get('location')).toBe(`/v1/schedules/${scheduleId}`);
      try {
        const updated = await api.call('POST', '/v1/schedules/nightly-dumps', { body: { scheduleId, cron: '0 4 * * *', concurrency: 2 } });
        expect(updated.status).toBe(200);
        expect(updated.body).toMatchObject({ scheduleId, created: false, cron: '0 4 * * *', concurrency: 2 });

        const paused = await api.call('POST', `/v1/schedules/${scheduleId}/pause`);
        expect(paused.body).toEqual({ scheduleId, action: 'pause', ok: true });
        expect((await api.call('GET', `/v1/schedules/${scheduleId}`)).body).toMatchObject({ scheduleId, paused: true });

        // The schedule list is eventually consistent.
        const deadline = Date.now() + 15_000;
        for (;;) {
          const list = await api.call('GET', '/v1/schedules');
          expect(list.status).toBe(200);
          if (list.body.schedules.some((schedule: { scheduleId: string }) => schedule.scheduleId === scheduleId)) break;
          if (Date.now() > deadline) throw new Error(`schedule not listed: ${list.text}`);
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      } finally {
        expect((await api.call('DELETE', `/v1/schedules/${scheduleId}`)).status).toBe(200);
      }
      const gone = await api.call('GET', `/v1/schedules/${scheduleId}`);
      expect(gone.status).toBe(404);
      expect(gone.body.error).toBe('schedule_not_found');
    });

    it('refuses a bad schedule with 400 and changes nothing', async () => {
      const answer = await api.call('POST', '/v1/schedules/nightly-dumps', {
        body: { scheduleId: 'bad id', cron: 'every night', timezone: 'Mars/Olympus', concurrency: 0, services: ['not a service'] },
      });
      expect(answer.status).toBe(400);
      expect(answer.body.issues.map((issue: { field: string }) => issue.field)).toEqual(
        expect.arrayContaining(['scheduleId', 'cron', 'timezone', 'concurrency', 'services[0]']),
      );
      expect((await api.call('GET', '/v1/schedules/bad%20id')).status).toBe(404);
    });
  });

  // Last: by now every kind of call above has been logged, with the real token and wrong ones.
  it('logs every request with its Authorization header redacted, never a token', async () => {
    const logs = stack.t.logLines.filter((line) => line.includes('"component":"api"'));
    expect(logs.some((line) => line.includes('"msg":"request completed"'))).toBe(true);
    const withToken = logs.filter((line) => line.includes('"authorization":"[redacted]"'));
    expect(withToken.length).toBeGreaterThan(10);
    expect(logs.join('\n')).not.toContain(api.token);
    expect(logs.join('\n')).not.toContain(api.token.slice(0, -1));
  });
});
