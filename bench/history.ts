// History size: events in the Temporal history of a provisioning and of a backup, for OVH tasks of several durations.
// Waiting is one check per activity attempt (the retry policy polls), so a longer task means more checks but not
// more events. Goal: at most 100 events, the same for every duration.
//
//   npm run bench:history -- [--durations 0,2,10,30]
//
// Every OVH task of a run takes the given time (seconds). The runs poll every second (the shortest retry interval
// Temporal honours), so a 30 s task is checked about 30 times. The backup dumps the database the provisioning made.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { createRunService } from '../src/runs/service.js';
import { bundleWorkflows, historyShape, machine, siteInput, startBenchStack, startInProcessWorker, temporalVersion } from './harness.js';

const { values: args } = parseArgs({ options: { durations: { type: 'string', default: '0,2,10,30' } } });
const DURATIONS = (args.durations ?? '').split(',').map(Number);
const GOAL = 100;

async function main(): Promise<void> {
  const stack = await startBenchStack({ name: 'bench-history', sim: { taskDurationMs: { default: 0 }, rateLimit: null } });
  const rows: Array<{ seconds: number; provisionEvents: number; provisionAttempts: number; backupEvents: number; backupAttempts: number; taskChecks: number }> = [];
  try {
    const services = await stack.createServices(DURATIONS.length, 'PRO');
    const { stop } = await startInProcessWorker(stack, { bundlePath: await bundleWorkflows(stack.workDir) });
    const runs = createRunService({
      client: stack.client,
      taskQueue: stack.taskQueue,
      settings: { poll: { initialIntervalSeconds: 1, backoffCoefficient: 1, maximumIntervalSeconds: 1 } },
    });
    try {
      for (const [i, seconds] of DURATIONS.entries()) {
        const serviceName = services[i] as string;
        await stack.admin('PUT', '/config', { taskDurationMs: { default: seconds * 1000 } });
        const provision = await runs.start('provision', siteInput(serviceName, `hist-${randomUUID().slice(0, 6)}.example.org`));
        const result = (await stack.client.workflow.getHandle(provision.workflowId).result()) as { database?: { name: string } };
        const databaseName = result.database?.name;
        if (!databaseName) throw new Error('the provisioning made no database');
        const backup = await runs.start('backup', { serviceName, databaseName, sendEmail: false }, { requestId: randomUUID() });
        await stack.client.workflow.getHandle(backup.workflowId).result();
        const p = await historyShape(stack, provision.workflowId);
        const b = await historyShape(stack, backup.workflowId);
        const taskChecks = (await stack.requests()).filter((r) => r.path.startsWith(`/hosting/web/${serviceName}/tasks/`)).length;
        rows.push({ seconds, provisionEvents: p.events, provisionAttempts: p.activityAttempts, backupEvents: b.events, backupAttempts: b.activityAttempts, taskChecks });
        console.log(
          `tasks of ${seconds} s: provisioning ${p.events} events (${p.activityAttempts} activity attempts), backup ${b.events} events ` +
            `(${b.activityAttempts} attempts); ${taskChecks} task checks at OVH`,
        );
      }
    } finally {
      await stop();
    }
  } finally {
    await stack.close();
  }
  const provisionSizes = new Set(rows.map((r) => r.provisionEvents));
  const backupSizes = new Set(rows.map((r) => r.backupEvents));
  const ok = rows.every((r) => r.provisionEvents <= GOAL && r.backupEvents <= GOAL) && provisionSizes.size === 1 && backupSizes.size === 1;
  console.log(JSON.stringify({ rows, independentOfDuration: provisionSizes.size === 1 && backupSizes.size === 1, ok, machine: machine(), temporal: temporalVersion(stack) }));
  if (!ok) process.exitCode = 1;
}

await main();
