// applyFleet's branches with stub activities each test steers, on the suite's Temporal dev server: a child that
// cannot be started, one that waits for an operator, one that fails; a site's changes one after the other; at most
// `parallel` children at once per account; continue-as-new carrying the report. Seconds, beside the end-to-end
// tests through the binary (test/fleet/apply.test.ts).
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { ApplyChildState, ApplyFleetInput, ApplyTask, StartApplyChildRequest } from '../../src/shared/apply.js';
import { RUN_TYPE } from '../../src/shared/search-attributes.js';
import { applyFleet } from '../../src/workflows/apply-fleet.js';

interface Script {
  /** How each child ends, by its request id (default: done). */
  outcome?: Record<string, ApplyChildState | 'not-started'>;
  started: string[];
  inFlight: Map<string, number>;
  maxInFlight: Map<string, number>;
}
const scripts = new Map<string, Script>();
const scriptOfThisRun = () => scripts.get(Context.current().info.workflowExecution?.workflowId ?? '') as Script;

const activities = {
  async startApplyChild(request: StartApplyChildRequest) {
    const script = scriptOfThisRun();
    if (script.outcome?.[request.requestId] === 'not-started') throw ApplicationFailure.nonRetryable('the hosting is gone', 'OvhNotFound');
    script.started.push(request.requestId);
    const now = (script.inFlight.get(request.account) ?? 0) + 1;
    script.inFlight.set(request.account, now);
    script.maxInFlight.set(request.account, Math.max(now, script.maxInFlight.get(request.account) ?? 0));
    return { workflowId: `child/${request.requestId}`, found: false };
  },
  async checkApplyChild(request: { workflowId: string }): Promise<ApplyChildState> {
    const script = scriptOfThisRun();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const requestId = request.workflowId.slice('child/'.length);
    const account = requestId.split('-')[0] as string;
    script.inFlight.set(account, (script.inFlight.get(account) ?? 1) - 1);
    const outcome = script.outcome?.[requestId];
    return outcome && outcome !== 'not-started' ? outcome : { status: 'done' };
  },
  notificationWanted: async () => false,
};

const task = (account: string, subject: string, ...ids: string[]): ApplyTask => ({
  account,
  serviceName: `${account}.ovh`,
  subject,
  changes: ids.map((id) => ({ runType: 'update-domain', input: { serviceName: `${account}.ovh`, domain: subject, cdn: 'active' }, requestId: `${account}-${id}`, what: `cdn ${id}` })),
});

describe('applyFleet with stub activities', { timeout: 60_000 }, () => {
  const taskQueue = `test-apply-fleet-${randomUUID().slice(0, 8)}`;
  let connection: Connection;
  let nativeConnection: NativeConnection;
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    const address = inject('temporalAddress');
    [connection, nativeConnection] = await Promise.all([Connection.connect({ address }), NativeConnection.connect({ address })]);
    client = new Client({ connection, namespace: inject('temporalNamespace') });
    const noop = () => undefined;
    worker = await Worker.create({
      connection: nativeConnection,
      namespace: inject('temporalNamespace'),
      taskQueue,
      workflowBundle: await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('../../src/workflows/apply-fleet.ts', import.meta.url)), logger: { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop } }),
      activities,
    });
    running = worker.run();
  });
  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await nativeConnection?.close();
    await connection?.close();
  });

  async function apply(tasks: ApplyTask[], options: Partial<ApplyFleetInput> & Pick<Script, 'outcome'> = {}) {
    const workflowId = `test/apply-fleet/${randomUUID()}`;
    const script: Script = { ...(options.outcome ? { outcome: options.outcome } : {}), started: [], inFlight: new Map(), maxInFlight: new Map() };
    scripts.set(workflowId, script);
    const { outcome: _outcome, ...rest } = options;
    const input: ApplyFleetInput = { tasks, parallel: 2, accounts: { defaultAccount: 'a', names: ['a', 'b'] }, ...rest };
    // Tagged as ovhflow's starters tag a run: its input is taken as parsed.
    const result = await client.workflow.execute(applyFleet, { taskQueue, workflowId, args: [input], typedSearchAttributes: [{ key: RUN_TYPE, value: 'apply' }] });
    return { result, script, workflowId };
  }

  it('reports each child done, failed, waiting for an operator or never started, and goes on past each', async () => {
    const { result } = await apply([task('a', 'one.example', '1'), task('a', 'two.example', '2'), task('a', 'three.example', '3'), task('a', 'four.example', '4')], {
      outcome: { 'a-2': { status: 'needs-attention', reason: 'apply: OvhConflict — ovhflow retry|skip|abort child/a-2' }, 'a-3': { status: 'failed', reason: 'aborted' }, 'a-4': 'not-started' },
    });
    expect(result.totals).toEqual({ changes: 4, done: 1, failed: 2, needsAttention: 1 });
    expect(result.done.map((d) => d.workflowId)).toEqual(['child/a-1']);
    expect(result.needsAttention).toEqual([expect.objectContaining({ subject: 'two.example', workflowId: 'child/a-2', reason: expect.stringContaining('ovhflow retry|skip|abort child/a-2') })]);
    expect(result.failed.map((f) => [f.subject, f.workflowId, f.reason])).toEqual(
      expect.arrayContaining([
        ['three.example', 'child/a-3', 'aborted'],
        ['four.example', '', expect.stringContaining('not started: the hosting is gone')],
      ]),
    );
  });

  it("runs a site's changes in order, and at most `parallel` children at once per account", async () => {
    const tasks = [task('a', 'one.example', '1x', '1y'), ...['2', '3', '4', '5'].map((n) => task('a', `${n}.example`, n)), ...['6', '7', '8'].map((n) => task('b', `${n}.example`, n))];
    const { result, script } = await apply(tasks, { parallel: 2 });
    expect(result.totals.done).toBe(9);
    expect(script.started.indexOf('a-1x')).toBeLessThan(script.started.indexOf('a-1y'));
    expect(script.maxInFlight.get('a')).toBe(2);
    expect(script.maxInFlight.get('b')).toBe(2);
  });

  it('continues as new after the set number of children, carrying the tasks left and the report so far', async () => {
    const { result, script, workflowId } = await apply(['1', '2', '3', '4', '5'].map((n) => task('a', `${n}.example`, n)), { childrenPerExecution: 2, outcome: { 'a-3': { status: 'failed', reason: 'x' } } });
    expect(result.totals).toEqual({ changes: 5, done: 4, failed: 1, needsAttention: 0 });
    expect(script.started).toEqual(['a-1', 'a-2', 'a-3', 'a-4', 'a-5']);
    const executions = [];
    for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) executions.push(execution.status.name);
    expect(executions.sort()).toEqual(['COMPLETED', 'CONTINUED_AS_NEW', 'CONTINUED_AS_NEW']);
  });

  it('each child costs the parent a fixed handful of events: without continue-as-new the history would grow with the fleet', async () => {
    const length = async (children: number) => {
      const { workflowId } = await apply(Array.from({ length: children }, (_, i) => task('a', `${i}.example`, String(i))), { parallel: 1 });
      return (await client.workflow.getHandle(workflowId).fetchHistory()).events?.length ?? 0;
    };
    const [two, five] = [await length(2), await length(5)];
    const perChild = (five - two) / 3;
    expect(perChild).toBeGreaterThanOrEqual(6);
    // What test/fleet/apply.test.ts bounds each part at (60 events) holds two children, and would not hold five.
    expect(two).toBeLessThanOrEqual(60);
    expect(five).toBeGreaterThan(60);
  });
});
