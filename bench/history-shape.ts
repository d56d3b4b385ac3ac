// The shape of one provisioning's history, which the machine's load does not change: events by type, search-attribute
// upserts (and which keys), patch and local-activity markers, activity attempts, encoded bytes, and the OVH calls of a
// worker's first provisioning (caches cold). What the Temporal server does per run follows from it, so comparing
// shapes across commits tells what a feature added even when wall and CPU figures are noisy (issue 22).
//
//   npx tsx bench/history-shape.ts [--timeline]
//
// Self-contained on purpose (harness functions that exist since the first benchmarks): copy it into a checkout of an
// older commit (`git archive <commit> | tar -x -C /tmp/x`, node_modules symlinked) and run it there to compare.
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import proto from '@temporalio/proto';
import { bundleWorkflows, siteInput, startBenchStack, startInProcessWorker } from './harness.js';

const { temporal } = proto;
const { values: args } = parseArgs({ options: { timeline: { type: 'boolean', default: false } } });

const stack = await startBenchStack({ name: 'bench-history-shape', sim: { taskDurationMs: { default: 0 }, rateLimit: null } });
try {
  const [serviceName] = await stack.createServices(1, 'PRO');
  const { stop } = await startInProcessWorker(stack, { bundlePath: await bundleWorkflows(stack.workDir) });
  const ref = await stack.runs.start('provision', siteInput(serviceName as string, `shape-${randomUUID().slice(0, 6)}.example.org`));
  await stack.client.workflow.getHandle(ref.workflowId).result();
  const calls = (await stack.requests()).filter((r) => r.path !== '/auth/time' && !r.path.startsWith('/_sim')).length;
  const history = await stack.client.workflow.getHandle(ref.workflowId).fetchHistory();
  await stop();

  const events = history.events ?? [];
  const byType: Record<string, number> = {};
  const markers: Record<string, number> = {};
  const upserts: string[] = [];
  let attempts = 0;
  const at0 = millis(events[0]);
  for (const event of events) {
    const type = (temporal.api.enums.v1.EventType[event.eventType as number] ?? String(event.eventType)).replace('EVENT_TYPE_', '');
    byType[type] = (byType[type] ?? 0) + 1;
    const marker = event.markerRecordedEventAttributes?.markerName;
    if (marker) markers[marker] = (markers[marker] ?? 0) + 1;
    const upsert = event.upsertWorkflowSearchAttributesEventAttributes;
    if (upsert) upserts.push(Object.keys(upsert.searchAttributes?.indexedFields ?? {}).sort().join('+'));
    attempts += event.activityTaskStartedEventAttributes?.attempt ?? 0;
    if (args.timeline) {
      const what = event.activityTaskScheduledEventAttributes?.activityType?.name ?? marker ?? upserts.at(-1) ?? '';
      console.log(`${String(millis(event) - at0).padStart(6)} ms  #${String(event.eventId)} ${type} ${upsert || marker || event.activityTaskScheduledEventAttributes ? what : ''}`);
    }
  }
  const bytes = temporal.api.history.v1.History.encode(history).finish().length;
  console.log(JSON.stringify({ events: events.length, bytes, activityAttempts: attempts, ovhCallsFirstProvisioning: calls, byType, markers, upserts }));
} finally {
  await stack.close();
}

function millis(event: { eventTime?: { seconds?: unknown; nanos?: number | null } | null } | undefined): number {
  return Number(event?.eventTime?.seconds ?? 0) * 1000 + Math.round((event?.eventTime?.nanos ?? 0) / 1e6);
}
