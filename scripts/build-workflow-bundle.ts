// `npm run build` step: bundles the workflows once, so production workers load a pre-built bundle instead of
// running webpack at start (and every worker runs exactly the same workflow code).
import { writeFileSync } from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { failureConverterPath } from '../src/codec/encryption-codec.js';
import { DEFAULT_WORKFLOW_BUNDLE, workflowsSourcePath, workflowInterceptorModules } from '../src/worker.js';

const noop = () => undefined;
const { code } = await bundleWorkflowCode({
  workflowsPath: workflowsSourcePath(),
  workflowInterceptorModules: workflowInterceptorModules(),
  failureConverterPath: failureConverterPath(),
  logger: { trace: noop, debug: noop, info: noop, log: noop, warn: console.warn, error: console.error },
});
writeFileSync(DEFAULT_WORKFLOW_BUNDLE, code);
console.log(`ovhflow: workflow bundle written to ${DEFAULT_WORKFLOW_BUNDLE} (${(code.length / 1024).toFixed(0)} KiB)`);
