// The fleet page: paste (or pick) a fleet file and see its plan per site — what would be created, changed (field:
// old → new), what cannot be done and why, what exists but the file does not name (unmanaged) — and the latest report
// of each drift schedule, drawn the same way. A plan only reads. Its apply is two more forms, each working without
// the script: "Apply these N changes" shows what would start and asks to confirm; confirming starts the applyFleet run
// (the same code as POST /v1/applies), refused when OVH has changed since the plan was shown (its fingerprints travel
// in the forms, as in a plan saved by `ovhflow plan --out`).
import type { DriftScheduleView, LatestDrift } from '../../../schedules/drift.js';
import type { ApplyTask } from '../../../shared/apply.js';
import type { FleetPlan, ResourcePlan, ServiceLevelPlan, SitePlan } from '../../../shared/fleet.js';
import { driftHeadline } from '../../../shared/fleet-drift.js';
import type { InputIssue } from '../../../shared/inputs/index.js';
import { html, type Html } from '../html.js';
import { badge, CONSOLE_PREFIX, csrfField, field, formErrors, notice, page, runHref, when, type PageContext } from './layout.js';

export interface FleetPageState {
  /** The file as pasted (it holds references only, never a secret value). */
  file: string;
  issues: InputIssue[];
  plan?: FleetPlan;
  /** What applying the plan would start, and what it read (JSON of its fingerprints), for the apply forms. */
  apply?: {
    tasks: ApplyTask[];
    seen: string;
    /** Why the console cannot apply this file (a secret reference it does not read): shown instead of the button. */
    refused?: InputIssue[];
    /** Set once "Apply" was pressed: the confirmation step, its request id making a second press find the same run. */
    confirm?: { requestId: string };
  };
  /** Why the last apply press started nothing (a stale plan, OVH unreadable). */
  applyRefusal?: string;
  drift: Array<{ schedule: DriftScheduleView; latest?: LatestDrift; problem?: string }>;
}

const ACTION_CLASS: Record<ResourcePlan['action'], string> = { create: 'running', change: 'needs-attention', blocked: 'failed', unmanaged: 'skipped', none: 'completed' };
const actionBadge = (action: ResourcePlan['action']) => html`<span class="badge ${ACTION_CLASS[action]}" data-action="${action}">${action === 'none' ? 'no change' : action}</span>`;

function resourceRow(resource: ResourcePlan): Html {
  const what = resource.changes && resource.changes.length > 0
    ? html`<ul class="changes">${resource.changes.map((c) => html`<li><code>${c.field}</code>: <span class="old">${c.from}</span> → <span class="new">${c.to}</span></li>`)}</ul>`
    : '';
  return html`<tr data-kind="${resource.kind}" data-key="${resource.key}"><td>${resource.kind}</td><td><code>${resource.key || '(home)'}</code></td><td>${actionBadge(resource.action)}</td>
<td>${what}${resource.reason ? html`<span class="${resource.action === 'blocked' ? 'field-error' : 'muted'}">${resource.reason}</span>` : ''}</td><td>${resource.runKind ? html`<code>${resource.runKind}</code>` : ''}</td></tr>`;
}

function resourcesTable(resources: readonly ResourcePlan[]): Html {
  const shown = resources.filter((r) => r.action !== 'none');
  if (shown.length === 0) return html``;
  return html`<table class="plan"><thead><tr><th>Kind</th><th>Key</th><th>Action</th><th>What</th><th>Run</th></tr></thead><tbody>${shown.map(resourceRow)}</tbody></table>`;
}

function siteCard(site: Pick<SitePlan, 'account' | 'serviceName' | 'domain' | 'path' | 'action' | 'resources'>): Html {
  return html`<div class="card fleet-site" data-site="${site.domain}" data-action="${site.action}"><h3>${site.domain}${site.path !== null ? html` <span class="muted">→ ${site.path || '(home)'}</span>` : ''} ${actionBadge(site.action)}</h3>
${resourcesTable(site.resources)}</div>`;
}

