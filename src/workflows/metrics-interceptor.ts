// Every run, as it ends, tells the worker's metrics its kind and outcome (and a nightly run, how many dumps failed),
// through a sink: no command, no history event, so adding it changes nothing a replay checks.
import { ApplicationFailure, ContinueAsNew, isCancellation, proxySinks, workflowInfo, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { FAILURE_TYPES } from '../shared/failures.js';
import type { OvhflowMetricsSinks, RunOutcome } from '../shared/metrics-sinks.js';
import { RUN_TYPE } from '../shared/search-attributes.js';

const { ovhflowMetrics } = proxySinks<OvhflowMetricsSinks>();

function kindOfRun(): string {
  const info = workflowInfo();
  return info.typedSearchAttributes.get(RUN_TYPE) ?? info.workflowType;
}

function outcomeOf(error: unknown): RunOutcome {
  if (error instanceof ApplicationFailure && error.type === FAILURE_TYPES.runAborted) return 'aborted';
  return isCancellation(error) ? 'cancelled' : 'failed';
}

/** Workflows that are not runs: a run's notification is counted by ovhflow_notifications_total, not as a run. */
const NOT_RUNS = new Set(['deliverNotification']);

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      async execute(input, next) {
        if (NOT_RUNS.has(workflowInfo().workflowType)) return next(input);
        try {
          const result = await next(input);
          ovhflowMetrics.runFinished(kindOfRun(), 'completed');
          const failed = (result as { failed?: unknown } | undefined)?.failed;
          if (workflowInfo().workflowType === 'nightlyDumps' && Array.isArray(failed)) ovhflowMetrics.nightlyFinished(failed.length);
          return result;
        } catch (error) {
          // Continuing as new is the same run going on, not an end.
          if (!(error instanceof ContinueAsNew)) ovhflowMetrics.runFinished(kindOfRun(), outcomeOf(error));
          throw error;
        }
      },
    },
  ],
});
