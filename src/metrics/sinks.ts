// The worker side of the workflows' metrics sink (src/workflows/metrics-interceptor.ts).
import type { InjectedSinks } from '@temporalio/worker';
import { ACCOUNT } from '../shared/search-attributes.js';
import type { OvhflowMetricsSinks } from '../shared/metrics-sinks.js';
import { accountLabel, nightlyDumpFailures, nightlyRuns, runsFinished } from './registry.js';

/**
 * `accounts`: the worker's OVH accounts, whose nightly failure counters start at 0 — a counter that first appears at
 * 1 would show Prometheus no increase, and the nightly alert would miss the first failure after a restart.
 */
export function metricsSinks(accounts: readonly string[] = ['default']): InjectedSinks<OvhflowMetricsSinks> {
  for (const account of accounts) nightlyDumpFailures.inc({ account }, 0);
  return {
    ovhflowMetrics: {
      runFinished: {
        fn: (_info, kind, outcome) => runsFinished.inc({ kind, outcome }),
        callDuringReplay: false,
      },
      nightlyFinished: {
        fn: (info, failedDumps) => {
          const account = accountLabel(info.typedSearchAttributes.get(ACCOUNT) ?? undefined);
          nightlyRuns.inc({ account, result: failedDumps > 0 ? 'failures' : 'ok' });
          if (failedDumps > 0) nightlyDumpFailures.inc({ account }, failedDumps);
        },
        callDuringReplay: false,
      },
    },
  };
}
