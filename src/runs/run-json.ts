// A run as the CLI's --json, the HTTP API and the console's script read it: one object, the same from every trigger.
import type { RunView } from './service.js';

/** The run as one JSON object: the CLI contract's `workflowId`, `runId`, `status`, and `result` when finished. */
export function runJson(view: RunView): Record<string, unknown> {
  return {
    workflowId: view.workflowId,
    runId: view.runId,
    type: view.type,
    status: view.status,
    ...(view.account ? { account: view.account } : {}),
    ...(view.progress ? { steps: view.progress.steps, currentStep: view.progress.currentStep } : {}),
    ...(view.progress?.plan ? { plan: view.progress.plan } : {}),
    ...(view.progress?.attention ? { attention: view.progress.attention } : {}),
    ...(view.progress?.decisions ? { decisions: view.progress.decisions } : {}),
    ...(view.pending ? { pending: view.pending } : {}),
    ...(view.progressUnavailable ? { progressUnavailable: view.progressUnavailable } : {}),
    ...(view.result !== undefined ? { result: view.result } : {}),
    ...(view.failure ? { failure: view.failure } : {}),
    ...(view.startedAt ? { startedAt: view.startedAt } : {}),
    ...(view.closedAt ? { closedAt: view.closedAt } : {}),
  };
}
