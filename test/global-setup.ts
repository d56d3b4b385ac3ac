// One Temporal dev server for the whole suite, started from the project's own Temporal CLI, plus one workflow
// bundle shared by every test file. Both are handed to the tests through vitest's provide/inject.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { failureConverterPath } from '../src/codec/encryption-codec.js';
import { startDevServer } from '../src/temporal/dev-server.js';
import { workflowsSourcePath, workflowInterceptorModules } from '../src/worker.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    temporalNamespace: string;
    workflowBundlePath: string;
    workDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const workDir = mkdtempSync(join(tmpdir(), 'ovhflow-test-'));
  const started = Date.now();
  const server = await startDevServer({
    uiPort: null,
    logFile: join(workDir, 'temporal.log'),
    log: (line) => console.log(`[global-setup] ${line}`),
  });
  console.log(
    `[global-setup] temporal dev server ready at ${server.address} in ${Date.now() - started} ms ` +
      `(temporal ${server.cli.version} from ${server.cli.source}: ${server.cli.path})`,
  );

  const bundleStarted = Date.now();
  const { code } = await bundleWorkflowCode({
    workflowsPath: workflowsSourcePath(),
    workflowInterceptorModules: workflowInterceptorModules(),
    failureConverterPath: failureConverterPath(),
    logger: quietBundlerLogger,
  });
  const workflowBundlePath = join(workDir, 'workflow-bundle.js');
  writeFileSync(workflowBundlePath, code);
  console.log(`[global-setup] workflow bundle built in ${Date.now() - bundleStarted} ms`);

  project.provide('temporalAddress', server.address);
  project.provide('temporalNamespace', server.namespace);
  project.provide('workflowBundlePath', workflowBundlePath);
  project.provide('workDir', workDir);

  return async () => {
    await server.stop();
    rmSync(workDir, { recursive: true, force: true });
    console.log('[global-setup] temporal dev server stopped');
  };
}

const noop = () => undefined;
const quietBundlerLogger = { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop };
