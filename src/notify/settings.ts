// Webhook settings: OVHFLOW_NOTIFY_URL names one or more receivers, each with the events it wants and its format;
// OVHFLOW_NOTIFY_SECRET signs every delivery; OVHFLOW_CONSOLE_URL makes the link to the run.
//
//   OVHFLOW_NOTIFY_URL="https://ops.example.com/hooks/ovhflow
//                       https://hooks.slack.com/services/T0/B0/XXXX|events=run.needs_attention,nightly.failed|format=slack"
//
// Receivers are separated by whitespace (a URL has none); after a URL, `|`-separated options (a URL has no bare `|`):
//   events=a,b,...   the events it wants (default: all); `run.*` means every run.… event
//   format=json|slack|teams   the body (default json: ovhflow's own, below; slack/teams: a chat message)
//   name=...         how logs and results name it (default: its host); the URL itself is never logged
import { registerSecretValue } from '../logging/secret-values.js';
import { NOTIFICATION_EVENTS, type NotificationEvent } from '../shared/notifications.js';

export const NOTIFY_FORMATS = ['json', 'slack', 'teams'] as const;
export type NotifyFormat = (typeof NOTIFY_FORMATS)[number];

export interface NotifyTarget {
  name: string;
  url: string;
  events: NotificationEvent[];
  format: NotifyFormat;
}

export interface NotifySettings {
  targets: NotifyTarget[];
  /** Signs each body (X-Ovhflow-Signature-256). A secret: registered for redaction where it is read. */
  secret: string;
  /** The console's base URL (e.g. https://ovhflow.example.com): each notification links to its run there. */
  consoleUrl?: string;
}

const MIN_SECRET_LENGTH = 16;

/**
 * The settings, or null when no receiver is configured; each problem is pushed to `problems` as a sentence naming
 * the variable (nothing is returned then).
 */
export function parseNotifySettings(
  env: { OVHFLOW_NOTIFY_URL?: string; OVHFLOW_NOTIFY_SECRET?: string; OVHFLOW_CONSOLE_URL?: string },
  problems: string[],
): NotifySettings | null {
  const before = problems.length;
  const consoleUrl = env.OVHFLOW_CONSOLE_URL?.trim();
  if (consoleUrl !== undefined && consoleUrl !== '' && !isHttpUrl(consoleUrl)) {
    problems.push(`OVHFLOW_CONSOLE_URL: "${consoleUrl}" is not an http(s) URL (the console's base, e.g. https://ovhflow.example.com)`);
  }
  const text = env.OVHFLOW_NOTIFY_URL?.trim() ?? '';
  if (text === '') {
    if (env.OVHFLOW_NOTIFY_SECRET) problems.push('OVHFLOW_NOTIFY_SECRET: set, but OVHFLOW_NOTIFY_URL names no receiver');
    return null;
  }
  const targets: NotifyTarget[] = [];
  for (const [index, entry] of text.split(/\s+/).entries()) {
    const where = `OVHFLOW_NOTIFY_URL receiver ${index + 1}`;
    const [url = '', ...options] = entry.split('|');
    if (!isHttpUrl(url)) {
      problems.push(`${where}: "${redactUrl(url)}" is not an http(s) URL`);
      continue;
    }
    const target: NotifyTarget = { name: new URL(url).host, url, events: [...NOTIFICATION_EVENTS], format: 'json' };
    const seen = new Set<string>();
    for (const option of options) {
      const [key = '', value = ''] = splitOnce(option, '=');
      if (seen.has(key)) problems.push(`${where}: option ${key} given twice`);
      seen.add(key);
      if (key === 'events') {
        const events = eventsOf(value, where, problems);
        if (events) target.events = events;
      } else if (key === 'format') {
        if ((NOTIFY_FORMATS as readonly string[]).includes(value)) target.format = value as NotifyFormat;
        else problems.push(`${where}: format "${value}" is not one of ${NOTIFY_FORMATS.join(', ')}`);
      } else if (key === 'name') {
        if (/^[\w.-]{1,64}$/.test(value)) target.name = value;
        else problems.push(`${where}: name "${value}" must be 1-64 letters, digits, . _ -`);
      } else {
        problems.push(`${where}: unknown option "${key}" (expected events=, format= or name=, separated by |)`);
      }
    }
    targets.push(target);
  }
  const names = targets.map((t) => t.name);
  for (const name of new Set(names.filter((n, i) => names.indexOf(n) !== i))) {
    problems.push(`OVHFLOW_NOTIFY_URL: two receivers are named "${name}": give one a name= option`);
  }
  const secret = env.OVHFLOW_NOTIFY_SECRET;
  if (!secret) problems.push('OVHFLOW_NOTIFY_SECRET: required with OVHFLOW_NOTIFY_URL (every delivery is signed with it; `openssl rand -hex 32`)');
  else if (secret.length < MIN_SECRET_LENGTH) problems.push(`OVHFLOW_NOTIFY_SECRET: too short (at least ${MIN_SECRET_LENGTH} characters; \`openssl rand -hex 32\`)`);
  if (problems.length > before) return null;
  // Never in a log: the signing key, nor a receiver's URL (a chat webhook's URL is its credential).
  registerSecretValue(secret);
  for (const target of targets) registerSecretValue(target.url);
  return { targets, secret: secret as string, ...(consoleUrl ? { consoleUrl: consoleUrl.replace(/\/+$/, '') } : {}) };
}

function eventsOf(value: string, where: string, problems: string[]): NotificationEvent[] | undefined {
  const wanted = value.split(',').map((e) => e.trim()).filter(Boolean);
  if (wanted.length === 0) {
    problems.push(`${where}: events= lists no event (known: ${NOTIFICATION_EVENTS.join(', ')})`);
    return undefined;
  }
  const events = new Set<NotificationEvent>();
  for (const name of wanted) {
    const matching = name.endsWith('.*') ? NOTIFICATION_EVENTS.filter((e) => e.startsWith(name.slice(0, -1))) : NOTIFICATION_EVENTS.filter((e) => e === name);
    if (matching.length === 0) problems.push(`${where}: unknown event "${name}" (known: ${NOTIFICATION_EVENTS.join(', ')}; or run.*)`);
    for (const event of matching) events.add(event);
  }
  return [...events];
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.host !== '';
  } catch {
    return false;
  }
}

/** A chat webhook's path is its secret: messages show the scheme and host only. */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    return url.pathname === '/' && !url.search ? url.origin : `${url.origin}/…`;
  } catch {
    return text.length > 12 ? `${text.slice(0, 12)}…` : text;
  }
}
