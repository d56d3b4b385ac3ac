// A run's page: what it is, its steps as a timeline (state, attempts, times, the OVH task each waits on), why it
// stopped (OVH's message, the query id, the hint), the decisions it waits for, what an abort would undo, what an
// ended run undid, and its result with secrets masked unless the operator asks.
import { describeCheck, hasEnded } from '../../../runs/progress-text.js';
import { maskSecrets } from '../../../secrets/mask.js';
import type { RunView } from '../../../runs/service.js';
import { CONFIRMATION_REQUIRED } from '../../../shared/runs.js';
import { FAILURE_TYPES } from '../../../shared/failures.js';
import { DNS_MODES } from '../../../shared/dns.js';
import {
  DATABASE_CAPABILITIES,
  DATABASE_QUOTAS,
  DATABASE_TYPES,
  DATABASE_VERSIONS,
  KNOWN_MODULE_NAMES,
  MODULE_LANGUAGES,
  SETTABLE_KEYS,
  ATTACHED_DOMAIN_OPTION_KEYS,
  ATTACHED_DOMAIN_CDN_STATES,
  ATTACHED_DOMAIN_FIREWALL_STATES,
  HOSTING_COUNTRIES,
  type InputIssue,
} from '../../../shared/inputs/index.js';
import type { StepProgress } from '../../../shared/runs.js';
import { html, type Html } from '../html.js';
import { badge, csrfField, elapsed, field, formErrors, liveRegion, notice, page, runHref, when, type PageContext } from './layout.js';

/** The corrections a retry form offers: every `--set` key but the `module` shorthand, with the values OVH knows. */
export const CORRECTION_KEYS = SETTABLE_KEYS.filter((key) => key !== 'module');
const SUGGESTIONS: Partial<Record<(typeof CORRECTION_KEYS)[number], readonly (string | number)[]>> = {
  'database.type': DATABASE_TYPES,
  'database.capability': DATABASE_CAPABILITIES,
  'database.quota': DATABASE_QUOTAS,
  'database.version': DATABASE_VERSIONS,
  'module.name': KNOWN_MODULE_NAMES,
  'module.language': MODULE_LANGUAGES,
  'ssl.mode': ['letsencrypt', 'none'],
  dns: DNS_MODES,
  cdn: ATTACHED_DOMAIN_CDN_STATES,
  firewall: ATTACHED_DOMAIN_FIREWALL_STATES,
  ipLocation: HOSTING_COUNTRIES,
};

export type Decision = 'retry' | 'skip' | 'abort' | 'confirm';

/**
 * What the notice after a redirect says (`done=` in the URL: a fixed word, never text from the request). Looked up as
 * an own property only: `done=constructor` must not find Object.prototype's.
 */
const DONE: Record<string, string> = {
  retry: 'Retry accepted: the step runs again. This page follows the run.',
  skip: 'Skip accepted: the run goes on without that step.',
  abort: 'Abort accepted: the run stops and undoes what it created.',
  confirm: 'Go-ahead accepted: the run goes on.',
  started: 'Run started. This page follows it.',
  existing: 'This run already existed (same business key): here it is, not a second one.',
};

export interface RunPageState {
  view: RunView;
  /** A confirmation step before a destructive decision. */
  ask?: 'abort' | 'confirm';
  /** The decision just accepted (after the redirect). */
  done?: string;
  /** A retry form the shared parser refused: what was typed, and why. */
  retry?: { values: Record<string, string>; issues: InputIssue[] };
  /** Why the workflow refused a decision. */
  refusal?: string;
  /** Set only when the operator asked to see the result's secrets. */
  showSecrets?: boolean;
}

/** Whether the run's type takes `retry --set` corrections (provisioning's inputs are the settable ones). */
export function takesCorrections(view: RunView): boolean {
  return view.type === 'provision';
}

const ATTACH_KEYS = ['path', ...ATTACHED_DOMAIN_OPTION_KEYS] as const;
/**
 * The corrections that can change what a provisioning step does: a step that failed shows only its own (a refused
 * database offers the database's fields, not the module's). Preflight checks every input: all of them, folded.
 */
