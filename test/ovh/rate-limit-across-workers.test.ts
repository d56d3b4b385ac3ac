// OVH counts an account's calls whatever process makes them. Three `ovhflow worker` processes on one account, each
// configured with the account's limit, must together stay within that limit (the simulator enforces it and answers
// 429 beyond), and when one of them is killed the other two must take up its share within about a lease. Measured
// from the simulator's request log: every call's arrival, refused ones included.
import { randomUUID } from 'node:crypto';
import { TerminatedFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { OvhClient } from '../../src/ovh/client.js';
import { RATE_SHARES_WORKFLOW_TASK_TIMEOUT_MS, rateSharesWorkflowId } from '../../src/ovh/rate-share-keeper.js';
import { rateSharesQuery, type RateShareHolder } from '../../src/shared/rate-shares.js';
import { inventory } from '../../src/workflows/inventory.js';
import { callRate, rateReachedAt } from '../support/call-rate.js';
import { waitFor } from '../support/processes.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { startWorkerChild, type WorkerChild } from '../support/worker-process.js';

/** The account's limit at OVH (the simulator's), and each worker's configured limit. */
const LIMIT = 10;
const BURST = 10;
const LEASE_SECONDS = 3;
const WORKERS = 3;
/** Inventory runs kept in flight: each lists ~20 services, so every worker always has calls waiting. */
const IN_FLIGHT = 9;
const EXTRA_SERVICES = 18;

describe('the OVH rate limit across worker processes', () => {
  let stack: TestStack;
  let workers: WorkerChild[] = [];
  let sharesId: string;
  let loading = true;
  let load: Promise<void>;
  const inFlight = new Set<string>();

  const liveHolders = async (): Promise<RateShareHolder[]> => {
    const state = await stack.t.client.workflow.getHandle(sharesId).query(rateSharesQuery);
    const now = Date.now();
    return state.holders.filter((h) => h.expiresAt > now);
  };
  const totalShare = (holders: RateShareHolder[]) => holders.reduce((sum, h) => sum + h.perSecond, 0);

  beforeAll(async () => {
    stack = await startTestStack('rate-shares', { rateLimit: { perSecond: LIMIT, burst: BURST } });
    for (let i = 1; i <= EXTRA_SERVICES; i += 1) {
      await stack.sim.admin('POST', `/services/rate-${String(i).padStart(2, '0')}.example.net`, { offer: 'PERFORMANCE_1', primaryLogin: `rate${String(i).padStart(4, '0')}` });
    }
    // The workflow id names the credentials, as the workers compute it (a hash, never the consumer key).
    const sameCredentials = new OvhClient({ endpoint: stack.sim.url, ...stack.sim.credentials, caFile: stack.sim.caFile, rateLimitPerSecond: LIMIT, logger: stack.t.logger });
    sharesId = rateSharesWorkflowId(stack.taskQueue, sameCredentials.rateLimit?.id ?? '');
    workers = Array.from({ length: WORKERS }, () =>
      startWorkerChild(stack, {
        OVH_RATE_LIMIT_PER_SECOND: String(LIMIT),
        OVHFLOW_RATE_LIMIT_SCOPE: 'account',
        OVHFLOW_RATE_SHARE_LEASE_SECONDS: String(LEASE_SECONDS),
        OVHFLOW_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
        OVHFLOW_SHUTDOWN_GRACE_SECONDS: '2',
      }),
    );
    for (const worker of workers) await waitFor('a worker to poll', () => worker.output().includes('worker ready'), 90_000);
    load = Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (loading) {
          const workflowId = `rate-load/${randomUUID()}`;
          inFlight.add(workflowId);
          try {
            await stack.t.client.workflow.execute(inventory, { taskQueue: stack.taskQueue, workflowId, args: [{ kind: 'services' }] });
          } catch (error) {
            if (!(error instanceof WorkflowFailedError && error.cause instanceof TerminatedFailure && !loading)) throw error;
          } finally {
            inFlight.delete(workflowId);
          }
        }
      }),
    ).then(() => undefined);
    load.catch(() => undefined); // awaited in afterAll, which reports a failure
  }, 180_000);

  afterAll(async () => {
    // The load's last runs are ended here rather than waited for (draining them at the limit took ~20 s).
    loading = false;
    await Promise.all([...inFlight].map((id) => stack.t.client.workflow.getHandle(id).terminate('the test is over').catch(() => undefined)));
    await Promise.race([load, new Promise((resolve) => setTimeout(resolve, 20_000))]);
    for (const worker of workers) worker.child.kill('SIGTERM');
    const running = () => workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null);
    await waitFor('the workers to stop', () => running().length === 0, 10_000).catch(() => undefined);
    for (const worker of workers) if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
    await stack?.close();
  }, 60_000);

  it('three workers on one account keep its call rate within the limit together, with under 1 % of calls refused', async () => {
    // Every worker has calls waiting, so each holds a share; together they hold no more than the limit.
    const holders = await waitFor('three workers to hold a share', async () => {
      const live = await liveHolders().catch(() => []);
      return live.length === WORKERS && live.every((h) => h.perSecond > 0) ? live : undefined;
    }, 60_000);
    expect(totalShare(holders)).toBeLessThanOrEqual(LIMIT + 1e-9);

    const from = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 12_000));
    const to = Date.now();
    const seconds = (to - from) / 1000;
    const rate = callRate(await stack.sim.requests(), from, to);
    // A token bucket of LIMIT/s and BURST lets LIMIT × t + BURST calls through in t seconds, and no more: without
    // sharing, three workers at LIMIT each send about three times that (and are refused most of the excess).
    expect(rate.calls).toBeLessThanOrEqual(LIMIT * seconds + BURST);
    expect(rate.maxInWindow).toBeLessThanOrEqual(LIMIT + BURST);
    expect(rate.refused / rate.calls).toBeLessThan(0.01);
    // And the limit is used, not starved: shares are equal, so a worker briefly without an activity leaves its share
    // unused for a moment (bench:rate-across-workers measured 76 % of the limit with this load, 100 % for one worker).
    expect(rate.perSecond).toBeGreaterThanOrEqual(0.6 * LIMIT);
    expect(totalShare(await liveHolders())).toBeLessThanOrEqual(LIMIT + 1e-9);
  }, 120_000);

  it('when the one running the share workflow is SIGKILLed, the other two take up its share within about a lease', async () => {
    // The worst case: the worker killed is the one running the account's share workflow (its last workflow task), so
    // the workflow itself must move to another worker before any share is handed out again.
    const history = await stack.t.client.workflow.getHandle(sharesId).fetchHistory();
    const lastIdentity = [...(history.events ?? [])].reverse().find((e) => e.workflowTaskCompletedEventAttributes)?.workflowTaskCompletedEventAttributes?.identity ?? '';
    const host = workers.find((w) => lastIdentity.endsWith(`:${w.child.pid}`));
    // A task that worker had taken when it died is taken again after the workflow's task timeout: 2 s, not Temporal's
    // 10 s (with 10 s, this test measured 10.0–10.3 s in 2 of 5 runs: every lease lapsed meanwhile).
    const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
    expect(Number(started?.workflowTaskTimeout?.seconds ?? 0) * 1000).toBe(RATE_SHARES_WORKFLOW_TASK_TIMEOUT_MS);
    expect(host, `the share workflow's worker (${lastIdentity}) is one of the three`).toBeDefined();
    const killedAt = Date.now();
    host?.child.kill('SIGKILL');
    // Its lease runs out (at most LEASE_SECONDS after its last renewal), then the next renewals hand its share out.
    await waitFor('the two others to hold the whole limit', async () => {
      const live = await liveHolders();
      return live.length === WORKERS - 1 && totalShare(live) >= LIMIT - 1e-6 ? live : undefined;
    }, 30_000);
    const sharedOutAfter = (Date.now() - killedAt) / 1000;
    expect(sharedOutAfter).toBeLessThan(LEASE_SECONDS + 3);

    await new Promise((resolve) => setTimeout(resolve, 8_000));
    const to = Date.now();
    const requests = await stack.sim.requests();
    const recoveredAt = rateReachedAt(requests, killedAt, to, 0.85 * LIMIT);
    expect(recoveredAt, 'the call rate never came back to 85 % of the limit').toBeDefined();
    expect(((recoveredAt as number) - killedAt) / 1000).toBeLessThan(LEASE_SECONDS + 3);
    const rate = callRate(requests, killedAt, to);
    expect(rate.calls).toBeLessThanOrEqual(LIMIT * ((to - killedAt) / 1000) + BURST);
    expect(rate.refused / rate.calls).toBeLessThan(0.01);
  }, 90_000);
});
