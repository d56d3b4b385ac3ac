// The needs-attention queue (oldest first, across run types) and the runs search.
import type { InputIssue } from '../../../shared/inputs/index.js';
import { RUN_STATUSES, RUN_TYPES, type Attention } from '../../../shared/runs.js';
import { html, type Html } from '../html.js';
import type { RunRow } from '../run-search.js';
import { badge, elapsed, field, formErrors, liveRegion, page, runHref, when, type PageContext } from './layout.js';

export interface QueueItem {
  row: RunRow;
  attention?: Attention;
  /** Why the details are missing: no worker answered the run's query in time. */
  unanswered?: string;
}

export interface QueueState {
  items: QueueItem[];
  filter: { service?: string; type?: string; failureType?: string };
  /** Every failure type in the unfiltered queue, for the filter's choices. */
  failureTypes: string[];
  issues: InputIssue[];
}

function select(name: string, label: string, choices: readonly string[], value: string | undefined): Html {
  return html`<label for="f-${name}">${label}<select id="f-${name}" name="${name}"><option value="">any</option>${choices.map(
    (choice) => html`<option value="${choice}"${choice === value ? html` selected` : ''}>${choice}</option>`,
  )}</select></label>`;
}

export function queuePage(state: QueueState, context: PageContext): string {
  const { items, filter } = state;
  const rows = items.map(({ row, attention, unanswered }) => html`<tr data-run="${row.workflowId}">
<td>${when(attention?.since ?? row.startedAt)}<br><span class="muted">${elapsed(attention?.since ?? row.startedAt, undefined)} ago</span></td>
<td class="id"><a href="${runHref(row.workflowId)}">${row.workflowId}</a></td>
<td>${row.type}</td><td>${row.service ?? ''}</td>
<td><code>${attention?.step ?? row.step ?? ''}</code></td>
<td><code>${attention?.failureType ?? ''}</code></td>
<td>${attention?.message ?? ''}${unanswered ? html`<span class="muted">${unanswered}: details when a worker is back</span>` : ''}</td></tr>`);
  const body = html`<h1>Needs attention</h1>
<p class="muted">Runs waiting for an operator, oldest first. Open one to see what failed and decide: retry (with corrections), skip, abort, or confirm.</p>
<form method="get" action="/console" class="filters">
${field({ name: 'service', label: 'Hosting service', value: filter.service ?? '', issues: state.issues })}
${select('type', 'Run type', RUN_TYPES, filter.type)}
${select('failureType', 'Failure type', state.failureTypes, filter.failureType)}
<button type="submit">Filter</button> <a href="/console">Clear</a></form>
${formErrors(state.issues, ['service', 'type'])}
${liveRegion('queue', items.length === 0
    ? html`<p class="card" id="queue-empty">Nothing needs attention${filter.service || filter.type || filter.failureType ? ' with these filters' : ''}.</p>`
    : html`<table id="queue-table"><thead><tr><th>Waiting since</th><th>Run</th><th>Type</th><th>Service</th><th>Step</th><th>Failure type</th><th>Message</th></tr></thead><tbody>${rows}</tbody></table>`)}`;
  return page(items.length > 0 ? `(${items.length}) Needs attention` : 'Needs attention', 'queue', context, body);
}

export interface RunsState {
  rows: RunRow[];
  values: Record<string, string>;
  issues: InputIssue[];
  limit: number;
}

export function runsPage(state: RunsState, context: PageContext): string {
  const { rows, values } = state;
  const body = html`<h1>Runs</h1>
<form method="get" action="/console/runs" class="filters">
${field({ name: 'service', label: 'Hosting service', value: values.service ?? '', issues: state.issues })}
${field({ name: 'domain', label: 'Domain', value: values.domain ?? '', issues: state.issues })}
${select('type', 'Type', RUN_TYPES, values.type)}
${select('status', 'Status', RUN_STATUSES, values.status)}
<button type="submit">Search</button> <a href="/console/runs">Clear</a></form>
${formErrors(state.issues, ['service', 'domain'])}
${liveRegion('runs', state.issues.length > 0
    ? html``
    : rows.length === 0
      ? html`<p class="card">No runs match.</p>`
      : html`<table id="runs-table"><thead><tr><th>Started</th><th>Run</th><th>Type</th><th>Status</th><th>Service</th><th>Domain</th><th>Ended</th></tr></thead><tbody>${rows.map(
          (row) => html`<tr data-run="${row.workflowId}"><td>${when(row.startedAt)}</td><td class="id"><a href="${runHref(row.workflowId)}">${row.workflowId}</a></td>
<td>${row.type}</td><td>${badge(row.status)}${row.step ? html` <code>${row.step}</code>` : ''}</td><td>${row.service ?? ''}</td><td>${row.domain ?? ''}</td><td>${when(row.closedAt)}</td></tr>`,
        )}</tbody></table>${rows.length >= state.limit ? html`<p class="muted">The newest ${state.limit} shown; narrow the search to see others.</p>` : ''}`)}`;
  return page('Runs', 'runs', context, body);
}
