// backupDatabase end to end: a real dump in the simulator, verified; a lost answer never makes a second dump.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BackupDatabaseResult } from '../../src/shared/backups.js';
import { waitForStatus } from '../support/provisioning.js';
import { outcomeOf, startTestStack, type TestStack } from '../support/stack.js';
import { backupInput, nowDumps, requestId, SHOP, SHOP_DB, writeCalls } from './support.js';

describe('backupDatabase (Temporal dev server + simulator over HTTPS)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('backup');
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(async () => {
    await stack.sim.reset();
  });

  it('dumps the database now, waits for the OVH task, and returns the verified dump', async () => {
    const ref = await stack.runs.start('backup', backupInput({ serviceName: SHOP, databaseName: SHOP_DB }), { requestId: requestId() });
    expect(ref.workflowId).toMatch(/^backup-database\/demo-shop\.ovh\/demoshopdb1\/test-/);
    const view = await outcomeOf(stack.runs, ref.workflowId);
    expect(view.status, JSON.stringify(view.progress)).toBe('completed');
    const result = view.result as BackupDatabaseResult;

    const dumps = await nowDumps(stack.sim, SHOP, SHOP_DB);
    expect(dumps).toHaveLength(1);
    expect(dumps[0]).toMatchObject({ id: result.dump.id, status: 'created', sendEmail: false });
    expect(result).toMatchObject({ serviceName: SHOP, databaseName: SHOP_DB, adopted: false, dump: { type: 'now' } });
    expect(result.dump.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/dumps\/demo-shop\.ovh\//);
    expect(Date.parse(result.dump.deletionDate)).toBeGreaterThan(Date.parse(result.dump.creationDate));
    expect(view.progress?.steps.map((s) => [s.name, s.state])).toEqual([
      ['dump', 'done'],
      ['verify', 'done'],
    ]);
    expect(await writeCalls(stack.sim, SHOP)).toEqual([`POST /hosting/web/${SHOP}/database/${SHOP_DB}/dump`]);
    const post = (await stack.sim.requests()).find((r) => r.method === 'POST');
    expect(post?.body).toEqual({ date: 'now', sendEmail: false });
  });

  it('a connection reset after OVH applied the dump POST still yields exactly one dump', async () => {
    await stack.sim.faults([{ method: 'POST', path: '/hosting/web/*/database/*/dump', reset: 'after', times: 1 }]);
    const ref = await stack.runs.start('backup', backupInput({ serviceName: SHOP, databaseName: SHOP_DB }), { requestId: requestId() });
    const view = await outcomeOf(stack.runs, ref.workflowId);
    expect(view.status, JSON.stringify(view.progress)).toBe('completed');
    const result = view.result as BackupDatabaseResult;

    const posts = (await stack.sim.requests()).filter((r) => r.method === 'POST');
    expect(posts.map((p) => p.fault)).toEqual(['reset-after']);
    const dumps = await nowDumps(stack.sim, SHOP, SHOP_DB);
    expect(dumps.map((d) => d.id)).toEqual([result.dump.id]);
    expect(result.adopted).toBe(true);
  });

  it('the same request twice is one backup', async () => {
    const input = backupInput({ serviceName: SHOP, databaseName: SHOP_DB });
    const id = requestId();
    const first = await stack.runs.start('backup', input, { requestId: id });
    await outcomeOf(stack.runs, first.workflowId);
    const second = await stack.runs.start('backup', input, { requestId: id });
    expect(second).toMatchObject({ workflowId: first.workflowId, runId: first.runId, existing: true });
    expect(await nowDumps(stack.sim, SHOP, SHOP_DB)).toHaveLength(1);
  });

  it('a database that does not exist asks an operator, who can abort', async () => {
    const ref = await stack.runs.start('backup', backupInput({ serviceName: SHOP, databaseName: 'nosuchdb' }), { requestId: requestId() });
    const waiting = await waitForStatus(stack.runs, ref.workflowId, ['needs-attention']);
    expect(waiting.progress?.attention).toMatchObject({ step: 'dump', failureType: 'OvhNotFound' });
    await expect(stack.runs.skip(ref.workflowId)).rejects.toThrow(/cannot be skipped/);
    await stack.runs.abort(ref.workflowId);
    expect((await outcomeOf(stack.runs, ref.workflowId)).status).toBe('aborted');
  });
});
