// `ovhflow doctor` and `GET /v1/doctor`: can this installation work? Temporal's checks (the server, the namespace,
// the search attributes, workers polling the task queue and their versions) run here; each OVH account's checks are
// asked of a worker (src/activities/doctor.ts), which holds the credentials. Every check has a verdict and, when it
// fails, what to do; the report is ok only when all pass.
import type { Client } from '@temporalio/client';
import proto from '@temporalio/proto';
import { askWorkerWith, WorkerAnswerError, type AskWorkerTarget } from '../cli/ask-worker.js';
import type { AccountNames } from '../shared/accounts.js';
import { DOCTOR_WORKFLOW_PREFIX, type DoctorCheck, type DoctorReport } from '../shared/doctor.js';
import { SEARCH_ATTRIBUTES } from '../shared/search-attributes.js';

const ASK_TIMEOUT_SECONDS = 30;

export function doctorReport(checks: DoctorCheck[]): DoctorReport {
  return { ok: checks.every((check) => check.ok), checks };
}

/** The check for a Temporal server that could not be reached at all. */
export function temporalUnreachable(address: string, message: string): DoctorCheck {
  return { name: 'Temporal reachable', ok: false, verdict: message, fix: `start it (\`npm start\` runs one) or set TEMPORAL_ADDRESS (now ${address})` };
}

async function pollersOf(client: Client, namespace: string, taskQueue: string, type: proto.temporal.api.enums.v1.TaskQueueType) {
  const answer = await client.workflowService.describeTaskQueue({ namespace, taskQueue: { name: taskQueue }, taskQueueType: type });
  return answer.pollers ?? [];
}

export async function runDoctor(client: Client, target: AskWorkerTarget, accounts: AccountNames, only?: string): Promise<DoctorReport> {
  const { namespace, taskQueue, address } = target.temporal;
  const checks: DoctorCheck[] = [{ name: 'Temporal reachable', ok: true, verdict: `${address} answers` }];
  try {
    await client.workflowService.describeNamespace({ namespace });
    checks.push({ name: 'namespace', ok: true, verdict: `${namespace} exists` });
  } catch (error) {
    checks.push({ name: 'namespace', ok: false, verdict: `${namespace}: ${(error as Error).message}`, fix: `create it (\`temporal operator namespace create ${namespace}\`) or set TEMPORAL_NAMESPACE` });
    return doctorReport(checks);
  }
  try {
    const { customAttributes } = await client.connection.operatorService.listSearchAttributes({ namespace });
    const present = new Set(Object.keys(customAttributes ?? {}));
    const missing = SEARCH_ATTRIBUTES.map((attribute) => attribute.name).filter((name) => !present.has(name));
    checks.push(
      missing.length === 0
        ? { name: 'search attributes', ok: true, verdict: `all ${SEARCH_ATTRIBUTES.length} registered` }
        : {
            name: 'search attributes',
            ok: false,
            verdict: `missing: ${missing.join(', ')}`,
            fix: `register them: ${missing.map((name) => `temporal operator search-attribute create --namespace ${namespace} --name ${name} --type Keyword`).join('; ')}`,
          },
    );
  } catch (error) {
    checks.push({ name: 'search attributes', ok: false, verdict: `cannot list them: ${(error as Error).message}`, fix: 'check that this client may use the operator service' });
  }

  const types = proto.temporal.api.enums.v1.TaskQueueType;
  const [workflowPollers, activityPollers] = await Promise.all([
    pollersOf(client, namespace, taskQueue, types.TASK_QUEUE_TYPE_WORKFLOW),
    pollersOf(client, namespace, taskQueue, types.TASK_QUEUE_TYPE_ACTIVITY),
  ]);
  const workers = new Map<string, string>();
  for (const poller of [...workflowPollers, ...activityPollers]) {
    workers.set(poller.identity ?? '?', poller.workerVersionCapabilities?.buildId || 'unversioned');
  }
  if (workflowPollers.length === 0 || activityPollers.length === 0) {
    checks.push({
      name: 'workers',
      ok: false,
      verdict: `no worker polls task queue "${taskQueue}" (${workflowPollers.length} workflow, ${activityPollers.length} activity pollers)`,
      fix: 'start one: `ovhflow worker` (or `npm start`), with the same TEMPORAL_TASK_QUEUE and OVHFLOW_ENCRYPTION_KEY',
    });
    return doctorReport(checks);
  }
  checks.push({ name: 'workers', ok: true, verdict: `${workers.size} polling "${taskQueue}": ${[...workers].map(([identity, version]) => `${identity} (${version})`).join(', ')}` });

  const names = only !== undefined ? [only] : accounts.names;
  for (const account of names) {
    try {
      const answer = await askWorkerWith<DoctorCheck[]>(client, target, {
        workflowType: 'doctorAccount',
        idPrefix: DOCTOR_WORKFLOW_PREFIX,
        args: [{ account }],
        timeoutSeconds: ASK_TIMEOUT_SECONDS,
        account,
      });
      checks.push(...answer);
    } catch (error) {
      if (!(error instanceof WorkerAnswerError)) throw error;
      checks.push({ name: `account ${account}`, ok: false, verdict: error.message, ...(error.hint ? { fix: error.hint } : {}) });
    }
  }
  return doctorReport(checks);
}
