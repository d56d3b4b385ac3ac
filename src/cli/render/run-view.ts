// How a run looks in a terminal: its steps, the OVH task each one waits on, elapsed times, and — when it needs an
// operator — what failed and what to do.
import type { RunView } from '../../runs/service.js';
import { FAILURE_TYPES } from '../../shared/failures.js';
import { CONFIRMATION_REQUIRED, type StepProgress } from '../../shared/runs.js';

const ICON: Record<StepProgress['state'], string> = {
  pending: '·',
  running: '▶',
  'waiting-for-ovh-task': '⏳',
  'waiting-for-dns': '⏳',
  done: '✔',
  adopted: '✔',
  skipped: '↷',
  failed: '✖',
  'needs-attention': '!',
};

function elapsed(from?: string, to?: string, now = Date.now()): string {
  if (!from) return '';
  const ms = (to ? Date.parse(to) : now) - Date.parse(from);
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export function renderRun(view: RunView, now = Date.now()): string {
  const lines = [`${view.workflowId}  ${view.status.toUpperCase()}${view.startedAt ? `  (${elapsed(view.startedAt, view.closedAt, now)})` : ''}`];
  if (view.progress?.plan?.length) lines.push('  plan:', ...view.progress.plan.map((line) => `    - ${line}`));
  for (const step of view.progress?.steps ?? []) {
    let detail = step.note ?? '';
    if (step.state === 'waiting-for-ovh-task' || (step.state === 'running' && view.pending)) {
      const task = step.task?.id ? `OVH task ${step.task.id}` : 'OVH';
      const last = view.pending?.lastFailure ? ` — ${view.pending.lastFailure}` : '';
      detail = `waiting for ${task}${last}${view.pending ? ` (check ${view.pending.attempt})` : ''}`;
    }
    const state = step.state === 'adopted' ? 'adopted' : step.state;
    lines.push(`  ${ICON[step.state]} ${step.title.padEnd(24)} ${state.padEnd(20)} ${elapsed(step.startedAt, step.endedAt, now).padStart(6)}  ${detail}`.trimEnd());
  }
  const attention = view.progress?.attention;
  if (view.status === 'needs-attention' && attention) {
    const waitingForDns = attention.failureType === FAILURE_TYPES.waitingForDns;
    lines.push('', `  ${waitingForDns ? 'WAITING FOR DNS' : 'NEEDS ATTENTION'} at step ${attention.step} (${attention.failureType})`, `    ${attention.message.replace(/\n/g, '\n      ')}`);
    if (attention.ovhMessage) lines.push(`    OVH said: ${attention.ovhMessage}${attention.queryId ? ` (query id ${attention.queryId})` : ''}`);
    if (attention.hint) lines.push(`    what to check: ${attention.hint}`);
    lines.push(
      attention.failureType === CONFIRMATION_REQUIRED
        ? `    then: ovhflow confirm ${view.workflowId}  |  ovhflow abort ${view.workflowId}`
        : waitingForDns
          ? `    then: ovhflow retry ${view.workflowId} (re-check now)  |  ovhflow skip ${view.workflowId}  |  ovhflow abort ${view.workflowId}`
          : `    then: ovhflow retry ${view.workflowId} [--set key=value]  |  ovhflow skip ${view.workflowId}  |  ovhflow abort ${view.workflowId}`,
    );
  }
  if (view.failure) lines.push('', `  ${view.status === 'aborted' || view.status === 'cancelled' ? view.status : 'failed'}: ${view.failure.message}`);
  return lines.join('\n');
}

export { runJson } from '../../runs/run-json.js';