const STEP_CORRECTIONS: Record<string, readonly (typeof CORRECTION_KEYS)[number][]> = {
  attachDomain: [...ATTACH_KEYS, 'stepDeadlineMinutes'],
  dns: ['dns', 'dnsDeadlineMinutes'],
  createDatabase: ['database.type', 'database.capability', 'database.userSuffix', 'database.quota', 'database.version', 'stepDeadlineMinutes'],
  installModule: ['module.id', 'module.name', 'module.language', 'module.adminName', 'path', 'stepDeadlineMinutes'],
  ssl: ['ssl.mode', 'stepDeadlineMinutes'],
};

/** The correction fields worth showing for the step that failed; none when no input could fix it (no such service). */
export function correctionKeysFor(view: RunView): readonly (typeof CORRECTION_KEYS)[number][] {
  const attention = view.progress?.attention;
  if (!takesCorrections(view) || !attention) return [];
  if (attention.failureType === FAILURE_TYPES.notFound && attention.step === 'preflight') return [];
  return STEP_CORRECTIONS[attention.step] ?? CORRECTION_KEYS;
}

export function runPage(state: RunPageState, context: PageContext): string {
  const { view } = state;
  const body = html`
<p class="muted"><a href="/console">Needs attention</a> › <a href="/console/runs">Runs</a> › run</p>
<h1><code>${view.workflowId}</code></h1>
${state.done && Object.hasOwn(DONE, state.done) ? notice('ok', DONE[state.done] ?? '') : ''}
${state.refusal ? notice('error', html`Refused: ${state.refusal}. Nothing was changed.`) : ''}
${liveRegion('run-head', head(view, context))}
${liveRegion('run-attention', attention(view))}
${liveRegion('run-decisions', decisions(state, context), decisionsVersion(state))}
<h2>Steps</h2>
${liveRegion('run-steps', timeline(view))}
${state.showSecrets ? html`<section id="run-secrets" class="card"><h2>Result (secrets shown)</h2>${notice('warn', 'These are live credentials: do not copy them into tickets or chat.')}<pre>${JSON.stringify(view.result, null, 2)}</pre><a href="${runHref(view.workflowId)}">Hide secrets</a></section>` : liveRegion('run-result', result(view, context))}
`;
  return page(`${view.status} · ${view.workflowId}`, 'none', context, body);
}

function head(view: RunView, context: PageContext): Html {
  const pending = view.pending;
  return html`<div class="card"><dl class="facts">
<dt>Status</dt><dd>${badge(view.status)}${view.progress?.currentStep && view.status !== 'completed' ? html` at step <strong>${view.progress.currentStep}</strong>` : ''}</dd>
<dt>Type</dt><dd>${view.type}</dd>
<dt>Started</dt><dd>${when(view.startedAt)} <span class="muted">(${elapsed(view.startedAt, view.closedAt)}${view.closedAt ? '' : ' so far'})</span></dd>
${view.closedAt ? html`<dt>Ended</dt><dd>${when(view.closedAt)}</dd>` : ''}
${view.progressUnavailable ? html`<dt>Steps</dt><dd id="run-unanswered">${notice('warn', `Unknown for now: ${view.progressUnavailable}. Is a worker running?`)}</dd>` : ''}
${pending ? html`<dt>Waiting on OVH</dt><dd>${pending.activity}: <span class="muted">${describeCheck(pending)}</span>${pending.nextCheckAt ? html`; next check ${when(pending.nextCheckAt)}` : ''}</dd>` : ''}
<dt>Run id</dt><dd><code>${view.runId}</code>${context.temporalUi ? html` · <a href="${context.temporalUi}/namespaces/${encodeURIComponent(context.namespace)}/workflows/${encodeURIComponent(view.workflowId)}/${encodeURIComponent(view.runId)}/history">open in the Temporal UI</a>` : ''}</dd>
</dl></div>`;
}

function timeline(view: RunView): Html {
  const steps = view.progress?.steps ?? [];
  if (steps.length === 0) return html`<p class="muted">This run reports no steps.</p>`;
  const ended = hasEnded(view);
  return html`<ol class="timeline">${steps.map((step) => timelineStep(step, ended))}</ol>`;
}

