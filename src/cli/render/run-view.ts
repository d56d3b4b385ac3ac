// How a run looks in a terminal: its steps, the OVH task each one waits on, elapsed times, and — when it needs an
// operator — what failed and what to do.
import type { RunView } from '../../runs/service.js';
import { describeCheck, hasEnded, stepOfPendingCheck } from '../../runs/progress-text.js';
import { FAILURE_TYPES } from '../../shared/failures.js';
import { CONFIRMATION_REQUIRED, type StepProgress } from '../../shared/runs.js';
import { asTyped } from '../invocation.js';

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

export { describeCheck, hasEnded, stepOfPendingCheck } from '../../runs/progress-text.js';

export function renderRun(view: RunView, now = Date.now()): string {
  const lines = [`${view.workflowId}  ${view.status.toUpperCase()}${view.startedAt ? `  (${elapsed(view.startedAt, view.closedAt, now)})` : ''}`];
  if (view.progressUnavailable) lines.push(`  steps unknown for now: ${view.progressUnavailable} (is a worker running?)`);
  if (view.progress?.plan?.length) lines.push('  plan:', ...view.progress.plan.map((line) => `    - ${line}`));
  const checking = stepOfPendingCheck(view);
  const ended = hasEnded(view);
  for (const step of view.progress?.steps ?? []) {
    let detail = step.note ?? '';
    if (step.state === 'waiting-for-ovh-task' || (step.state === 'running' && checking === step.name)) {
      const task = step.task?.id ? `OVH task ${step.task.id}` : 'OVH';
      detail = `waiting for ${task}${checking === step.name && view.pending ? ` — ${describeCheck(view.pending)}` : ''}`;
    }
    const state = ended && step.state === 'pending' ? 'will not run' : step.state;
    lines.push(`  ${ICON[step.state]} ${step.title.padEnd(24)} ${state.padEnd(20)} ${elapsed(step.startedAt, step.endedAt, now).padStart(6)}  ${detail}`.trimEnd());
  }
  const attention = view.progress?.attention;
  if (view.status === 'needs-attention' && attention) {
    const waitingForDns = attention.failureType === FAILURE_TYPES.waitingForDns;
    lines.push('', `  ${waitingForDns ? 'WAITING FOR DNS' : 'NEEDS ATTENTION'} at step ${attention.step} (${attention.failureType})`, `    ${attention.message.replace(/\n/g, '\n      ')}`);
    if (attention.ovhMessage) lines.push(`    OVH said: ${attention.ovhMessage}${attention.queryId ? ` (query id ${attention.queryId})` : ''}`);
    if (attention.hint) lines.push(`    what to check: ${attention.hint}`);
    // Only what the run takes now (a preflight cannot be skipped); a run of an older worker does not say: all three.
    const allowed = view.progress?.decisions ?? (attention.failureType === CONFIRMATION_REQUIRED ? ['confirm', 'abort'] : ['retry', 'skip', 'abort']);
    const how: Record<string, string> = {
      confirm: `ovhflow confirm ${view.workflowId}`,
      retry: `ovhflow retry ${view.workflowId}${waitingForDns ? ' (re-check now)' : ' [--set key=value]'}`,
      skip: `ovhflow skip ${view.workflowId}`,
      abort: `ovhflow abort ${view.workflowId}`,
    };
    lines.push(`    then: ${allowed.map((decision) => how[decision]).join('  |  ')}`);
  }
  if (view.failure) lines.push('', `  ${view.status === 'aborted' || view.status === 'cancelled' ? view.status : 'failed'}: ${view.failure.message}`);
  return asTyped(lines.join('\n'));
}

export { runJson } from '../../runs/run-json.js';
