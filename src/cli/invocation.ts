// The hints a person reads ("then: ovhflow retry RUN") must run as printed. In a clone there is no `ovhflow` on the
// PATH — the README types `node bin/ovhflow.js` — while an installed CLI (`npm install -g`, `npm link`) is `ovhflow`.
// So the CLI names itself the way it was started, and rewrites every command it suggests to that form.
import { basename, delimiter, isAbsolute, relative, resolve } from 'node:path';

/** The top-level commands, so that only a suggested command is rewritten, never prose ("ovhflow needs ..."). */
export const COMMAND_NAMES = [
  'dev', 'worker', 'provision', 'ftp-user', 'runs', 'status', 'retry', 'skip', 'abort', 'backup', 'restore', 'confirm', 'schedule', 'sim', 'ls',
  'credentials', 'api', 'dns', 'renew-cert', 'decommission', 'domain', 'rotate', 'doctor', 'php', 'env', 'help',
  'fleet', 'plan', 'deploy', 'cron', 'apply', 'drift',
] as const;

const SUGGESTED = new RegExp(`\\bovhflow(?= (?:${COMMAND_NAMES.join('|')})\\b)`, 'g');
const SHELL_SAFE = /^[A-Za-z0-9_./@%+=:,-]+$/;

const quoted = (word: string) => (SHELL_SAFE.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

export interface Invocation {
  /** The script as started (`process.argv[1]`): a link on the PATH, or the path to bin/ovhflow.js. */
  script?: string;
  cwd?: string;
  path?: string;
  /** `npm_command`: `exec` under `npx ovhflow`. */
  npmCommand?: string;
}

/** How to type this CLI again, from where it was started: `ovhflow`, `npx ovhflow` or `node bin/ovhflow.js`. */
export function invokedAs({ script = process.argv[1], cwd = process.cwd(), path = process.env.PATH ?? '', npmCommand = process.env.npm_command }: Invocation = {}): string {
  if (!script) return 'ovhflow';
  // A bare name: as given (`main(['node', 'ovhflow', ...])`).
  if (!script.includes('/')) return quoted(script);
  const name = basename(script);
  if (!name.endsWith('.js')) {
    // A link named like the command (`ovhflow`): the global install's, or node_modules/.bin's under npx.
    if (npmCommand === 'exec') return `npx ${name}`;
    const onPath = path.split(delimiter).some((dir) => dir !== '' && resolve(cwd, dir, name) === resolve(cwd, script));
    return onPath ? name : quoted(script);
  }
  const fromHere = relative(cwd, script);
  return `node ${quoted(fromHere.startsWith('..') || isAbsolute(fromHere) ? script : fromHere)}`;
}

let current: string | undefined;

/** The CLI's entry (`main`) says how it was started: its `argv[1]`. */
export function rememberInvocation(script: string | undefined): void {
  current = invokedAs({ script });
}

/** `text` with every suggested `ovhflow <command>` written as this CLI is typed here. */
export function asTyped(text: string, as: string = (current ??= invokedAs())): string {
  return as === 'ovhflow' ? text : text.replace(SUGGESTED, () => as);
}
