import { EXIT } from './exit-codes.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import type { RunView } from '../runs/service.js';
import { liveDisplay } from './render/live.js';
import { renderRun, runJson } from './render/run-view.js';
import { maskSecrets } from './render/secrets.js';
import type { RunRef, RunService } from '../runs/service.js';
import { asTyped } from './invocation.js';

export interface OutputOptions {
  json?: boolean;
  showSecrets?: boolean;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Exit code of a run's state, per the CLI contract. A run that refused what it was asked changed nothing: like bad input. */
export function exitCodeOf(view: RunView): number {
  if (view.status === 'failed' && view.failure?.type === FAILURE_TYPES.refused) return EXIT.usage;
  return view.status === 'completed' || view.status === 'running' ? EXIT.ok : EXIT.runFailed;
}

/** Follows a run until it completes, fails or needs attention, showing its steps live (unless --json). */
/**
 * Follows a run to its outcome. `throughDnsWait` (`status --watch`): a run waiting for DNS re-checks by itself, so
 * watching goes on until it completes or a person is needed; a start's `--wait` returns there, listing the records.
 */
export async function followRun(runs: RunService, workflowId: string, options: OutputOptions, throughDnsWait = false): Promise<number> {
  const display = options.json ? undefined : liveDisplay();
  let latest: RunView | undefined;
  // Elapsed times tick only on a terminal, where the view is redrawn in place: piped output (logs, CI, scripts) gets one
  // view per real change, not the whole view again every second.
  const ticker = display && process.stdout.isTTY ? setInterval(() => latest && display.update(renderRun(maskSecrets(latest, false))), 1000) : undefined;
  try {
    latest = await runs.waitForOutcome(
      workflowId,
      (view) => {
        latest = view;
        display?.update(renderRun(maskSecrets(view, false)));
      },
      1000,
      throughDnsWait,
    );
  } finally {
    if (ticker) clearInterval(ticker);
  }
  if (options.json) printJson(maskSecrets(runJson(latest), options.showSecrets ?? false));
  else {
    display?.done(renderRun(maskSecrets(latest, false)));
    if (latest.result !== undefined) {
      process.stdout.write(`\nresult:\n${JSON.stringify(maskSecrets(latest.result, options.showSecrets ?? false), null, 2)}\n`);
      if (!options.showSecrets && JSON.stringify(latest.result).includes('assword')) {
        process.stdout.write('(passwords hidden: add --show-secrets to print them)\n');
      }
    }
  }
  return exitCodeOf(latest);
}

/**
 * Without --wait: the run just started, or — when the same business run was already there — that run as it stands
 * (it may need attention, or have completed), like `status` shows it. The HTTP API answers a second trigger the same way.
 */
export async function reportStarted(runs: RunService, ref: RunRef, options: OutputOptions, whileWaiting?: () => void): Promise<void> {
  const found = ref.existing ? await runs.describeRun(ref.workflowId) : undefined;
  if (options.json) {
    printJson(found ? { ...maskSecrets(runJson(found), options.showSecrets ?? false), existing: true } : { workflowId: ref.workflowId, runId: ref.runId, status: 'running', existing: false });
    return;
  }
  process.stdout.write(`${found ? `exists already (${found.status})` : 'started'}: ${ref.workflowId}\n`);
  if (!found || found.status === 'running' || found.status === 'needs-attention') whileWaiting?.();
  process.stdout.write(asTyped(`follow it with: ovhflow status ${ref.workflowId}${found && found.status !== 'running' ? '' : ' --watch'}\n`));
}
