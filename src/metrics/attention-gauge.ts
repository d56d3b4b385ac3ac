// `ovhflow_runs_needing_attention{kind,account}`, from Temporal's visibility rather than from what this process saw:
// a worker that just restarted, or one that never ran the run, still reports every open run waiting for an operator.
// Every worker (and `ovhflow dev`) reports the same figure for its task queue: alert on max(), not sum().
import type { Client } from '@temporalio/client';
import type { Logger } from '../logging/logger.js';
import { ACCOUNT, RUN_STATUS, RUN_TYPE } from '../shared/search-attributes.js';
import { accountLabel, attentionPollErrors, runsNeedingAttention } from './registry.js';

export const DEFAULT_ATTENTION_POLL_MS = 15_000;

export interface AttentionGaugeOptions {
  client: Client;
  taskQueue: string;
  logger: Logger;
  intervalMs?: number;
}

/** The visibility query of the open runs of this task queue that wait for an operator. */
export function needsAttentionQuery(taskQueue: string): string {
  return `ExecutionStatus = 'Running' AND ${RUN_STATUS.name} = 'needs-attention' AND TaskQueue = '${taskQueue.replaceAll("'", "\\'")}'`;
}

/** Counts them once, by kind and account, and sets the gauge (label sets seen before and now empty go to 0). */
export async function refreshAttentionGauge(client: Client, taskQueue: string, seen: Set<string> = new Set()): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for await (const run of client.workflow.list({ query: needsAttentionQuery(taskQueue) })) {
    const kind = run.typedSearchAttributes.get(RUN_TYPE) ?? run.type;
    const account = accountLabel(run.typedSearchAttributes.get(ACCOUNT) ?? undefined);
    const key = JSON.stringify([kind, account]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const key of new Set([...seen, ...counts.keys()])) {
    const [kind, account] = JSON.parse(key) as [string, string];
    runsNeedingAttention.set({ kind, account }, counts.get(key) ?? 0);
    seen.add(key);
  }
  return counts;
}

/** Refreshes the gauge now and then every `intervalMs` until stopped. */
export function startAttentionGauge(options: AttentionGaugeOptions): { stop(): Promise<void> } {
  const seen = new Set<string>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();
  const tick = () => {
    current = refreshAttentionGauge(options.client, options.taskQueue, seen)
      .catch((error: unknown) => {
        attentionPollErrors.inc();
        options.logger.warn({ error: (error as Error).message }, 'cannot count the runs needing attention');
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs ?? DEFAULT_ATTENTION_POLL_MS).unref();
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await current;
    },
  };
}
