// The fleet page: paste (or pick) a fleet file and see its plan per site — what would be created, changed (field:
// old → new), what cannot be done and why, what exists but the file does not name (unmanaged) — and the latest report
// of each drift schedule, drawn the same way. A plan only reads; the apply button belongs in the marked slot.
import type { DriftScheduleView, LatestDrift } from '../../../schedules/drift.js';
import type { FleetPlan, ResourcePlan, ServiceLevelPlan, SitePlan } from '../../../shared/fleet.js';
import { driftHeadline } from '../../../shared/fleet-drift.js';
import type { InputIssue } from '../../../shared/inputs/index.js';
import { html, type Html } from '../html.js';
import { badge, csrfField, field, formErrors, notice, page, runHref, when, type PageContext } from './layout.js';

export interface FleetPageState {
  /** The file as pasted (it holds references only, never a secret value). */
  file: string;
  issues: InputIssue[];
  plan?: FleetPlan;
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
    : html`<p class="muted">No completed check yet. Run one with <code>ovhflow schedule trigger ${schedule.scheduleId}</code>, or the Schedules page.</p>`}</div>`;
}

/** `#fleet-apply` is the apply button's place: an applyFleet run of this very plan, behind a confirmation. */
export function fleetPage(state: FleetPageState, context: PageContext): string {
  const body = html`<h1>Fleet</h1>
<div class="card"><form method="post" action="/console/fleet" id="fleet-plan">${csrfField(context)}
<p class="muted">Paste a fleet file (YAML or JSON; <code>ovhflow fleet export</code> writes one), or pick it. The plan reads OVH and writes nothing.</p>
${formErrors(state.issues, [])}
<div class="form">${field({ name: 'file', label: 'Fleet file', type: 'textarea', value: state.file, wide: true, required: true })}
<label class="wide" for="fleet-upload">…or pick a file<input type="file" id="fleet-upload" accept=".yaml,.yml,.json,application/yaml,application/json" data-fills="f-file"></label></div>
<div class="actions"><button type="submit">Plan</button></div></form></div>
${state.plan
    ? html`<section id="fleet-plan-result"><h2>The plan</h2>${planView(state.plan)}
<div class="card muted" id="fleet-apply" data-apply-slot>Applying a plan is not available from the console yet: use <code>ovhflow plan FILE</code> and the run kinds each change names.</div></section>`
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
#fleet-apply{border-style:dashed}
`;
