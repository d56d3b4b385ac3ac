// nightlyDumps on a Temporal Schedule, end to end: 3 services × 4 databases discovered at run time, one dump task
// cancelled by OVH. The other 11 are dumped, the report names the failed one, an operator retry completes it, and
// neither a second trigger of the same night nor the next night is blocked by it.
import { randomBytes } from 'node:crypto';
import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptedDataConverter } from '../../src/codec/encryption-codec.js';
import { singleKeyring } from '../../src/codec/keyring.js';
import { createRunService } from '../../src/runs/service.js';
import { localDate, nightlyChildWorkflowId, type NightlyDumpsResult } from '../../src/shared/backups.js';
import { parseNightlyDumpsInput } from '../../src/shared/inputs/index.js';
import { RUN_STATUS } from '../../src/shared/search-attributes.js';
import {
  deleteNightlySchedule,
  describeNightlySchedule,
  listNightlySchedules,
  pauseNightlySchedule,
  triggerNightlySchedule,
  upsertNightlySchedule,
} from '../../src/schedules/nightly.js';
import { waitForStatus } from '../support/provisioning.js';
import { FAST_POLL, outcomeOf, startTestStack, type TestStack } from '../support/stack.js';
import { createServicesWithDatabases, nowDumps, requestId } from './support.js';

