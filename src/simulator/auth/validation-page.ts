// The page behind a consumer key's `validationUrl` (`/auth/?credentialToken=...`, as on OVH): it shows which
// application asks for which rules; posting the form with `action=validate` (and an optional `validity` in seconds)
// validates the key, `action=refuse` refuses it; an optional `account` (a NIC handle the simulator knows) says who
// logs in to validate it, which is the account the key then acts for. Then the browser goes to `redirection`.
import type { SimulatorCore } from '../core.js';

export interface PageAnswer {
  status: number;
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function page(status: number, title: string, content: string): PageAnswer {
  return {
    status,
    contentType: 'text/html; charset=utf-8',
    body: `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1>${content}</body></html>\n`,
  };
}

export function validationPage(core: SimulatorCore, method: string, fields: Record<string, string>): PageAnswer {
  const token = fields.credentialToken ?? '';
  const credential = core.credentials.byValidationToken(token);
  if (!credential) return page(404, 'Unknown credential request', '<p>This validation link is invalid or has expired.</p>');
  const application = core.credentials.applicationById(credential.applicationId);

  if (method === 'GET') {
    const rules = credential.rules.map((rule) => `<li><code>${escapeHtml(rule.method)} ${escapeHtml(rule.path)}</code></li>`).join('');
    return page(
      200,
      'Authorize an application (OVH API simulator)',
      `<p>The application <strong>${escapeHtml(application?.name ?? '?')}</strong> asks for:</p><ul>${rules}</ul>` +
        `<p>Current state: <strong>${escapeHtml(credential.status)}</strong></p>` +
        `<form method="post" action="/auth/"><input type="hidden" name="credentialToken" value="${escapeHtml(token)}">` +
        '<label>Validity <select name="validity"><option value="0">unlimited</option><option value="3600">1 hour</option>' +
        '<option value="86400">1 day</option><option value="2592000">30 days</option></select></label> ' +
        '<button name="action" value="validate">Authorize</button> <button name="action" value="refuse">Refuse</button></form>',
    );
  }

  if (credential.status !== 'pendingValidation') {
    return page(409, 'Already answered', `<p>This request is already ${escapeHtml(credential.status)}.</p>`);
  }
  if (fields.action === 'refuse') {
    core.credentials.refuse(credential);
  } else if (fields.action === 'validate' || fields.action === undefined) {
    const validity = Number(fields.validity ?? 0);
    if (fields.account !== undefined && fields.account !== '') {
      if (!core.accounts.accounts.has(fields.account)) return page(400, 'Unknown account', '<p>No such account in this simulator.</p>');
      credential.account = fields.account;
    }
    core.credentials.validate(credential, Number.isFinite(validity) && validity > 0 ? validity : null, core.now());
  } else {
    return page(400, 'Unknown action', '<p>action must be validate or refuse.</p>');
  }
  if (credential.redirection) {
    return { status: 303, contentType: 'text/plain; charset=utf-8', body: `See ${credential.redirection}\n`, headers: { Location: credential.redirection } };
  }
  const granted = fields.action !== 'refuse';
  return page(200, granted ? 'Access granted' : 'Access refused', `<p>The consumer key is now ${granted ? 'validated' : 'refused'}.</p>`);
}