function serviceCard(service: ServiceLevelPlan): Html {
  if (service.resources.every((r) => r.action === 'none')) return html``;
  return html`<div class="card fleet-service" data-service="${service.serviceName}"><h3>${service.serviceName} <span class="muted">(not a site of the file)</span></h3>${resourcesTable(service.resources)}</div>`;
}

/** Sites and service-level resources grouped by hosting service, as `ovhflow plan` prints them. */
export function planView(plan: Pick<FleetPlan, 'summary' | 'sites' | 'services' | 'failures' | 'reads'>): Html {
  const groups = new Map<string, { sites: SitePlan[]; service?: ServiceLevelPlan }>();
  const groupOf = (account: string, serviceName: string) => {
    const key = `${serviceName} (account ${account})`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { sites: [] }));
    return group;
  };
  for (const site of plan.sites) groupOf(site.account, site.serviceName).sites.push(site);
  for (const service of plan.services) groupOf(service.account, service.serviceName).service = service;
  const { create, change, blocked, unmanaged } = plan.summary;
  return html`<p class="summary" data-summary="${JSON.stringify(plan.summary)}"><strong>${create + change + blocked === 0 ? 'No change.' : 'Plan:'}</strong> ${create} to create, ${change} to change, ${blocked} blocked, ${unmanaged} unmanaged (left as they are). Nothing was written; ${plan.reads} OVH reads.</p>
${plan.failures.map((f) => notice('error', html`Could not read ${f.serviceName ?? 'the account'} (account ${f.account}): ${f.message}. The plan is incomplete.`))}
${[...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([title, group]) => html`<section class="fleet-group"><h2>${title}</h2>
${group.sites.length === 0 && !(group.service?.resources ?? []).some((r) => r.action !== 'none') ? html`<p class="muted">no change</p>` : ''}
${group.sites.map(siteCard)}${group.service ? serviceCard(group.service) : ''}</section>`)}`;
}

function driftSection(entry: FleetPageState['drift'][number]): Html {
  const { schedule, latest, problem } = entry;
  const report = latest?.report;
  return html`<div class="card drift" data-schedule="${schedule.scheduleId}"><h3><code>${schedule.scheduleId}</code> ${schedule.paused ? badge('paused') : ''} <span class="muted">${schedule.source ?? ''} · <code>${schedule.cron ?? ''}</code> (${schedule.timezone ?? 'UTC'})</span></h3>
${problem ? notice('error', problem) : ''}
${latest?.running ? html`<p class="muted">A newer check is running: <a href="${runHref(latest.running)}">${latest.running}</a></p>` : ''}
${report
    ? html`<p>Checked ${when(report.checkedAt)}: <strong class="headline">${driftHeadline(report)}</strong></p>${planView(report)}`
    : problem
      ? ''
      : html`<p class="muted">No completed check yet. Run one with <code>ovhflow schedule trigger ${schedule.scheduleId}</code>, or the Schedules page.</p>`}</div>`;
}

const changeCount = (tasks: readonly ApplyTask[]) => tasks.reduce((sum, task) => sum + task.changes.length, 0);

/** The hidden fields both apply forms carry: the file and what its plan read. */
function applyFields(state: FleetPageState, seen: string, context: PageContext): Html {
  return html`${csrfField(context)}<input type="hidden" name="file" value="${state.file}"><input type="hidden" name="seen" value="${seen}">`;
}

function applyOffer(state: FleetPageState, context: PageContext): Html {
  const apply = state.apply;
  if (!apply) return html``;
  if (apply.refused) {
    return html`<div class="card" id="fleet-apply">${notice('error', html`${apply.refused.map((issue) => html`<div><code>${issue.field}</code>: ${issue.message}</div>`)}`)}<p class="muted">Not offered here: nothing was started.</p></div>`;
  }
  if (apply.tasks.length === 0) return html`<p class="card muted" id="fleet-apply">Nothing to apply.</p>`;
  const count = changeCount(apply.tasks);
  return html`<form class="card" id="fleet-apply" method="post" action="${CONSOLE_PREFIX}/fleet/apply">${applyFields(state, apply.seen, context)}<input type="hidden" name="step" value="review">
<div class="actions"><button type="submit" data-changes="${count}">${count === 1 ? 'Apply this 1 change' : `Apply these ${count} changes`}</button> <span class="muted">You confirm on the next step.</span></div></form>`;
}

