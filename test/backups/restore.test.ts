// restoreDatabase end to end: the chosen dump, a safety dump first, an explicit confirmation, OVH's own backups.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BackupDatabaseResult, RestoreDatabaseResult } from '../../src/shared/backups.js';
import { CONFIRMATION_REQUIRED } from '../../src/shared/runs.js';
import { waitForStatus } from '../support/provisioning.js';
import { outcomeOf, startTestStack, type TestStack } from '../support/stack.js';
import { backupInput, requestId, restoreInput, SHOP, SHOP_DB, writeCalls } from './support.js';

const DB_PATH = `/hosting/web/${SHOP}/database/${SHOP_DB}`;

describe('restoreDatabase (Temporal dev server + simulator over HTTPS)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('restore');
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(async () => {
    await stack.sim.reset();
  });

  async function restoreTasks() {
    const state = (await stack.sim.state()).services[SHOP]!;
    return state.tasks.filter((t) => t.function === 'database/restore');
  }

  it('restores the latest dump after taking a safety dump, and waits until the database is created again', async () => {
    const backup = await stack.runs.start('backup', backupInput({ serviceName: SHOP, databaseName: SHOP_DB }), { requestId: requestId() });
    const latest = ((await outcomeOf(stack.runs, backup.workflowId)).result as BackupDatabaseResult).dump;

    const ref = await stack.runs.start('restore', restoreInput({ serviceName: SHOP, databaseName: SHOP_DB, dump: 'latest', confirmed: true }), { requestId: requestId() });
    const view = await outcomeOf(stack.runs, ref.workflowId);
    expect(view.status, JSON.stringify(view.progress)).toBe('completed');
    const result = view.result as RestoreDatabaseResult;
    expect(result.restored).toMatchObject({ kind: 'dump', id: latest.id });
    expect(result.safetyDump?.id).toBeGreaterThan(latest.id);
    expect(result.confirmedBy).toBe('input');

    // The safety dump is taken before the restore, and the restore is of the chosen dump.
    expect(await writeCalls(stack.sim, SHOP)).toEqual([
      `POST ${DB_PATH}/dump`,
      `POST ${DB_PATH}/dump`,
      `POST ${DB_PATH}/dump/${latest.id}/restore`,
    ]);
    expect(await restoreTasks()).toEqual([expect.objectContaining({ status: 'done', objectId: SHOP_DB })]);
    const db = (await stack.sim.state()).services[SHOP]!.databases.find((d) => d.name === SHOP_DB);
    expect(db?.status).toBe('created');
    expect(view.progress?.steps.map((s) => s.state)).toEqual(['done', 'done', 'done', 'done']);
  });

  it('a restore started outside ovhflow with a confirmation that is not a boolean is refused, restoring nothing', async () => {
    // As the Temporal UI or `temporal workflow start` would send it: a raw input, no run-type tag, "no" for confirmed.
    const workflowId = `restore-database/${SHOP}/${SHOP_DB}/${requestId()}`;
    await stack.t.client.workflow.start('restoreDatabase', {
      workflowId,
      taskQueue: stack.taskQueue,
      // Every other field already in its parsed shape: before the fix, the truthy "no" counted as the go-ahead.
      args: [{ serviceName: SHOP, databaseName: SHOP_DB, dump: { latest: true }, safetyDump: true, confirmed: 'no' }],
    });
    const view = await outcomeOf(stack.runs, workflowId);
    // "no" is not a go-ahead: the parser refuses the input, and the run ends without a write (no safety dump either).
    expect(view.status).toBe('failed');
    expect(view.failure?.message).toContain('confirmed');
    expect(await writeCalls(stack.sim, SHOP)).toEqual([]);
  });

  it('a restore started outside ovhflow without a confirmation has its raw input parsed and waits for a go-ahead', async () => {
    const workflowId = `restore-database/${SHOP}/${SHOP_DB}/${requestId()}`;
    await stack.t.client.workflow.start('restoreDatabase', {
      workflowId,
      taskQueue: stack.taskQueue,
      // The shorthand the CLI and the API accept, never normalized by a starter.
      args: [{ serviceName: SHOP.toUpperCase(), databaseName: SHOP_DB, dump: 'latest' }],
    });
    const waiting = await waitForStatus(stack.runs, workflowId, ['needs-attention']);
    expect(waiting.progress?.attention).toMatchObject({ step: 'confirm', failureType: CONFIRMATION_REQUIRED });
    expect(await writeCalls(stack.sim, SHOP)).toEqual([]);
    await stack.runs.abort(workflowId);
    expect((await outcomeOf(stack.runs, workflowId)).status).toBe('aborted');
    expect(await writeCalls(stack.sim, SHOP)).toEqual([]);
  });

  it('a backup started outside ovhflow has its raw input parsed: a bad one fails at once with nothing done', async () => {
    const workflowId = `backup-database/${SHOP}/${SHOP_DB}/${requestId()}`;
    await stack.t.client.workflow.start('backupDatabase', { workflowId, taskQueue: stack.taskQueue, args: [{ serviceName: SHOP, databaseName: 'no such db!' }] });
    const view = await outcomeOf(stack.runs, workflowId);
    expect(view.status).toBe('failed');
    expect(view.failure?.message).toContain('databaseName');
    expect(await writeCalls(stack.sim, SHOP)).toEqual([]);
  });

  it('without confirmation nothing is restored: the run waits in needs-attention until a confirm update', async () => {
    const ref = await stack.runs.start('restore', restoreInput({ serviceName: SHOP, databaseName: SHOP_DB, dump: 5001 }), { requestId: requestId() });
    const waiting = await waitForStatus(stack.runs, ref.workflowId, ['needs-attention']);
    expect(waiting.progress?.attention).toMatchObject({ step: 'confirm', failureType: CONFIRMATION_REQUIRED });
    expect(waiting.progress?.attention?.message).toContain('dump 5001');
    expect(waiting.progress?.attention?.hint).toContain(`ovhflow confirm ${ref.workflowId}`);

    // Waiting costs nothing at OVH and changes nothing there.
    expect(await writeCalls(stack.sim, SHOP)).toEqual([]);
    await expect(stack.runs.retry(ref.workflowId)).rejects.toThrow(/waits for a go-ahead/);
    await expect(stack.runs.skip(ref.workflowId)).rejects.toThrow(/cannot skip/);
    expect((await stack.runs.describeRun(ref.workflowId)).status).toBe('needs-attention');

    expect(await stack.runs.confirm(ref.workflowId)).toEqual({ step: 'confirm', decision: 'confirm', confirmed: 'restore' });
    const view = await outcomeOf(stack.runs, ref.workflowId);
    expect(view.status, JSON.stringify(view.progress)).toBe('completed');
    expect((view.result as RestoreDatabaseResult).confirmedBy).toBe('update');
    expect(await writeCalls(stack.sim, SHOP)).toEqual([`POST ${DB_PATH}/dump`, `POST ${DB_PATH}/dump/5001/restore`]);
    await expect(stack.runs.confirm(ref.workflowId)).rejects.toThrow(/not waiting|completed/);
  });

  it('abort while waiting for the confirmation restores nothing', async () => {
    const ref = await stack.runs.start('restore', restoreInput({ serviceName: SHOP, databaseName: SHOP_DB, dump: 'latest' }), { requestId: requestId() });
    await waitForStatus(stack.runs, ref.workflowId, ['needs-attention']);
    await stack.runs.abort(ref.workflowId);
    const view = await outcomeOf(stack.runs, ref.workflowId);
    expect(view.status).toBe('aborted');
    expect(await writeCalls(stack.sim, SHOP)).toEqual([]);
  });

  it("a daily.1 restore uses OVH's own backup: POST /restore with that date, and no dump lookup", async () => {
    const ref = await stack.runs.start('restore', restoreInput({ serviceName: SHOP, databaseName: SHOP_DB, dump: { ovhBackup: 'daily.1' }, safetyDump: false, confirmed: true }), { requestId: requestId() });
    const view = await outcomeOf(stack.runs, ref.workflowId);
    expect(view.status, JSON.stringify(view.progress)).toBe('completed');
    expect((view.result as RestoreDatabaseResult).restored).toEqual({ kind: 'ovhBackup', date: 'daily.1' });
    expect((view.result as RestoreDatabaseResult).safetyDump).toBeUndefined();
    const posts = (await stack.sim.requests()).filter((r) => r.method === 'POST');
    expect(posts.map((p) => [p.path, p.body])).toEqual([[`${DB_PATH}/restore`, { date: 'daily.1', sendEmail: false }]]);
    expect(view.progress?.steps.map((s) => [s.name, s.state])).toEqual([
      ['chooseDump', 'done'],
      ['confirm', 'done'],
      ['safetyDump', 'skipped'],
      ['restore', 'done'],
    ]);
  });

  it('the latest dump before a time, and a clear needs-attention when there is none', async () => {
    const ref = await stack.runs.start('restore', restoreInput({ serviceName: SHOP, databaseName: SHOP_DB, dump: { latestBefore: '2000-01-01T00:00:00Z' }, safetyDump: false, confirmed: true }), { requestId: requestId() });
    const waiting = await waitForStatus(stack.runs, ref.workflowId, ['needs-attention']);
    expect(waiting.progress?.attention).toMatchObject({ step: 'chooseDump', failureType: 'OvhNotFound' });
    expect(waiting.progress?.attention?.message).toContain('before 2000-01-01T00:00:00.000Z');
    // The operator picks another dump: validated, then used.
    await expect(stack.runs.retry(ref.workflowId, ['dump=nonsense time'])).rejects.toThrow(/dump/);
    await stack.runs.retry(ref.workflowId, [`dump=${new Date(Date.now() + 60_000).toISOString()}`]);
    const view = await outcomeOf(stack.runs, ref.workflowId);
    expect(view.status, JSON.stringify(view.progress)).toBe('completed');
    expect((view.result as RestoreDatabaseResult).restored).toMatchObject({ kind: 'dump', id: 5001 });
  });
});
