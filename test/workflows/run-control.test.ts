// RunControl's lifecycle — retry (with and without corrections), skip, an unskippable step, abort, cancel, the order
// and the report of compensation, a failing undo, a hold for a go-ahead — on the suite's real Temporal dev server,
// with stub activities each test steers. No OVH, no simulator: the whole file takes seconds, beside the end-to-end
// tests of each workflow that stay.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection, WorkflowFailedError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { FAILURE_TYPES } from '../../src/shared/failures.js';
import { abortUpdate, progressQuery, retryUpdate, skipUpdate, type RunProgress } from '../../src/shared/runs.js';
import type { CompensationOutcome } from '../../src/workflows/run-control.js';
import { goAheadUpdate, runControlLifecycle, type LifecycleInput, type StubActivities } from './run-control.workflow.js';

/** What one run's stubs do, and what they were asked. */
interface Script {
  /** A refusal message for this call of the step, or nothing to let it succeed. */
  refuse?: Record<string, (settings: Record<string, string>, call: number) => string | undefined>;
  undoFails?: string[];
  /** Whether the outside world a step waits on is ready now. */
  outsideReady?: boolean;
  calls: string[];
}
const scripts = new Map<string, Script>();

function scriptOfThisRun(): Script {
  const workflowId = Context.current().info.workflowExecution?.workflowId ?? '';
  const script = scripts.get(workflowId);
  if (!script) throw new Error(`no script for ${workflowId}`);
  return script;
}

const activities: StubActivities = {
  async perform(step, settings) {
    const script = scriptOfThisRun();
    script.calls.push(`perform ${step} size=${settings.size}`);
    const call = script.calls.filter((c) => c.startsWith(`perform ${step} `)).length;
    const refusal = script.refuse?.[step]?.(settings, call);
    if (refusal) throw ApplicationFailure.nonRetryable(refusal, 'StubRefused');
    return `${step} (${settings.size})`;
  },
  async undo(step) {
    const script = scriptOfThisRun();
    script.calls.push(`undo ${step}`);
    if (script.undoFails?.includes(step)) throw ApplicationFailure.nonRetryable(`${step} is locked`, 'StubUndoFailed');
    return 'undone';
  },
  async waitOutside(step) {
    const script = scriptOfThisRun();
    script.calls.push(`wait ${step}`);
    const context = Context.current();
    for (;;) {
      if (script.outsideReady) return 'ready';
      context.heartbeat();
      // Rejects with a CancelledFailure once the run cancels this wait (delivered with a heartbeat).
      await Promise.race([context.sleep(50), context.cancelled.catch((error: unknown) => {
        script.calls.push(`wait ${step} cancelled`);
        throw error;
      })]);
    }
  },
};

