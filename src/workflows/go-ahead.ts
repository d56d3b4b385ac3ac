// The explicit go-ahead a destructive run (a restore, an FTP/SSH user deletion) waits for at its `confirm` step:
// given with the input, or later through the `confirm` update, which is only accepted while the run waits for it.
import { setHandler, workflowInfo } from '@temporalio/workflow';
import { CONFIRMATION_REQUIRED, confirmUpdate } from '../shared/backups.js';
import type { DecisionAck } from '../shared/runs.js';
import type { RunControl } from './run-control.js';

export class GoAhead {
  private by?: 'input' | 'update';

  /** Registers the `confirm` update: call it before the workflow's first await. */
  constructor(private readonly run: RunControl) {
    setHandler(
      confirmUpdate,
      (): DecisionAck => {
        this.by = 'update';
        return { step: 'confirm', decision: 'confirm' };
      },
      {
        validator: () => {
          if (run.heldAt() !== 'confirm' || this.by) {
            throw new Error(`cannot confirm: run ${workflowInfo().workflowId} is not waiting for a confirmation (it is ${run.progress.status}${run.progress.currentStep ? ` at step ${run.progress.currentStep}` : ''})`);
          }
        },
      },
    );
  }

  /** The caller confirmed when starting the run (`--yes`, `confirmed: true`). */
  givenWithInput(): void {
    this.by ??= 'input';
  }

  /** Holds the run at its `confirm` step (needs-attention, saying what will happen) until the go-ahead, or an abort. */
  async wait(message: string): Promise<void> {
    const id = workflowInfo().workflowId;
    await this.run.hold(
      'confirm',
      { failureType: CONFIRMATION_REQUIRED, message, hint: `confirm with \`ovhflow confirm ${id}\`, or stop with \`ovhflow abort ${id}\`` },
      () => this.by !== undefined,
    );
    this.run.progress.steps.find((s) => s.name === 'confirm')!.note = this.by === 'input' ? 'confirmed when the run was started' : 'confirmed by an operator';
  }

  get confirmedBy(): 'input' | 'update' {
    return this.by ?? 'input';
  }
}
