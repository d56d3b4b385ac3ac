// fleetRead: what `ovhflow plan` and `ovhflow fleet export` ask of the worker, for one OVH account. One activity per
// hosting service, a few services at a time (the OVH client's rate limiter paces the calls inside); a service that
// cannot be read is reported, not fatal, so a plan of fifty services says which one failed and shows the rest.
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { FLEET_SERVICE_CONCURRENCY, type FleetReadRequest, type FleetReadResult } from '../shared/fleet.js';
import { HEARTBEAT_TIMEOUT } from './activity-options.js';

const { planFleetService, exportFleetService, listFleetServices } = proxyActivities<Activities>({
  // A service with hundreds of sites at OVH's rate limit takes a while; the heartbeat notices a dead worker.
  startToCloseTimeout: '15 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '10 seconds', maximumAttempts: 4 },
});

function failureMessage(error: unknown): string {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure || cause instanceof Error) return cause.message;
  return String(cause);
}

/** `work` over `items`, at most `limit` at a time (deterministic: lanes take items in order). */
async function inLanes<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

export async function fleetRead(request: FleetReadRequest): Promise<FleetReadResult> {
  const result: FleetReadResult = { op: request.op, plans: [], exports: [], failures: [], reads: 0 };
  if (request.op === 'plan') {
    await inLanes(request.services, FLEET_SERVICE_CONCURRENCY, async (service) => {
      try {
        result.plans.push(await planFleetService(service));
      } catch (error) {
        result.failures.push({ serviceName: service.serviceName, message: failureMessage(error) });
      }
    });
    return result;
  }
  let serviceNames = request.serviceNames;
  if (serviceNames === undefined) {
    try {
      const listed = await listFleetServices();
      serviceNames = listed.serviceNames;
      result.reads += listed.reads;
    } catch (error) {
      result.failures.push({ message: `cannot list the hosting services: ${failureMessage(error)}` });
      return result;
    }
  }
  await inLanes(serviceNames, FLEET_SERVICE_CONCURRENCY, async (serviceName) => {
    try {
      result.exports.push(await exportFleetService(serviceName));
    } catch (error) {
      result.failures.push({ serviceName, message: failureMessage(error) });
    }
  });
  return result;
}
