// A workflow that exists only for tests: RunControl's lifecycle over three steps whose stub activities each test
// steers (run-control.test.ts), so retry, corrections, skip, abort, cancel, compensation and holds are proved in
// seconds, with no OVH behind them. Bundled by that test file alone; never part of the product's bundle.
import { defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type { DecisionAck } from '../../src/shared/runs.js';
import { RunControl } from '../../src/workflows/run-control.js';

export interface StubActivities {
  /** Makes what the step makes, with the run's current settings; the test decides whether it refuses. */
  perform(step: string, settings: Record<string, string>): Promise<string>;
  undo(step: string): Promise<'undone' | 'absent'>;
  /** Waits on the outside world (as the DNS step waits for a domain to point) until the test says it is ready. */
  waitOutside(step: string): Promise<string>;
}

// One attempt: a refusal goes straight to the operator, as a permanent OVH refusal does.
const { perform, undo } = proxyActivities<StubActivities>({ startToCloseTimeout: '10 seconds', retry: { maximumAttempts: 1 } });
// Heartbeats carry the cancel of a wait an operator decided on.
const { waitOutside } = proxyActivities<StubActivities>({ startToCloseTimeout: '20 seconds', heartbeatTimeout: '1 second', retry: { maximumAttempts: 1 } });

export const LIFECYCLE_STEPS = [
  { name: 'create-a', title: 'Create A' },
  { name: 'create-b', title: 'Create B' },
  { name: 'go-ahead', title: 'Wait for the go-ahead' },
  { name: 'create-c', title: 'Create C' },
] as const;

/** The go-ahead a held run waits for (as a restore waits for `confirm`). */
export const goAheadUpdate = defineUpdate<DecisionAck, []>('go-ahead');

export interface LifecycleInput {
  /** Hold at `go-ahead` until {@link goAheadUpdate}; otherwise that step is skipped as not applicable. */
  hold?: boolean;
  unskippable?: string[];
  /** This step waits on the outside world, showing needs-attention meanwhile, before it makes what it makes. */
  waitsOutside?: string;
}

export interface LifecycleResult {
  outcomes: Record<string, string>;
  settings: Record<string, string>;
  made: string[];
}

export async function runControlLifecycle(input: LifecycleInput): Promise<LifecycleResult> {
  const settings: Record<string, string> = { size: 'small' };
  const run = new RunControl('provision', LIFECYCLE_STEPS, {
    ...(input.unskippable ? { unskippable: input.unskippable } : {}),
    validateCorrections: (set) => {
      const bad = set.find((entry) => !/^size=[a-z]+$/.test(entry));
      return bad ? `cannot correct "${bad}": only size=<word>` : undefined;
    },
    applyCorrections: (set) => {
      for (const entry of set) settings.size = entry.slice('size='.length);
    },
  });
  let released = false;
  setHandler(
    goAheadUpdate,
    (): DecisionAck => {
      released = true;
      return { step: 'go-ahead', decision: 'confirm' };
    },
    {
      validator: () => {
        if (run.heldAt() !== 'go-ahead') throw new Error('nothing waits for a go-ahead');
      },
    },
  );

  const outcomes: Record<string, string> = {};
  const made: string[] = [];
  async function create(name: string): Promise<void> {
    const outcome = await run.step(name, async (step) => {
      if (input.waitsOutside === name) {
        await step.awaitOutside({ state: 'waiting-for-dns', attention: { failureType: 'StubWaitingOutside', message: `${name} waits on the outside world` } }, () => waitOutside(name));
      }
      run.willUndo(`undo ${name}`, () => undo(name));
      return perform(name, { ...settings });
    });
    outcomes[name] = outcome.outcome;
    if (outcome.outcome !== 'skipped') made.push(outcome.value);
  }

  return run.execute(async () => {
    await create('create-a');
    await create('create-b');
    if (input.hold) {
      await run.hold('go-ahead', { failureType: 'WaitingForGoAhead', message: 'waits for a go-ahead' }, () => released);
      outcomes['go-ahead'] = 'released';
    } else {
      run.skip('go-ahead', 'no go-ahead asked');
    }
    await create('create-c');
    return { outcomes, settings, made };
  });
}