function nightlyInput(raw: unknown) {
  const parsed = parseNightlyDumpsInput(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
}

describe('nightlyDumps on a Temporal Schedule (dev server + simulator over HTTPS)', () => {
  let stack: TestStack;
  const schedules: string[] = [];
  beforeAll(async () => {
    stack = await startTestStack('nightly');
    await stack.startWorker();
  });
  afterAll(async () => {
    for (const id of schedules) await deleteNightlySchedule(stack.t.client, id).catch(() => undefined);
    await stack?.close();
  });

  /** Triggers the schedule and returns the run it started (the newest of its recent actions). */
  async function triggerAndFind(scheduleId: string, before: number): Promise<string> {
    await triggerNightlySchedule(stack.t.client, scheduleId);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const view = await describeNightlySchedule(stack.t.client, scheduleId);
      if (view.recentRuns.length > before) return view.recentRuns[view.recentRuns.length - 1]!.workflowId;
      if (Date.now() > deadline) throw new Error(`schedule ${scheduleId} did not start a run`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('one cancelled dump never blocks the other databases, the report, an operator retry, or the next night', async () => {
    const services = await createServicesWithDatabases(stack, 3, 4);
    const serviceNames = services.map((s) => s.serviceName);
    const databases = services.flatMap((s) => s.databases.map((databaseName) => ({ serviceName: s.serviceName, databaseName })));
    expect(databases).toHaveLength(12);
    await stack.sim.faults([{ taskFunction: 'dump/create', outcome: 'cancelled', times: 1 }]);

    const scheduleId = `nightly-${requestId()}`;
    schedules.push(scheduleId);
    const input = nightlyInput({ services: serviceNames, concurrency: 4 });
    await upsertNightlySchedule(stack.t.client, { scheduleId, timezone: 'Europe/Paris', input, taskQueue: stack.taskQueue, settings: { poll: FAST_POLL } });

    // Night 1.
    const firstRun = await triggerAndFind(scheduleId, 0);
    expect(firstRun.startsWith(`nightly-dumps/${scheduleId}-`)).toBe(true);
    const first = await outcomeOf(stack.runs, firstRun);
    expect(first.status, JSON.stringify(first.progress)).toBe('completed');
    const report = first.result as NightlyDumpsResult;
    expect(report.night).toBe(localDate(new Date(first.startedAt!), 'Europe/Paris'));
    expect(report.totals).toEqual({ databases: 12, done: 11, failed: 1, skipped: 0 });
    const [failed] = report.failed;
    expect(failed).toMatchObject({ failureType: 'OvhTaskCancelled', workflowId: nightlyChildWorkflowId(failed!.serviceName, failed!.databaseName!, report.night) });
    expect(failed!.reason).toMatch(/cancelled/);
    for (const { serviceName, databaseName } of databases) {
      const expected = serviceName === failed!.serviceName && databaseName === failed!.databaseName ? 0 : 1;
      expect(await nowDumps(stack.sim, serviceName, databaseName), `${serviceName}/${databaseName}`).toHaveLength(expected);
    }

    // The failed backup waits for an operator, on its own.
    const waiting = await waitForStatus(stack.runs, failed!.workflowId!, ['needs-attention']);
    expect(waiting.type).toBe('backup');
    expect(waiting.progress?.attention).toMatchObject({ step: 'dump', failureType: 'OvhTaskCancelled' });

    // The same night triggered again while it waits: nothing is dumped twice, nothing waits for it.
    const secondRun = await triggerAndFind(scheduleId, 1);
    const second = await outcomeOf(stack.runs, secondRun);
    expect(second.status).toBe('completed');
    expect((second.result as NightlyDumpsResult).totals).toEqual({ databases: 12, done: 0, failed: 0, skipped: 12 });

    // The operator retries it: it completes.
    await stack.runs.retry(failed!.workflowId!);
    expect((await outcomeOf(stack.runs, failed!.workflowId!)).status).toBe('completed');
    expect(await nowDumps(stack.sim, failed!.serviceName, failed!.databaseName!)).toHaveLength(1);

    // The next night dumps every database again.
    const nextNight = new Date(Date.parse(`${report.night}T12:00:00Z`) + 24 * 3600 * 1000).toISOString().slice(0, 10);
    const next = await stack.runs.start('nightly', input, { requestId: nextNight });
    const third = await outcomeOf(stack.runs, next.workflowId);
    expect(third.status).toBe('completed');
    expect((third.result as NightlyDumpsResult).totals).toEqual({ databases: 12, done: 12, failed: 0, skipped: 0 });
    for (const { serviceName, databaseName } of databases) expect(await nowDumps(stack.sim, serviceName, databaseName)).toHaveLength(2);
  });

  it("the night's report counts databases as databases: a service without a database is a skipped service, not a skipped database", async () => {
    const [withDatabases] = await createServicesWithDatabases(stack, 1, 3);
    const [empty] = await createServicesWithDatabases(stack, 1, 0);
    const ref = await stack.runs.start('nightly', nightlyInput({ services: [withDatabases!.serviceName, empty!.serviceName] }), { requestId: '2026-01-15' });
    const night = await outcomeOf(stack.runs, ref.workflowId);
    expect(night.status).toBe('completed');
    expect((night.result as NightlyDumpsResult).skipped).toEqual([{ serviceName: empty!.serviceName, reason: 'no database' }]);
    expect(night.progress?.steps.find((step) => step.name === 'dumpAll')?.note).toBe('3 done, 0 failed, 0 skipped of 3 database(s); 1 service(s) skipped');
  });

  it('the schedule created twice is one schedule; trigger runs it now; a paused schedule does not run', async () => {
    const [service] = await createServicesWithDatabases(stack, 1, 1, 'PERSO');
    const scheduleId = `nightly-${requestId()}`;
    schedules.push(scheduleId);
    const request = { scheduleId, input: nightlyInput({ services: [service!.serviceName] }), taskQueue: stack.taskQueue, settings: { poll: FAST_POLL } };

    expect(await upsertNightlySchedule(stack.t.client, request)).toEqual({ scheduleId, created: true });
    expect(await upsertNightlySchedule(stack.t.client, { ...request, cron: '30 3 * * *', timezone: 'Europe/Paris' })).toEqual({ scheduleId, created: false });
    const described = await describeNightlySchedule(stack.t.client, scheduleId);
    expect(described).toMatchObject({ scheduleId, paused: false, cron: '30 3 * * *', timezone: 'Europe/Paris', services: [service!.serviceName] });
    expect(described.recentRuns).toEqual([]);
    // The listing is eventually consistent: wait for this schedule to appear, then count it.
    const deadline = Date.now() + 15_000;
    let listed = (await listNightlySchedules(stack.t.client)).filter((s) => s.scheduleId === scheduleId);
    while (listed.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      listed = (await listNightlySchedules(stack.t.client)).filter((s) => s.scheduleId === scheduleId);
    }
    expect(listed).toHaveLength(1);
    // A process holding another key (another deployment on the namespace, or a retired key) still lists every
    // schedule: this one with what is readable, and why its settings are not.
    const stranger = new Client({ connection: stack.t.client.connection, namespace: stack.t.namespace, dataConverter: encryptedDataConverter(singleKeyring(randomBytes(32))) });
    const seenByStranger = (await listNightlySchedules(stranger)).find((s) => s.scheduleId === scheduleId);
    expect(seenByStranger).toMatchObject({ scheduleId, paused: false, recentRuns: [] });
    expect(seenByStranger?.unreadable).toMatch(/^its settings cannot be read here: /);
    expect(seenByStranger?.services).toBeUndefined();
    expect(listed[0]?.unreadable).toBeUndefined();

    const run = await triggerAndFind(scheduleId, 0);
    const view = await outcomeOf(stack.runs, run);
    // Its memo is encrypted: the stranger cannot read it, and still lists the run (listing reads only indexed fields).
    const strangerRuns = createRunService({ client: stranger, taskQueue: stack.taskQueue });
    await expect.poll(async () => (await strangerRuns.listRuns({ type: 'nightly', limit: 1000 })).find((r) => r.workflowId === run)?.status, { timeout: 15_000 }).toBe('completed');
    expect(view.status).toBe('completed');
    expect((view.result as NightlyDumpsResult).totals).toMatchObject({ done: 1, failed: 0 });

    // Paused, then made due every second (the update keeps it paused). An absence is proved against a control: an
    // unpaused schedule with the same spec, started after the pause, that acts several times meanwhile.
    await pauseNightlySchedule(stack.t.client, scheduleId, 'test');
    await upsertNightlySchedule(stack.t.client, { ...request, cron: '@every 1s' });
    const paused = await describeNightlySchedule(stack.t.client, scheduleId);
    expect(paused).toMatchObject({ paused: true, cron: '@every 1s' });
    const actionsOf = async (id: string) => (await stack.t.client.schedule.getHandle(id).describe()).info;
    // Each due time is either an action taken or one skipped (the overlap policy skips while a night still runs).
    const firedOf = async (id: string) => {
      const info = await actionsOf(id);
      return { taken: info.numActionsTaken, fired: info.numActionsTaken + info.numActionsSkippedOverlap };
    };
    const atPause = await firedOf(scheduleId);
    expect(atPause).toEqual({ taken: 1, fired: 1 });
    const controlId = `nightly-control-${requestId()}`;
    schedules.push(controlId);
    expect(await upsertNightlySchedule(stack.t.client, { ...request, scheduleId: controlId, cron: '@every 1s' })).toEqual({ scheduleId: controlId, created: true });
    await expect.poll(async () => (await firedOf(controlId)).fired, { timeout: 30_000, interval: 250 }).toBeGreaterThanOrEqual(3);
    expect((await firedOf(controlId)).taken).toBeGreaterThanOrEqual(1);
    await deleteNightlySchedule(stack.t.client, controlId);
    expect(await firedOf(scheduleId)).toEqual(atPause);
    expect((await actionsOf(scheduleId)).recentActions.map((action) => action.action.workflow.workflowId)).toEqual([run]);
    expect((await describeNightlySchedule(stack.t.client, scheduleId)).paused).toBe(true);
  });

  it('never has more dumps in flight at OVH than its concurrency, and does use it', async () => {
    // Dumps long enough that a run ignoring its concurrency would overlap them all.
    await stack.sim.config({ taskDurationMs: { 'dump/create': 1_500 } });
    try {
      const services = await createServicesWithDatabases(stack, 2, 3);
      const concurrency = 2;
      const ref = await stack.runs.start('nightly', nightlyInput({ services: services.map((s) => s.serviceName), concurrency }), { requestId: '2031-02-07' });
      const done = await outcomeOf(stack.runs, ref.workflowId);
      expect(done.status).toBe('completed');
      expect((done.result as NightlyDumpsResult).totals).toEqual({ databases: 6, done: 6, failed: 0, skipped: 0 });
      // The simulator's task book: when each dump task was created, and when OVH finished it.
      const state = await stack.sim.state();
      const dumps = services.flatMap((s) => state.services[s.serviceName]!.tasks.filter((task) => task.function === 'dump/create'));
      expect(dumps).toHaveLength(6);
      const spans = dumps.map((task) => ({ start: Date.parse(task.startDate as string), end: Date.parse(task.doneDate as string) }));
      for (const span of spans) expect(span.end).toBeGreaterThan(span.start);
      const inFlightAt = (moment: number) => spans.filter((span) => span.start <= moment && moment < span.end).length;
      const mostAtOnce = Math.max(...spans.map((span) => inFlightAt(span.start)));
      expect(mostAtOnce).toBe(concurrency);
    } finally {
      await stack.sim.config({ taskDurationMs: { 'dump/create': 60 } });
    }
  });

  it('a night cancelled mid-way ends cancelled; the dumps already started at OVH finish on their own and nothing is left running', async () => {
    await stack.sim.config({ taskDurationMs: { 'dump/create': 3_000 } });
    try {
      const [service] = await createServicesWithDatabases(stack, 1, 3);
      const night = '2031-01-05';
      const ref = await stack.runs.start('nightly', nightlyInput({ services: [service!.serviceName], concurrency: 3 }), { requestId: night });
      const children = service!.databases.map((db) => nightlyChildWorkflowId(service!.serviceName, db, night));
      // Wait until every backup has started its dump at OVH.
      await expect
        .poll(async () => Promise.all(children.map(async (id) => (await stack.runs.describeRun(id).catch(() => undefined))?.progress?.steps[0]?.state)), { timeout: 20_000, interval: 200 })
        .toEqual(['waiting-for-ovh-task', 'waiting-for-ovh-task', 'waiting-for-ovh-task']);
      await stack.t.client.workflow.getHandle(ref.workflowId).cancel();
      const cancelled = await waitForStatus(stack.runs, ref.workflowId, ['cancelled']);
      expect(cancelled.progress?.compensation).toEqual({ undone: [], notUndone: [] });
      // Abandoned children: a dump already running at OVH cannot be stopped, so its backup completes and is kept.
      for (const id of children) expect((await outcomeOf(stack.runs, id)).status).toBe('completed');
      for (const db of service!.databases) expect(await nowDumps(stack.sim, service!.serviceName, db)).toHaveLength(1);
      // Its search attribute says so too (what `ovhflow runs` and the Temporal UI list by). Read from this run's own
      // description: listing every nightly run of the suite's shared server would decode other files' memos, under
      // keys this test does not hold.
      const { typedSearchAttributes } = await stack.t.client.workflow.getHandle(ref.workflowId).describe();
      expect(typedSearchAttributes.get(RUN_STATUS)).toBe('cancelled');
    } finally {
      await stack.sim.config({ taskDurationMs: { 'dump/create': 60 } });
    }
  });
});
