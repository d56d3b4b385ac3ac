// fleetDrift: what a drift schedule runs — the plan of a fleet file, as `ovhflow plan` makes it, kept as the run's
// result (the drift report) so "someone turned the CDN off on 3 sites" is seen the next morning. Each account is read
// by a `fleetRead` child acting for it (reads only: nothing here or there writes to OVH). A report with something in
// it raises `fleet.drift` (webhooks). Not an operator's run: nothing to decide, nothing to undo, no RunControl.
//
// The run itself acts for no account (its schedule sets none): its children take theirs from their own search
// attribute, which a parent's account header would override.
import { ActivityFailure, ApplicationFailure, ChildWorkflowFailure, executeChild, workflowInfo } from '@temporalio/workflow';
import { FLEET_READ_WORKFLOW_PREFIX } from '../shared/fleet.js';
import { driftHeadline, driftReportOf, hasDrift, type DriftReport, type FleetDriftInput } from '../shared/fleet-drift.js';
import { planFleet, type AskFleetRead } from '../shared/fleet-plan.js';
import { ACCOUNT } from '../shared/search-attributes.js';
import { fleetRead } from './fleet-read.js';
import { Notifier } from './notify.js';

/** A big account at OVH's rate limit reads for a while; a stuck read must still end the check. */
const ACCOUNT_READ_TIMEOUT = '2 hours';

function causeOf(error: unknown): string {
  let cause: unknown = error;
  while (cause instanceof ChildWorkflowFailure || cause instanceof ActivityFailure) cause = cause.cause;
  return cause instanceof Error ? cause.message : String(cause);
}

export async function fleetDrift(input: FleetDriftInput): Promise<DriftReport> {
  const { runId } = workflowInfo();
  const ask: AskFleetRead = async (account, request) => {
    try {
      return await executeChild(fleetRead, {
        // The run id, not the workflow id: a replayed history under another workflow id starts the same children.
        workflowId: `${FLEET_READ_WORKFLOW_PREFIX}drift/${runId}/${account}`,
        args: [request],
        typedSearchAttributes: [{ key: ACCOUNT, value: account }],
        workflowExecutionTimeout: ACCOUNT_READ_TIMEOUT,
      });
    } catch (error) {
      // planFleet reports an account it could not read, with this message, and goes on with the others.
      throw ApplicationFailure.create({ message: causeOf(error), nonRetryable: true });
    }
  };
  const plan = await planFleet(input.file, {}, ask);
  const report = driftReportOf(plan, input.file, new Date().toISOString(), input.source);
  if (hasDrift(report.summary)) {
    const notifier = new Notifier(() => 'fleet-drift');
    const accounts = Object.keys(input.file.accounts);
    notifier.notify('fleet.drift', {
      message: `drift from the fleet file${input.source ? ` ${input.source}` : ''}: ${driftHeadline(report)}`,
      hint: 'see what differs with `ovhflow drift report` (or the console\'s fleet page); `ovhflow plan FILE` shows it again now',
      ...(accounts.length === 1 ? { account: accounts[0] } : {}),
      details: {
        summary: report.summary,
        sites: report.sites.map((site) => ({ account: site.account, serviceName: site.serviceName, domain: site.domain, action: site.action })),
        failures: report.failures.length,
      },
    });
    await notifier.allStarted();
  }
  return report;
}
