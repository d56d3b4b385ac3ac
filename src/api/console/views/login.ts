// The login page: the API token, once; the answer is a session cookie (see ../session.ts). It also starts the codec
// session, so the Temporal UI in this browser decodes payloads without another step.
import { html } from '../html.js';
import { notice, page, type PageContext } from './layout.js';

export function loginPage(state: { next: string; error?: string }, context: PageContext): string {
  const body = html`<div class="login card"><h1>ovhflow console</h1>
${state.error ? notice('error', state.error) : ''}
<form method="post" action="/console/login">
<input type="hidden" name="next" value="${state.next}">
<label for="token">API token (<code>OVHFLOW_API_TOKEN</code>; with <code>npm start</code>, in <code>.data/api-token</code>)</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<p><button type="submit">Log in</button></p>
<p class="muted">This browser keeps a session cookie for 12 hours. It also lets the Temporal UI of this machine show payloads in clear.</p>
</form></div>`;
  return page('Log in', 'none', context, body);
}

export function messagePage(title: string, message: string, context: PageContext, link?: { href: string; label: string }): string {
  return page(title, 'none', context, html`<h1>${title}</h1>${notice('error', message)}${link ? html`<p><a href="${link.href}">${link.label}</a></p>` : ''}`);
}