function timelineStep(step: StepProgress, runEnded: boolean): Html {
  // The run has ended: a step that never started will not run, it is not waiting its turn.
  const willNotRun = runEnded && step.state === 'pending';
  return html`<li data-step="${step.name}" data-state="${willNotRun ? 'will-not-run' : step.state}"><span class="dot ${step.state}"></span>
<div><strong>${step.title}</strong><br><span class="muted"><code>${step.name}</code></span></div>
<div>${willNotRun ? html`<span class="badge skipped">will not run</span>` : badge(step.state)}<br><span class="muted">${step.attempts === 1 ? '1 attempt' : `${step.attempts} attempts`}</span></div>
<div>${step.startedAt ? html`${when(step.startedAt)}${step.endedAt ? html` → ${when(step.endedAt)}` : ''} <span class="muted">(${elapsed(step.startedAt, step.endedAt)})</span>` : html`<span class="muted">${willNotRun ? 'not started: the run has ended' : 'not started'}</span>`}
${step.task ? html`<br>OVH task <code>${step.task.id}</code>${step.task.function ? html` <code>${step.task.function}</code>` : ''}${step.task.status ? html` — ${step.task.status}` : ''}` : ''}
${step.note ? html`<br><span class="muted">${step.note}</span>` : ''}</div></li>`;
}

function attention(view: RunView): Html {
  const a = view.progress?.attention;
  const parts: Html[] = [];
  // A destructive run's plan (decommission): what it will remove, shown before the go-ahead.
  const plan = view.progress?.plan;
  if (plan?.length) parts.push(html`<div class="card" id="plan"><h2>Plan</h2><ul>${plan.map((line) => html`<li>${line}</li>`)}</ul></div>`);
  if (view.status === 'needs-attention' && a) {
    parts.push(html`<div class="card" id="attention"><h2>${a.failureType === CONFIRMATION_REQUIRED ? 'Waiting for a go-ahead' : 'What failed'}</h2><dl class="facts">
<dt>Step</dt><dd><code>${a.step}</code></dd>
<dt>Failure type</dt><dd><code>${a.failureType}</code></dd>
<dt>Message</dt><dd>${a.message}</dd>
${a.ovhMessage ? html`<dt>OVH said</dt><dd>${a.ovhMessage}</dd>` : ''}
${a.queryId ? html`<dt>OVH query id</dt><dd><code>${a.queryId}</code> <span class="muted">(quote it to OVH support)</span></dd>` : ''}
${a.hint ? html`<dt>What to check</dt><dd>${a.hint}</dd>` : ''}
<dt>Since</dt><dd>${when(a.since)} <span class="muted">(${elapsed(a.since, undefined)} ago)</span></dd>
</dl></div>`);
  }
  if (view.failure) {
    parts.push(html`<div class="card"><h2>${view.status === 'aborted' || view.status === 'cancelled' ? `Run ${view.status}` : 'Run failed'}</h2><p>${view.failure.type ? html`<code>${view.failure.type}</code>: ` : ''}${view.failure.message}</p></div>`);
  }
  const compensation = view.progress?.compensation;
  if (compensation) {
    parts.push(html`<div class="card" id="compensation"><h2>What the run undid</h2>
${compensation.undone.length > 0 ? html`<ol class="undone">${compensation.undone.map((what) => html`<li>${what}</li>`)}</ol>` : html`<p class="muted">Nothing needed undoing.</p>`}
${compensation.notUndone.length > 0 ? html`${notice('error', 'Some things could not be undone: clean them up by hand.')}<ul class="not-undone">${compensation.notUndone.map((item) => html`<li>${item.what} — ${item.reason}</li>`)}</ul>` : ''}
</div>`);
  }
  return html`${parts}`;
}

function decisionsVersion(state: RunPageState): string {
  const a = state.view.progress?.attention;
  const undo = state.ask === 'abort' ? JSON.stringify(state.view.progress?.undo ?? null) : '';
  return `${state.view.status}|${a?.step ?? ''}|${a?.since ?? ''}|${state.ask ?? ''}|${undo}`.replace(/[^A-Za-z0-9|:._-]/g, '');
}

