import { randomUUID } from 'node:crypto';
import { bundleWorkflows, inBatches, siteInput, startBenchStack, startWorkerProcess } from './harness.js';
const stack = await startBenchStack({ name: 'wprof', sim: { taskDurationMs: { default: 0 }, rateLimit: null } });
try {
  const services = await stack.createServices(104, 'PRO');
  const bundlePath = await bundleWorkflows(stack.workDir);
  const w = startWorkerProcess(stack, { bundlePath, env: { NODE_OPTIONS: '--cpu-prof --cpu-prof-dir=/tmp/tb/wprof' } });
  await w.ready;
  await inBatches(services, 100, async (s, i) => { const ref = await stack.runs.startProvision(siteInput(s, `w-${i}-${randomUUID().slice(0, 4)}.example.org`)); await stack.client.workflow.getHandle(ref.workflowId).result(); });
  await w.stop();
} finally { await stack.close(); }