describe('RunControl: the run lifecycle with stub activities', { timeout: 30_000 }, () => {
  const taskQueue = `test-run-control-${randomUUID().slice(0, 8)}`;
  let connection: Connection;
  let nativeConnection: NativeConnection;
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    // The stubs refuse on purpose: the SDK's warnings about each refused attempt would only bury real failures.
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    const address = inject('temporalAddress');
    [connection, nativeConnection] = await Promise.all([Connection.connect({ address }), NativeConnection.connect({ address })]);
    client = new Client({ connection, namespace: inject('temporalNamespace') });
    worker = await Worker.create({
      connection: nativeConnection,
      namespace: inject('temporalNamespace'),
      taskQueue,
      workflowBundle: await bundleWorkflowCode({ workflowsPath: fileURLToPath(new URL('./run-control.workflow.ts', import.meta.url)), logger: quietBundlerLogger }),
      // RunControl asks the worker (a local activity) whether any webhook receiver wants a notification: none here.
      activities: { ...activities, notificationWanted: async () => false },
    });
    running = worker.run();
  });

  afterAll(async () => {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running;
    await nativeConnection?.close();
    await connection?.close();
  });

  async function start(script: Omit<Script, 'calls'>, input: LifecycleInput = {}) {
    const workflowId = `test/run-control/${randomUUID()}`;
    const steered: Script = { ...script, calls: [] };
    scripts.set(workflowId, steered);
    const handle = await client.workflow.start(runControlLifecycle, { taskQueue, workflowId, args: [input] });
    return { handle, calls: steered.calls };
  }

  const scriptFor = (handle: WorkflowHandle) => scripts.get(handle.workflowId) as Script;
  // The run does not wait for a cancelled wait to stop (it learns of the cancel with its next heartbeat): a cancel
  // shows up in the calls at its own time.
  const withoutCancels = (calls: string[]) => calls.filter((call) => !call.endsWith(' cancelled'));
  const waitCancelled = (calls: string[]) => expect.poll(() => calls, { timeout: 5_000, interval: 50 }).toContain('wait create-b cancelled');

  async function progressWhen(handle: WorkflowHandle, ready: (progress: RunProgress) => boolean): Promise<RunProgress> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const progress = await handle.query(progressQuery);
      if (ready(progress)) return progress;
      if (Date.now() > deadline) throw new Error(`run never reached the state waited for: ${JSON.stringify(progress)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
  const attentionAt = (handle: WorkflowHandle, step: string, attempts = 1) =>
    progressWhen(handle, (p) => p.status === 'needs-attention' && p.attention?.step === step && (p.steps.find((s) => s.name === step)?.attempts ?? 0) >= attempts);

  /** The run's failure: an ApplicationFailure (aborted) or a CancelledFailure. */
  async function failureOf(handle: WorkflowHandle): Promise<unknown> {
    const error = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WorkflowFailedError);
    return (error as WorkflowFailedError).cause;
  }

  const stateOf = (progress: RunProgress) => Object.fromEntries(progress.steps.map((s) => [s.name, s.state]));

  it('runs every step once and undoes nothing when nothing goes wrong', async () => {
    const { handle, calls } = await start({});
    expect(await handle.result()).toEqual({
      outcomes: { 'create-a': 'done', 'create-b': 'done', 'create-c': 'done' },
      settings: { size: 'small' },
      made: ['create-a (small)', 'create-b (small)', 'create-c (small)'],
    });
    expect(calls).toEqual(['perform create-a size=small', 'perform create-b size=small', 'perform create-c size=small']);
    const progress = await handle.query(progressQuery);
    expect(progress.status).toBe('completed');
    expect(stateOf(progress)).toEqual({ 'create-a': 'done', 'create-b': 'done', 'go-ahead': 'skipped', 'create-c': 'done' });
    expect(progress.undo).toEqual(['undo create-c', 'undo create-b', 'undo create-a']);
  });

  it('a step waiting on the outside world shows why, and goes on by itself once the outside is ready', async () => {
    const script: Omit<Script, 'calls'> = {};
    const { handle, calls } = await start(script, { waitsOutside: 'create-b' });
    const waiting = await attentionAt(handle, 'create-b');
    expect(waiting.attention).toMatchObject({ step: 'create-b', failureType: 'StubWaitingOutside', message: 'create-b waits on the outside world' });
    expect(stateOf(waiting)['create-b']).toBe('waiting-for-dns');
    scriptFor(handle).outsideReady = true;
    expect((await handle.result()).outcomes).toEqual({ 'create-a': 'done', 'create-b': 'done', 'create-c': 'done' });
    expect(calls).toEqual(['perform create-a size=small', 'wait create-b', 'perform create-b size=small', 'perform create-c size=small']);
  });

  it('skip while waiting on the outside world cancels the wait and skips the step', async () => {
    const { handle, calls } = await start({}, { waitsOutside: 'create-b' });
    await attentionAt(handle, 'create-b');
    expect(await handle.executeUpdate(skipUpdate)).toEqual({ step: 'create-b', decision: 'skip' });
    const result = await handle.result();
    expect(result.outcomes).toEqual({ 'create-a': 'done', 'create-b': 'skipped', 'create-c': 'done' });
    expect(withoutCancels(calls)).toEqual(['perform create-a size=small', 'wait create-b', 'perform create-c size=small']);
    await waitCancelled(calls);
    expect((await handle.query(progressQuery)).steps.find((s) => s.name === 'create-b')).toMatchObject({ state: 'skipped', note: 'skipped by an operator while waiting for dns' });
  });

  it('retry while waiting on the outside world cancels the wait and runs the step again at once', async () => {
    const { handle, calls } = await start({}, { waitsOutside: 'create-b' });
    await attentionAt(handle, 'create-b');
    await handle.executeUpdate(retryUpdate, { args: [{ set: ['size=large'] }] });
    await progressWhen(handle, () => calls.filter((c) => c === 'wait create-b').length === 2);
    await waitCancelled(calls);
    scriptFor(handle).outsideReady = true;
    expect((await handle.result()).made).toEqual(['create-a (small)', 'create-b (large)', 'create-c (large)']);
    expect(withoutCancels(calls)).toEqual(['perform create-a size=small', 'wait create-b', 'wait create-b', 'perform create-b size=large', 'perform create-c size=large']);
    expect((await handle.query(progressQuery)).steps.find((s) => s.name === 'create-b')?.attempts).toBe(2);
  });

  it('abort while waiting on the outside world cancels the wait and undoes what was made', async () => {
    const { handle, calls } = await start({}, { waitsOutside: 'create-b' });
    await attentionAt(handle, 'create-b');
    await handle.executeUpdate(abortUpdate);
    // create-b registers its undo only once its wait is over: only create-a was undone.
    expect(await failureOf(handle)).toMatchObject({ type: FAILURE_TYPES.runAborted, message: 'aborted by an operator at step create-b; undone: undo create-a' });
    expect(withoutCancels(calls)).toEqual(['perform create-a size=small', 'wait create-b', 'undo create-a']);
    await waitCancelled(calls);
  });

  it('a refused step waits for an operator; retry runs it again and the run completes', async () => {
    const { handle, calls } = await start({ refuse: { 'create-b': (_settings, call) => (call === 1 ? 'busy, try later' : undefined) } });
    const waiting = await attentionAt(handle, 'create-b');
    expect(waiting.attention).toMatchObject({ step: 'create-b', failureType: 'StubRefused', message: 'busy, try later' });
    expect(stateOf(waiting)).toMatchObject({ 'create-a': 'done', 'create-b': 'needs-attention', 'create-c': 'pending' });
    expect(await handle.executeUpdate(retryUpdate, { args: [{}] })).toEqual({ step: 'create-b', decision: 'retry' });
    expect((await handle.result()).outcomes).toEqual({ 'create-a': 'done', 'create-b': 'done', 'create-c': 'done' });
    expect(calls).toEqual(['perform create-a size=small', 'perform create-b size=small', 'perform create-b size=small', 'perform create-c size=small']);
    expect((await handle.query(progressQuery)).steps.find((s) => s.name === 'create-b')?.attempts).toBe(2);
  });

  it('retry with corrections: a bad one is refused by the validator, a good one applies before the step runs again', async () => {
    const { handle, calls } = await start({ refuse: { 'create-b': (settings) => (settings.size === 'large' ? undefined : 'too small') } });
    await attentionAt(handle, 'create-b');
    await expect(handle.executeUpdate(retryUpdate, { args: [{ set: ['colour=red'] }] })).rejects.toThrow(WorkflowUpdateFailedError);
    // Still waiting, untouched by the refused correction; a plain retry meets the same refusal.
    await handle.executeUpdate(retryUpdate, { args: [{}] });
    await attentionAt(handle, 'create-b', 2);
    await handle.executeUpdate(retryUpdate, { args: [{ set: ['size=large'] }] });
    const result = await handle.result();
    expect(result.settings).toEqual({ size: 'large' });
    expect(result.made).toEqual(['create-a (small)', 'create-b (large)', 'create-c (large)']);
    expect(calls.filter((c) => c.startsWith('perform create-b'))).toEqual(['perform create-b size=small', 'perform create-b size=small', 'perform create-b size=large']);
  });

  it('a bad correction is refused with its reason', async () => {
    const { handle } = await start({ refuse: { 'create-a': () => 'no' } });
    await attentionAt(handle, 'create-a');
    const refused = await handle.executeUpdate(retryUpdate, { args: [{ set: ['colour=red'] }] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause?.message).toBe('cannot correct "colour=red": only size=<word>');
    await handle.executeUpdate(abortUpdate);
    await failureOf(handle);
  });

  it('skip leaves the step out and goes on', async () => {
    const { handle, calls } = await start({ refuse: { 'create-b': () => 'quota reached' } });
    await attentionAt(handle, 'create-b');
    expect(await handle.executeUpdate(skipUpdate)).toEqual({ step: 'create-b', decision: 'skip' });
    const result = await handle.result();
    expect(result.outcomes).toEqual({ 'create-a': 'done', 'create-b': 'skipped', 'create-c': 'done' });
    expect(result.made).toEqual(['create-a (small)', 'create-c (small)']);
    const step = (await handle.query(progressQuery)).steps.find((s) => s.name === 'create-b');
    expect(step).toMatchObject({ state: 'skipped', note: 'skipped by an operator after: quota reached' });
    expect(calls.filter((c) => c.startsWith('undo'))).toEqual([]);
  });

  it('a step that cannot be skipped refuses skip in the validator; the run keeps waiting for retry or abort', async () => {
    const { handle } = await start({ refuse: { 'create-b': () => 'quota reached' } }, { unskippable: ['create-b'] });
    await attentionAt(handle, 'create-b');
    const refused = await handle.executeUpdate(skipUpdate).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    expect((refused as WorkflowUpdateFailedError).cause?.message).toBe('step create-b cannot be skipped: retry or abort');
    expect((await handle.query(progressQuery)).status).toBe('needs-attention');
    await handle.executeUpdate(abortUpdate);
    expect(await failureOf(handle)).toMatchObject({ type: FAILURE_TYPES.runAborted });
  });

  it('abort undoes everything registered, newest first, and reports it in the failure and the progress', async () => {
    const { handle, calls } = await start({ refuse: { 'create-c': () => 'refused' } });
    await attentionAt(handle, 'create-c');
    expect(await handle.executeUpdate(abortUpdate)).toEqual({ step: 'create-c', decision: 'abort' });
    const failure = await failureOf(handle);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: FAILURE_TYPES.runAborted, nonRetryable: true });
    expect((failure as ApplicationFailure).message).toBe('aborted by an operator at step create-c; undone: undo create-c, undo create-b, undo create-a');
    expect((failure as ApplicationFailure).details).toEqual([{ undone: ['undo create-c', 'undo create-b', 'undo create-a'], absent: [], notUndone: [] } satisfies CompensationOutcome]);
    expect(calls.filter((c) => c.startsWith('undo'))).toEqual(['undo create-c', 'undo create-b', 'undo create-a']);
    const progress = await handle.query(progressQuery);
    expect(progress).toMatchObject({ status: 'aborted', undo: [], compensation: { undone: ['undo create-c', 'undo create-b', 'undo create-a'], notUndone: [] } });
    expect(stateOf(progress)).toMatchObject({ 'create-a': 'done', 'create-b': 'done', 'create-c': 'failed' });
  });

  it('an undo that fails is reported as not undone, and the undos after it still run', async () => {
    const { handle, calls } = await start({ refuse: { 'create-c': () => 'refused' }, undoFails: ['create-b'] });
    await attentionAt(handle, 'create-c');
    await handle.executeUpdate(abortUpdate);
    const failure = (await failureOf(handle)) as ApplicationFailure;
    expect(calls.filter((c) => c.startsWith('undo'))).toEqual(['undo create-c', 'undo create-b', 'undo create-a']);
    expect(failure.details).toEqual([{ undone: ['undo create-c', 'undo create-a'], absent: [], notUndone: [{ what: 'undo create-b', reason: 'create-b is locked' }] }]);
    expect(failure.message).toContain('COULD NOT UNDO (clean up by hand): undo create-b (create-b is locked)');
    expect((await handle.query(progressQuery)).compensation).toEqual({ undone: ['undo create-c', 'undo create-a'], notUndone: [{ what: 'undo create-b', reason: 'create-b is locked' }] });
  });

  it('a cancelled run undoes what it registered, newest first, and ends cancelled', async () => {
    const { handle, calls } = await start({ refuse: { 'create-b': () => 'refused' } });
    await attentionAt(handle, 'create-b');
    await handle.cancel();
    expect(await failureOf(handle)).toBeInstanceOf(CancelledFailure);
    expect(calls.filter((c) => c.startsWith('undo'))).toEqual(['undo create-b', 'undo create-a']);
    const progress = await handle.query(progressQuery);
    expect(progress).toMatchObject({ status: 'cancelled', compensation: { undone: ['undo create-b', 'undo create-a'], notUndone: [] } });
    expect(stateOf(progress)).toMatchObject({ 'create-a': 'done', 'create-b': 'failed', 'create-c': 'pending' });
    expect(calls).not.toContain('perform create-c size=small');
  });

  it('a hold waits for its go-ahead: retry and skip are refused meanwhile, the go-ahead releases it', async () => {
    const { handle, calls } = await start({}, { hold: true });
    const held = await attentionAt(handle, 'go-ahead');
    expect(held.attention).toMatchObject({ step: 'go-ahead', failureType: 'WaitingForGoAhead', message: 'waits for a go-ahead' });
    expect(calls).toEqual(['perform create-a size=small', 'perform create-b size=small']);
    const refusals = await Promise.all([handle.executeUpdate(retryUpdate, { args: [{}] }), handle.executeUpdate(skipUpdate)].map((update) => update.catch((e: unknown) => e)));
    for (const error of refusals) {
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((error as WorkflowUpdateFailedError).cause?.message).toMatch(/^cannot (retry|skip): step go-ahead waits for a go-ahead, not a retry/);
    }
    expect(await handle.executeUpdate(goAheadUpdate)).toEqual({ step: 'go-ahead', decision: 'confirm' });
    expect((await handle.result()).outcomes).toEqual({ 'create-a': 'done', 'create-b': 'done', 'go-ahead': 'released', 'create-c': 'done' });
    expect(stateOf(await handle.query(progressQuery))).toEqual({ 'create-a': 'done', 'create-b': 'done', 'go-ahead': 'done', 'create-c': 'done' });
  });

  it('an abort during a hold undoes what was made before it', async () => {
    const { handle, calls } = await start({}, { hold: true });
    await attentionAt(handle, 'go-ahead');
    expect(await handle.executeUpdate(abortUpdate)).toEqual({ step: 'go-ahead', decision: 'abort' });
    expect(await failureOf(handle)).toMatchObject({ type: FAILURE_TYPES.runAborted, message: 'aborted by an operator at step go-ahead; undone: undo create-b, undo create-a' });
    expect(calls).toEqual(['perform create-a size=small', 'perform create-b size=small', 'undo create-b', 'undo create-a']);
    expect(stateOf(await handle.query(progressQuery))).toMatchObject({ 'go-ahead': 'failed', 'create-c': 'pending' });
  });

  it('a go-ahead is refused when the run waits for an operator, not for a go-ahead', async () => {
    const { handle: waiting } = await start({ refuse: { 'create-a': () => 'no' } });
    await attentionAt(waiting, 'create-a');
    const early = await waiting.executeUpdate(goAheadUpdate).catch((e: unknown) => e);
    expect((early as WorkflowUpdateFailedError).cause?.message).toBe('nothing waits for a go-ahead');
    await waiting.executeUpdate(abortUpdate);
    await failureOf(waiting);
  });
});

const noop = () => undefined;
const quietBundlerLogger = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };
