// A bad input is a clear error and zero OVH writes — whether it comes through the CLI or straight to Temporal.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { BAD_PROVISION_INPUTS } from '../fixtures/bad-provision-inputs.js';
import { outcomeOf, startTestStack, writesTo, type TestStack } from '../support/stack.js';
import { uniqueWorkflowId } from '../support/temporal.js';

describe('bad provisioning inputs', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack('provision-bad-inputs');
    await stack.startWorker();
  });
  afterAll(async () => {
    await stack?.close();
  });

  it(`each of ${BAD_PROVISION_INPUTS.length} bad inputs started straight on Temporal fails with a message naming its field, and nothing reaches OVH`, async () => {
    expect(BAD_PROVISION_INPUTS.length).toBeGreaterThanOrEqual(30);
    const started = await Promise.all(
      BAD_PROVISION_INPUTS.map(async (bad) => {
        const workflowId = uniqueWorkflowId('bad-input');
        await stack.t.client.workflow.start('provisionSite', { workflowId, taskQueue: stack.taskQueue, args: [bad.input] });
        return { bad, workflowId };
      }),
    );
    for (const { bad, workflowId } of started) {
      const view = await outcomeOf(stack.runs, workflowId);
      expect(view.status, bad.name).toBe('failed');
      expect(view.failure?.type, bad.name).toBe('OvhflowInvalidInput');
      expect(view.failure?.message, bad.name).toContain(`${bad.field}`);
    }
    const apiCalls = (await stack.sim.requests()).filter((r) => r.path.startsWith('/hosting/web'));
    expect(apiCalls).toEqual([]);
  }, 120_000);

  it('the CLI refuses bad input with exit code 2 before starting anything', async () => {
    const before = await stack.t.client.workflow.count(`TaskQueue = '${stack.taskQueue}'`).catch(() => undefined);
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (stderr.push(String(chunk)), true));
    const env = { ...process.env };
    process.env.TEMPORAL_ADDRESS = stack.t.address;
    process.env.TEMPORAL_TASK_QUEUE = stack.taskQueue;
    try {
      expect(await main(['node', 'ovhflow', 'provision', '--service', 'demo-agency.ovh', '--domain', 'shop..example.com'])).toBe(2);
      expect(await main(['node', 'ovhflow', 'provision', '--service', 'demo-agency.ovh', '--domain', 'ok.example.com', '--path', '../etc'])).toBe(2);
      expect(await main(['node', 'ovhflow', 'provision', '--service', 'demo-agency.ovh', '--domain', 'ok.example.com', '--db-capability', 'sqlPersonal'])).toBe(2);
      expect(await main(['node', 'ovhflow', 'provision', '--domain', 'ok.example.com'])).toBe(2);
    } finally {
      process.stderr.write = write;
      process.env = env;
      process.exitCode = undefined;
    }
    const text = stderr.join('');
    expect(text).toMatch(/domain: .*empty label/);
    expect(text).toMatch(/path: /);
    expect(text).toMatch(/did you mean "sqlPerso"/);
    expect(text).toMatch(/--service/);
    expect(await writesTo(stack.sim, 'demo-agency.ovh')).toEqual([]);
    if (before !== undefined) expect((await stack.t.client.workflow.count(`TaskQueue = '${stack.taskQueue}'`)).count).toBe(before.count);
  });
});
