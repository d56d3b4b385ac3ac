// The CLI contract for backups, restores and schedules: bad usage or input exits 2 before anything starts; a run
// that completes exits 0, one waiting for an operator exits 1; `--json` prints workflowId, runId, status, result.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { inject } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { BackupDatabaseResult } from '../../src/shared/backups.js';
import { waitForStatus } from '../support/provisioning.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { TEST_KEYRING } from '../support/temporal.js';
import { requestId, SHOP, SHOP_DB, writeCalls } from './support.js';

/** Runs the CLI in this process, returning its exit code and what it printed. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const code = await main(['node', 'ovhflow', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    process.exitCode = undefined;
  }
}

describe('ovhflow backup / restore / confirm / schedule', () => {
  let stack: TestStack;
  const saved = { ...process.env };
  beforeAll(async () => {
    stack = await startTestStack('backup-cli');
    await stack.startWorker();
    Object.assign(process.env, {
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      TEMPORAL_TASK_QUEUE: stack.taskQueue,
      OVHFLOW_ENCRYPTION_KEY: TEST_KEYRING.active.key.toString('base64'),
    });
  });
  afterAll(async () => {
    process.env = saved;
    await stack?.close();
  });
  afterEach(() => {
    process.exitCode = undefined;
  });

  it.each([
    [['restore', '--service', SHOP, '--database', SHOP_DB, '--yes'], /exactly one of --dump/],
    [['restore', '--service', SHOP, '--database', SHOP_DB, '--latest', '--dump', '5001'], /exactly one of --dump.*\(2 given\)/],
    [['restore', '--service', SHOP, '--database', SHOP_DB, '--before', '2025-03-01 02:00'], /latestBefore.*time zone/],
    [['restore', '--service', SHOP, '--database', SHOP_DB, '--ovh-backup', 'now'], /not an OVH backup/],
    [['restore', '--service', SHOP, '--database', SHOP_DB, '--dump', 'abc'], /dump/],
    [['backup', '--service', 'shop..ovh', '--database', SHOP_DB], /serviceName/],
    [['backup', '--service', SHOP, '--database', '../etc'], /databaseName/],
    [['backup', '--service', SHOP, '--database', SHOP_DB, '--request-id', 'a/b'], /--request-id/],
    [['schedule', 'nightly-dumps', '--timezone', 'Mars/Olympus'], /--timezone/],
    [['schedule', 'nightly-dumps', '--cron', 'every night'], /--cron/],
    [['schedule', 'nightly-dumps', '--concurrency', '500'], /concurrency/],
  ])('%j is bad usage: exit 2, nothing started', async (args, message) => {
    const before = (await stack.sim.requests()).length;
    const { code, stderr } = await cli(...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect((await stack.sim.requests()).length).toBe(before);
  });

  it('backup --wait --json follows the run and prints the verified dump', async () => {
    const { code, stdout } = await cli('backup', '--service', SHOP, '--database', SHOP_DB, '--request-id', requestId(), '--wait', '--json');
    expect(code).toBe(0);
    const printed = JSON.parse(stdout) as { workflowId: string; runId: string; status: string; result: BackupDatabaseResult };
    expect(printed).toMatchObject({ status: 'completed', result: { serviceName: SHOP, databaseName: SHOP_DB, dump: { type: 'now' } } });
    expect(printed.workflowId).toMatch(/^backup-database\//);
    expect(printed.result.dump.url).toMatch(/^https:/);
  });

  it('restore without --yes starts a run that waits (status exits 1); `confirm` lets it go on', async () => {
    const id = requestId();
    const started = await cli('restore', '--service', SHOP, '--database', SHOP_DB, '--dump', '5001', '--no-safety-dump', '--request-id', id, '--json');
    expect(started.code).toBe(0);
    const { workflowId } = JSON.parse(started.stdout) as { workflowId: string };
    await waitForStatus(stack.runs, workflowId, ['needs-attention']);
    const followed = await cli('status', workflowId, '--json');
    expect(followed.code).toBe(1);
    expect(JSON.parse(followed.stdout)).toMatchObject({ status: 'needs-attention', attention: { step: 'confirm' } });
    expect((await writeCalls(stack.sim, SHOP)).filter((c) => c.includes('/restore'))).toEqual([]);

    const confirmed = await cli('confirm', workflowId, '--json');
    expect(confirmed.code).toBe(0);
    expect(JSON.parse(confirmed.stdout)).toMatchObject({ workflowId, step: 'confirm', decision: 'confirm' });
    expect((await waitForStatus(stack.runs, workflowId, ['completed'])).status).toBe('completed');
    expect((await cli('confirm', workflowId)).code).toBe(2);
    expect((await cli('confirm', 'restore-database/no/such/run')).code).toBe(2);
  });

  it('schedule nightly-dumps twice is one schedule; list, pause, unpause and delete it', async () => {
    const id = `cli-${requestId()}`;
    const args = ['schedule', 'nightly-dumps', '--id', id, '--service', SHOP, '--timezone', 'Europe/Paris', '--json'];
    const first = await cli(...args);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ scheduleId: id, created: true, cron: '0 2 * * *', timezone: 'Europe/Paris', services: [SHOP] });
    const second = await cli(...args, '--cron', '15 1 * * *');
    expect(JSON.parse(second.stdout)).toMatchObject({ scheduleId: id, created: false, cron: '15 1 * * *' });
    try {
      expect((await cli('schedule', 'pause', id)).code).toBe(0);
      expect(JSON.parse((await cli('schedule', 'describe', id, '--json')).stdout)).toMatchObject({ paused: true });
      expect((await cli('schedule', 'unpause', id)).code).toBe(0);
      expect(JSON.parse((await cli('schedule', 'describe', id, '--json')).stdout)).toMatchObject({ paused: false });
    } finally {
      expect((await cli('schedule', 'delete', id)).code).toBe(0);
    }
    expect((await cli('schedule', 'trigger', id)).code).toBe(2);
  });
});
