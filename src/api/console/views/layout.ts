// The frame every console page shares: header and navigation, the session's log-out form, the one stylesheet and the
// one script (both served by the API: the Content-Security-Policy allows nothing else), and the live-region helper.
import { createHash } from 'node:crypto';
import type { InputIssue } from '../../../shared/inputs/index.js';
import { html, type Html } from '../html.js';

export const CONSOLE_PREFIX = '/console';

export type Section = 'queue' | 'runs' | 'schedules' | 'start' | 'fleet' | 'none';

export interface PageContext {
  /** The session's CSRF token (absent on the login page). */
  csrf?: string;
  /** The Temporal UI's address, when known (linked from the header and from each run). */
  temporalUi?: string;
  namespace: string;
}

const NAV: Array<[Exclude<Section, 'none'>, string, string]> = [
  ['queue', 'Needs attention', `${CONSOLE_PREFIX}`],
  ['runs', 'Runs', `${CONSOLE_PREFIX}/runs`],
  ['schedules', 'Schedules', `${CONSOLE_PREFIX}/schedules`],
  ['start', 'Start a run', `${CONSOLE_PREFIX}/start`],
  ['fleet', 'Fleet', `${CONSOLE_PREFIX}/fleet`],
];

export function page(title: string, section: Section, context: PageContext, body: Html): string {
  const live = body.text.includes('data-live');
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${title} · ovhflow console</title>
<link rel="stylesheet" href="${CONSOLE_PREFIX}/assets/console.css">
<script type="module" src="${CONSOLE_PREFIX}/assets/console.js"></script>
</head><body${live ? html` data-live-interval="1500"` : ''}>
<header><span class="brand">ovhflow</span>
${context.csrf
    ? html`<nav>${NAV.map(([key, label, href]) => html`<a href="${href}"${key === section ? html` aria-current="page"` : ''}>${label}</a>`)}
${context.temporalUi ? html`<a href="${context.temporalUi}/namespaces/${encodeURIComponent(context.namespace)}/workflows">Temporal UI</a>` : ''}</nav>
${live ? html`<span id="live-status" role="status"></span>` : ''}
<form method="post" action="${CONSOLE_PREFIX}/logout">${csrfField(context)}<button type="submit">Log out</button></form>`
    : html`<nav></nav>`}
</header>
<main>
${body}
</main>
</body></html>
`.text;
}

export function csrfField(context: PageContext): Html {
  return html`<input type="hidden" name="_csrf" value="${context.csrf ?? ''}">`;
}

/**
 * A region the console script refreshes in place. Its version says when it changed: by default a digest of its
 * markup; a region holding a form passes a version that changes only when the form no longer applies.
 */
export function liveRegion(id: string, content: Html, version?: string): Html {
  const digest = version ?? createHash('sha256').update(content.text).digest('base64url').slice(0, 16);
  return html`<section id="${id}" data-live data-version="${digest}">${content}</section>`;
}

/** A form field with its label, its value, and — when the shared parser refused it — the message beside it. */
export function field(options: {
  name: string;
  label: string;
  value?: string;
  issues?: readonly InputIssue[];
  /** The issue field names that belong to this input (default: the name). */
  issueFields?: readonly string[];
  hint?: string;
  type?: 'text' | 'number' | 'password' | 'textarea' | 'checkbox' | 'select';
  suggestions?: readonly (string | number)[];
  /** `select`: the values offered; an empty first choice ("default") unless required. */
  choices?: ReadonlyArray<string | number | { value: string; label: string }>;
  /** `select`: what its empty first choice says (default: the hint when it names the default, else "(default)"). */
  emptyLabel?: string;
  wide?: boolean;
  required?: boolean;
  placeholder?: string;
  /** Shown only while another field of the form has one of these values (CSS, no script): see showWhenCss. */
  showWhen?: { field: string; values: readonly string[] };
}): Html {
  const id = `f-${options.name.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const owned = options.issueFields ?? [options.name];
  const problems = (options.issues ?? []).filter((issue) => owned.includes(issue.field));
  const invalid = problems.length > 0;
  const described = invalid ? `${id}-error` : options.hint ? `${id}-hint` : undefined;
  const attrs = html`id="${id}" name="${options.name}"${invalid ? html` aria-invalid="true"` : ''}${described ? html` aria-describedby="${described}"` : ''}${options.required ? html` required` : ''}${options.placeholder ? html` placeholder="${options.placeholder}"` : ''}`;
  const listId = options.suggestions ? `${id}-list` : undefined;
  let control: Html;
  if (options.type === 'select') {
    const choices = (options.choices ?? []).map((choice) => (typeof choice === 'object' ? choice : { value: String(choice), label: String(choice) }));
    const known = choices.some((choice) => choice.value === (options.value ?? ''));
    // A value the list does not hold (typed into the API, or refused) stays selectable, so a refusal shows what was sent.
    const extra = options.value && !known ? [{ value: options.value, label: options.value }] : [];
    control = html`<select ${attrs}>${options.required ? '' : html`<option value="">${options.emptyLabel ?? (options.hint?.startsWith('default') ? options.hint : '(default)')}</option>`}${[...choices, ...extra].map(
      (choice) => html`<option value="${choice.value}"${choice.value === options.value ? html` selected` : ''}>${choice.label}</option>`,
    )}</select>`;
  } else if (options.type === 'textarea') control = html`<textarea ${attrs} spellcheck="false" autocomplete="off">${options.value ?? ''}</textarea>`;
  else if (options.type === 'checkbox') control = html`<input type="checkbox" ${attrs} value="on"${options.value === 'on' ? html` checked` : ''}>`;
  else {
    control = html`<input type="${options.type ?? 'text'}" ${attrs} value="${options.value ?? ''}" autocomplete="off"${listId ? html` list="${listId}"` : ''}>`;
  }
  const when = options.showWhen ? html` ${showWhenAttribute(options.showWhen.field)}="${options.showWhen.values.join(' ')}"` : '';
  return html`<label class="${options.wide ? 'wide' : ''}" for="${id}"${when}>${options.label}${control}
${listId ? html`<datalist id="${listId}">${(options.suggestions ?? []).map((s) => html`<option value="${s}">`)}</datalist>` : ''}
${invalid ? html`<span class="field-error" id="${id}-error">${problems.map((p) => p.message).join('; ')}</span>` : options.hint ? html`<span class="muted" id="${id}-hint">${options.hint}</span>` : ''}
</label>`;
}

/** Issues no single field owns (cross-field rules, or a refusal from the workflow), above the form. */
export function formErrors(issues: readonly InputIssue[], ownedFields: readonly string[]): Html {
  const general = issues.filter((issue) => !ownedFields.includes(issue.field));
  if (general.length === 0) return html``;
  return html`<div class="notice error" role="alert">${general.map((issue) => html`<div>${issue.field === 'input' ? '' : html`<code>${issue.field}</code>: `}${issue.message}</div>`)}</div>`;
}

export function badge(state: string): Html {
  return html`<span class="badge ${state}">${state}</span>`;
}

/** `2025-05-01 12:00:03 UTC`, readable and unambiguous. */
export function when(iso: string | undefined): Html {
  if (!iso) return html``;
  const text = iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
  return html`<time datetime="${iso}">${text}</time>`;
}

export function elapsed(from: string | undefined, to: string | undefined, now = Date.now()): string {
  if (!from) return '';
  const s = Math.max(0, Math.round(((to ? Date.parse(to) : now) - Date.parse(from)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function runHref(workflowId: string, extra: Record<string, string> = {}): string {
  return `${CONSOLE_PREFIX}/run?${new URLSearchParams({ id: workflowId, ...extra }).toString()}`;
}

export function notice(kind: 'ok' | 'error' | 'warn', content: Html | string): Html {
  return html`<div class="notice ${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${content}</div>`;
}

/** The attribute a conditional field carries: `data-when-<field>` = the values that show it. */
export function showWhenAttribute(field: string): string {
  return `data-when-${field.replace(/[^A-Za-z0-9]/g, '-').toLowerCase()}`;
}

/**
 * The stylesheet rules that hide a conditional field until its condition holds, without a script: a field shown
 * "when ssl is custom" is visible while the form's `ssl` select has `custom` chosen (or its checkbox is ticked).
 * Browsers without `:has()` show every field.
 */
export function showWhenCss(conditions: ReadonlyArray<{ field: string; values: readonly string[] }>): string {
  const rules = new Set<string>();
  for (const { field, values } of conditions) {
    const attribute = showWhenAttribute(field);
    const name = JSON.stringify(field);
    rules.add(`form [${attribute}]{display:none}`);
    for (const value of values) {
      const chosen = value === 'on' ? `[name=${name}]:checked` : `[name=${name}] option[value=${JSON.stringify(value)}]:checked`;
      rules.add(`form:has(${chosen}) [${attribute}~=${JSON.stringify(value)}]{display:flex}`);
    }
  }
  return rules.size === 0 ? '' : `@supports selector(:has(*)){${[...rules].join('')}}`;
}
