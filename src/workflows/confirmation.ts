// The explicit go-ahead destructive runs wait for (restore, decommission, a certificate replacement): the `confirm`
// update, accepted only while the run holds at its `confirm` step, or the caller's confirmation at start (--yes).
import { setHandler, workflowInfo } from '@temporalio/workflow';
import { CONFIRMATION_REQUIRED, confirmUpdate, type DecisionAck } from '../shared/runs.js';
import type { RunControl } from './run-control.js';

export class Confirmation {
  private by?: 'input' | 'update';

  /** Registers the update handler: call it before the workflow's first await. */
  constructor(
    private readonly run: RunControl,
    confirmedAtStart: boolean,
  ) {
    if (confirmedAtStart) this.by = 'input';
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

  /** The caller's confirmation, known only once the input was parsed (a run started outside ovhflow's starters). */
  confirmAtStart(): void {
    this.by ??= 'input';
  }

  get confirmedBy(): 'input' | 'update' | undefined {
    return this.by;
  }

  /** Holds the run at step `confirm` (needs-attention, nothing failed) until confirmed, or throws when aborted. */
  async wait(message: string, hint: string): Promise<'input' | 'update'> {
    await this.run.hold('confirm', { failureType: CONFIRMATION_REQUIRED, message, hint }, () => this.by !== undefined);
    const step = this.run.progress.steps.find((s) => s.name === 'confirm');
    if (step) step.note = this.by === 'input' ? 'confirmed when the run was started (--yes)' : 'confirmed by an operator';
    return this.by ?? 'input';
  }
}
