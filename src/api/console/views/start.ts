// Starting any run from a form. Every run kind of the table (src/runs/run-kinds.ts) has its page, its form drawn from
// the table's field list (src/runs/run-forms.ts): what is submitted goes through the same shared parser as the CLI and
// the HTTP API, and every refusal is shown beside its field. Choices OVH knows (the account's hosting services) or
// that are fixed (OVH's enums) are offered, not typed; fields that only matter for one choice (a custom certificate's
// PEM boxes) show only with it. A secret typed into a form is never sent back in a page.
import { RUN_KINDS, runKinds } from '../../../runs/run-kinds.js';
import type { FormField, RunForm } from '../../../runs/run-forms.js';
import type { InputIssue } from '../../../shared/inputs/index.js';
import type { RunType } from '../../../shared/runs.js';
import { html, type Html } from '../html.js';
import { CONSOLE_PREFIX, csrfField, field, formErrors, page, showWhenCss, type PageContext } from './layout.js';

export interface FormState {
  values: Record<string, string>;
  issues: InputIssue[];
  /** The hidden request id of a kind whose runs carry one: submitting the same form twice finds the first run. */
  requestId?: string;
}

export interface FormChoices {
  /** The account's hosting services, when a worker could list them; otherwise the field is typed. */
  services?: string[];
  /** Why the services could not be listed (shown beside the field). */
  servicesProblem?: string;
}

/** The start page of a kind: /console/start/<type>. */
export const startHref = (type: RunType, account?: string) => `${CONSOLE_PREFIX}/start/${type}${account ? `?account=${encodeURIComponent(account)}` : ''}`;

/** The parser's issue fields each input shows beside it: its own, plus those its table row names. */
export function ownedIssueFields(form: RunForm): string[] {
  return [...form.fields, ...(form.requestIdField ? [form.requestIdField] : []), { name: 'requestId', label: '' }, { name: 'account', label: '' }].flatMap((f) => [...(f.issueFields ?? [f.name])]);
}

/** `ovhflow provision` in an intro becomes code. */
function intro(text: string): Html {
  return html`<p class="muted">${text.split('`').map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part))}</p>`;
}

export function startIndexPage(context: PageContext, account: string | undefined): string {
  const body = html`<h1>Start a run</h1>
<ul class="kinds" id="run-kinds">${runKinds().map(
    ([type, kind]) => html`<li class="card" id="kind-${type}"><h2><a href="${startHref(type, account)}">${kind.title}</a></h2>${intro(kind.form.intro)}</li>`,
  )}</ul>`;
  return page('Start a run', 'start', context, body);
}

function renderField(spec: FormField, state: FormState, choices: FormChoices): Html {
  const value = state.values[spec.name] ?? '';
  const common = {
    name: spec.name,
    label: spec.label,
    value,
    issues: state.issues,
    issueFields: spec.issueFields ?? [spec.name],
    ...(spec.required ? { required: true } : {}),
    ...(spec.placeholder ? { placeholder: spec.placeholder } : {}),
    ...(spec.showWhen ? { showWhen: spec.showWhen } : {}),
  };
  if (spec.source === 'services') {
    if (choices.services && choices.services.length > 0) return field({ ...common, type: 'select', choices: choices.services });
    return field({ ...common, hint: choices.servicesProblem ? `type it: ${choices.servicesProblem}` : 'e.g. demo-agency.ovh' });
  }
  const hint = spec.hint ? { hint: spec.hint } : {};
  if (spec.type === 'select') return field({ ...common, ...hint, type: 'select', choices: spec.choices ?? [] });
  if (spec.type === 'textarea') return field({ ...common, ...hint, type: 'textarea', wide: true });
  if (spec.type === 'checkbox') return field({ ...common, ...hint, type: 'checkbox' });
  return field({ ...common, ...hint, ...(spec.choices ? { suggestions: spec.choices } : {}) });
}

export function startFormPage(
  type: RunType,
  state: FormState,
  context: PageContext,
  options: { accounts: readonly string[]; account: string; choices: FormChoices },
): string {
  const kind = RUN_KINDS[type];
  const form: RunForm = kind.form;
  const requestIdField = form.requestIdField;
  const body = html`<p><a href="${CONSOLE_PREFIX}/start">All run kinds</a></p>
<section class="card" id="${type}"><h2>${kind.title}</h2>
${intro(form.intro)}
${options.accounts.length > 1
    ? html`<form method="get" action="${startHref(type)}" class="account-switch">${field({ name: 'account', label: 'OVH account', type: 'select', required: true, choices: options.accounts, value: options.account })}<button type="submit">Switch account</button></form>`
    : ''}
<form method="post" action="${startHref(type)}">${csrfField(context)}<input type="hidden" name="account" value="${options.account}">
${kind.requestId && !requestIdField ? html`<input type="hidden" name="requestId" value="${state.requestId ?? ''}">` : ''}
${formErrors(state.issues, ownedIssueFields(form))}
<div class="form">
${requestIdField ? renderField(requestIdField, state, options.choices) : ''}
${form.fields.map((spec) => renderField(spec, state, options.choices))}
</div><button type="submit">${form.submit}</button></form></section>`;
  return page(kind.title, 'start', context, body);
}

/** What a kind's form holds when first shown: each field's initial value. */
export function initialValues(form: RunForm, today: string): Record<string, string> {
  const values: Record<string, string> = {};
  for (const spec of [...form.fields, ...(form.requestIdField ? [form.requestIdField] : [])]) if (spec.initial !== undefined) values[spec.name] = spec.initial;
  if (form.requestIdField && !values[form.requestIdField.name]) values[form.requestIdField.name] = today;
  return values;
}

/** The stylesheet rules of every form's conditional fields (appended to the console's stylesheet). */
export const START_FORMS_CSS = showWhenCss(
  runKinds().flatMap(([, kind]) => kind.form.fields.flatMap((spec) => (spec.showWhen ? [spec.showWhen] : []))),
);