/** The confirmation step: exactly the runs the apply starts, per site, and what it never does from here. */
function applyConfirmation(state: FleetPageState, context: PageContext): Html {
  const apply = state.apply;
  if (!apply?.confirm || apply.tasks.length === 0) return html``;
  const count = changeCount(apply.tasks);
  return html`<section class="card" id="fleet-confirm"><h2>Confirm the apply</h2>
<p>One apply run starts ${count} run${count === 1 ? '' : 's'} for ${apply.tasks.length} site${apply.tasks.length === 1 ? '' : 's'} (at most a few at once per OVH account):</p>
<table class="apply-runs"><thead><tr><th>Account</th><th>Hosting</th><th>Site</th><th>Run</th><th>Change</th></tr></thead><tbody>
${apply.tasks.flatMap((task) => task.changes.map((change) => html`<tr data-site="${task.subject}" data-run-kind="${change.runType}"><td>${task.account}</td><td>${task.serviceName}</td><td>${task.subject}</td><td><code>${change.runType}</code></td><td>${change.what}</td></tr>`))}</tbody></table>
<p class="muted" id="fleet-no-prune">Nothing is removed: what the plan reports unmanaged is left as it is. Removing it (<code>ovhflow apply --prune</code>) is not offered from the console.</p>
<p class="muted">If OVH changes before you confirm, the apply is refused and nothing starts.</p>
<form method="post" action="${CONSOLE_PREFIX}/fleet/apply">${applyFields(state, apply.seen, context)}<input type="hidden" name="step" value="confirm"><input type="hidden" name="requestId" value="${apply.confirm.requestId}">
<div class="actions"><button type="submit" id="fleet-confirm-apply">Confirm: apply ${count} change${count === 1 ? '' : 's'}</button> <a href="${CONSOLE_PREFIX}/fleet">Cancel</a></div></form></section>`;
}

export function fleetPage(state: FleetPageState, context: PageContext): string {
  const body = html`<h1>Fleet</h1>
<div class="card"><form method="post" action="/console/fleet" id="fleet-plan">${csrfField(context)}
<p class="muted">Paste a fleet file (YAML or JSON; <code>ovhflow fleet export</code> writes one), or pick it. The plan reads OVH and writes nothing.</p>
${formErrors(state.issues, [])}
<div class="form">${field({ name: 'file', label: 'Fleet file', type: 'textarea', value: state.file, wide: true, required: true })}
<label class="wide" for="fleet-upload">…or pick a file<input type="file" id="fleet-upload" accept=".yaml,.yml,.json,application/yaml,application/json" data-fills="f-file"></label></div>
<div class="actions"><button type="submit">Plan</button></div></form></div>
${state.applyRefusal ? html`<div id="fleet-apply-refused">${notice('error', state.applyRefusal)}</div>` : ''}
${applyConfirmation(state, context)}
${state.plan
    ? html`<section id="fleet-plan-result"><h2>The plan</h2>${planView(state.plan)}
${state.apply?.confirm ? '' : applyOffer(state, context)}</section>`
    : ''}
<h2>Drift</h2>
${state.drift.length === 0
    ? html`<p class="card muted" id="drift-none">No drift schedule. Create one with <code>ovhflow schedule drift FILE</code> (or <code>POST /v1/schedules/drift</code>): each morning it plans the file and keeps what differs.</p>`
    : html`<div id="drift-reports">${state.drift.map(driftSection)}</div>`}`;
  return page('Fleet', 'fleet', context, body);
}

export const FLEET_CSS = `
table.plan{margin-top:.4rem}
table.plan ul.changes{margin:0;padding-left:1rem}
.fleet-site h3,.fleet-service h3,.drift h3{margin:.1rem 0 .4rem;font-size:1rem}
.badge.skipped{background:#eceef1;color:#5b6572}
.changes .old{color:var(--bad)}.changes .new{color:var(--ok)}
#fleet-confirm{border-color:var(--warn)}
`;