function decisions(state: RunPageState, context: PageContext): Html {
  const { view } = state;
  const a = view.progress?.attention;
  if (view.status !== 'needs-attention' || !a) return html``;
  const action = runHref(view.workflowId);
  const abortLink = html`<a class="button danger" href="${runHref(view.workflowId, { ask: 'abort' })}">Abort…</a>`;

  if (state.ask === 'abort') {
    const undo = view.progress?.undo;
    return html`<div class="card" id="abort-preview"><h2>Abort this run?</h2>
<p>The run stops at step <code>${a.step}</code> and undoes, in this order, what it created and still owns (never what it adopted or what existed before):</p>
${undo === undefined
      ? notice('warn', 'The worker does not report what an abort would undo for this run; check the steps above.')
      : undo.length === 0
        ? html`<p id="undo-empty"><strong>Nothing would be undone</strong>: this run has created nothing it still owns.</p>`
        : html`<ol id="undo-list">${undo.map((item) => html`<li>${item}</li>`)}</ol>`}
<form method="post" action="${action}" class="actions">${csrfField(context)}<input type="hidden" name="decision" value="abort">
<button type="submit" class="danger">Abort and undo</button><a class="button secondary" href="${runHref(view.workflowId)}">Keep the run</a></form></div>`;
  }
  if (a.failureType === CONFIRMATION_REQUIRED) {
    if (state.ask === 'confirm') {
      return html`<div class="card" id="confirm-preview"><h2>Give the go-ahead?</h2><p>${a.message}</p><p>This is destructive and cannot be undone by ovhflow.</p>
<form method="post" action="${action}" class="actions">${csrfField(context)}<input type="hidden" name="decision" value="confirm">
<button type="submit" class="danger">Confirm</button><a class="button secondary" href="${runHref(view.workflowId)}">Not now</a></form></div>`;
    }
    return html`<div class="card"><h2>Decide</h2><p>The run waits for an explicit go-ahead before it changes anything.</p>
<div class="actions"><a class="button" href="${runHref(view.workflowId, { ask: 'confirm' })}">Confirm…</a>${abortLink}</div></div>`;
  }

  const values = state.retry?.values ?? {};
  const issues = state.retry?.issues ?? [];
  const keys = correctionKeysFor(view);
  const ownedFields = [...keys];
  // A refused correction keeps its fields open; preflight's many fields start folded.
  const open = issues.length > 0 || keys.length < CORRECTION_KEYS.length;
  const correction = (key: (typeof CORRECTION_KEYS)[number]) => {
    const choices = SUGGESTIONS[key];
    return choices
      ? field({ name: `set.${key}`, label: key, value: values[key] ?? '', issues, issueFields: [key], type: 'select', choices, emptyLabel: "(keep the run's value)" })
      : field({ name: `set.${key}`, label: key, value: values[key] ?? '', issues, issueFields: [key] });
  };
  return html`<div class="card" id="decide"><h2>Decide</h2>
<form method="post" action="${action}" id="retry-form">${csrfField(context)}<input type="hidden" name="decision" value="retry">
${formErrors(issues, ownedFields)}
${keys.length > 0
    ? html`<details id="corrections"${open ? html` open` : ''}><summary>Corrections for step ${a.step} (optional)</summary><p class="muted">The <code>--set</code> keys of <code>ovhflow retry</code>, checked by the same rules before anything is sent. Leave a field empty to keep the run's value.</p>
<div class="form">${keys.map(correction)}</div></details>`
    : ''}
<button type="submit">Retry step ${a.step}</button></form>
<div class="actions">
${(view.progress?.decisions ?? ['skip']).includes('skip') ? html`<form method="post" action="${action}">${csrfField(context)}<input type="hidden" name="decision" value="skip"><button type="submit" class="secondary">Skip step ${a.step}</button></form>` : html`<span class="muted">Step ${a.step} cannot be skipped: retry it, or abort.</span>`}
${abortLink}</div></div>`;
}

function result(view: RunView, context: PageContext): Html {
  if (view.result === undefined) return html``;
  const masked = maskSecrets(view.result, false);
  const hasSecrets = JSON.stringify(masked) !== JSON.stringify(view.result);
  return html`<div class="card"><h2>Result</h2><pre>${JSON.stringify(masked, null, 2)}</pre>
${hasSecrets ? html`<form method="post" action="${runHref(view.workflowId)}">${csrfField(context)}<input type="hidden" name="decision" value="show-secrets"><button type="submit" class="secondary">Show secrets</button> <span class="muted">generated passwords, shown on this page only</span></form>` : ''}</div>`;
}
