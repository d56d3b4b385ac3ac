// The nightly-dumps schedules: when they run, whether they are paused, their recent nights; pause, unpause, trigger.
import type { NightlyScheduleView } from '../../../schedules/nightly.js';
import { html } from '../html.js';
import { csrfField, liveRegion, notice, page, runHref, when, type PageContext } from './layout.js';

export function schedulesPage(state: { schedules: NightlyScheduleView[]; done?: string; error?: string }, context: PageContext): string {
  const cards = state.schedules.map((s) => html`<div class="card" data-schedule="${s.scheduleId}"><h2><code>${s.scheduleId}</code> ${s.paused ? html`<span class="badge needs-attention">paused</span>` : html`<span class="badge running">active</span>`}</h2>
<dl class="facts"><dt>When</dt><dd><code>${s.cron ?? '?'}</code> (${s.timezone ?? 'UTC'})</dd>
<dt>Services</dt><dd>${s.services && s.services.length > 0 ? s.services.join(', ') : 'every hosting service of the account'}</dd>
${s.concurrency ? html`<dt>Concurrency</dt><dd>${s.concurrency}</dd>` : ''}
${s.note ? html`<dt>Note</dt><dd>${s.note}</dd>` : ''}
${s.unreadable ? html`<dt>Settings</dt><dd class="muted">${s.unreadable}</dd>` : ''}
<dt>Next nights</dt><dd>${s.nextRuns.length > 0 ? s.nextRuns.slice(0, 3).map((at) => html`${when(at)}<br>`) : html`<span class="muted">none while paused</span>`}</dd>
<dt>Recent nights</dt><dd>${s.recentRuns.length > 0 ? s.recentRuns.slice(-5).reverse().map((r) => html`<a href="${runHref(r.workflowId)}">${when(r.scheduledAt)}</a><br>`) : html`<span class="muted">none yet</span>`}</dd></dl>
<div class="actions">${(s.paused ? (['unpause', 'trigger'] as const) : (['pause', 'trigger'] as const)).map(
    (action) => html`<form method="post" action="/console/schedules">${csrfField(context)}<input type="hidden" name="scheduleId" value="${s.scheduleId}"><input type="hidden" name="action" value="${action}"><button type="submit" class="${action === 'trigger' ? '' : 'secondary'}">${action === 'trigger' ? 'Run a night now' : action === 'pause' ? 'Pause' : 'Unpause'}</button></form>`,
  )}</div></div>`);
  const body = html`<h1>Schedules</h1>
${state.done ? notice('ok', state.done) : ''}${state.error ? notice('error', state.error) : ''}
${liveRegion('schedules', state.schedules.length === 0
    ? html`<p class="card">No schedule yet. Create the nightly dumps with <code>ovhflow schedule nightly-dumps</code> or <code>POST /v1/schedules/nightly-dumps</code>.</p>`
    : html`${cards}`)}`;
  return page('Schedules', 'schedules', context, body);
}
