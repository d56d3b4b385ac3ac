import { parseProvisionSiteInput, type ProvisionSiteInput } from '../../src/shared/inputs/index.js';
import type { RunService, RunView } from '../../src/runs/service.js';
import type { RunStatus } from '../../src/shared/runs.js';

/** A valid provisionSite input (defaults filled in), or the test fails loudly. */
export function provisionInput(raw: Record<string, unknown>): ProvisionSiteInput {
  const parsed = parseProvisionSiteInput(raw);
  if (!parsed.ok) throw new Error(`test input invalid: ${JSON.stringify(parsed.issues)}`);
  return parsed.value;
}

/** Waits until the run reaches one of `statuses` (e.g. needs-attention), with a deadline. */
export async function waitForStatus(runs: RunService, workflowId: string, statuses: RunStatus[], timeoutMs = 60_000): Promise<RunView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await runs.describeRun(workflowId);
    if (statuses.includes(view.status)) return view;
    if (view.status !== 'running' && view.status !== 'needs-attention') {
      throw new Error(`run ${workflowId} ended ${view.status} while waiting for ${statuses.join('/')}: ${JSON.stringify(view.failure ?? view.progress?.attention)}`);
    }
    if (Date.now() > deadline) throw new Error(`run ${workflowId} not ${statuses.join('/')} after ${timeoutMs} ms: ${JSON.stringify(view.progress)}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}
