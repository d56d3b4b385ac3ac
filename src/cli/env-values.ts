// Environment variable values as the CLI takes them: `NAME[:TYPE]=VALUE` on the command line, or `NAME[:TYPE]=PATH` /
// `NAME[:TYPE]=ENVNAME` read from a file or this process's environment — the last two keep a password out of the
// shell's history and the process list. Shared by `env set` and `provision --env`. A value is never quoted back.
import { readFileSync } from 'node:fs';
import { rawSettingOf } from '../shared/inputs/index.js';
import { UsageError } from './exit-codes.js';

export const collect = (value: string, previous: string[]) => [...previous, value];
export const refused = (lines: string) => new UsageError(`invalid input, nothing was started:\n${lines}`);

/** `NAME[:TYPE]=SOURCE` of --from-file / --from-env, with SOURCE read as `read` says. */
export function settingsFrom(flag: string, assignments: string[], defaultType: string | undefined, read: (source: string, name: string, flag: string) => string) {
  return assignments.map((assignment) => {
    const raw = rawSettingOf(assignment, defaultType);
    if (!raw || raw.value === '') throw refused(`${flag}: expected NAME=${flag.endsWith('file') ? 'PATH' : 'ENVNAME'} (got ${JSON.stringify(assignment.split('=')[0])} without one)`);
    return { ...raw, value: read(raw.value, raw.name, flag) };
  });
}

export function readValueFile(path: string, name: string, flag = '--from-file'): string {
  try {
    // A file's last line break is the file's, not the value's (`echo secret > file`).
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw refused(`${flag} ${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export function readValueEnv(envName: string, name: string, flag = '--from-env'): string {
  const value = process.env[envName];
  if (value === undefined) throw refused(`${flag} ${name}: ${envName} is not set in this environment`);
  return value;
}

/** Command-line `NAME[:TYPE]=VALUE` arguments; one without `=` is refused by its position (it may be a password). */
export function settingsOfArguments(flag: string, assignments: string[], defaultType?: string) {
  const bare = assignments.flatMap((a, index) => (rawSettingOf(a) === undefined ? [`${flag} ${index + 1}`] : []));
  if (bare.length > 0) throw refused(`${bare.join(', ')}: expected NAME=VALUE`);
  return assignments.map((a) => rawSettingOf(a, defaultType)!);
}
