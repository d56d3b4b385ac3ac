// backupDatabase, restoreDatabase and nightlyDumps: their steps, results, business keys and messages, defined once
// for the workflows, the CLI, the HTTP API and the tests. Sandbox-safe: no Node built-ins, no I/O.
import { defineSignal } from '@temporalio/workflow';
import { parseDumpSelectorText, type DumpSelector } from './inputs/dump-selector.js';
import { quote, type InputIssue, type ParseResult } from './inputs/issues.js';
import type { OvhBackupDate } from './inputs/ovh-enums.js';
import type { Attention } from './runs.js';

export const BACKUP_STEPS = [
  { name: 'dump', title: 'Dump the database' },
  { name: 'verify', title: 'Verify the dump' },
] as const;

export const RESTORE_STEPS = [
  { name: 'chooseDump', title: 'Choose the dump' },
  { name: 'confirm', title: 'Confirm the overwrite' },
  { name: 'safetyDump', title: 'Take a safety dump' },
  { name: 'restore', title: 'Restore the database' },
] as const;

export const NIGHTLY_STEPS = [
  { name: 'discover', title: 'Find the databases' },
  { name: 'dumpAll', title: 'Dump every database' },
] as const;


/** A nightly child tells its parent it needs an operator, so the parent reports it without waiting for it. */
export interface ChildAttention {
  workflowId: string;
  attention: Attention;
}
export const childNeedsAttentionSignal = defineSignal<[ChildAttention]>('childNeedsAttention');

/** A verified dump, as the results report it. */
export interface DumpInfo {
  id: number;
  type: string;
  creationDate: string;
  deletionDate: string;
  /** OVH's download link: anyone holding it can download the database, so it is shown only in results. */
  url: string;
}

export interface BackupDatabaseResult {
  serviceName: string;
  databaseName: string;
  dump: DumpInfo;
  /** The dump was found already made by an earlier attempt of this run (e.g. after a lost answer). */
  adopted: boolean;
}

/** Options of one backup run, beside its input and run settings. */
export interface BackupOptions {
  /** Started by nightlyDumps: signal the parent when the run needs an operator, so it never blocks the night. */
  notifyParent?: boolean;
}

export type RestoreSource =
  | { kind: 'dump'; id: number; type: string; creationDate: string }
  | { kind: 'ovhBackup'; date: OvhBackupDate };

export interface RestoreDatabaseResult {
  serviceName: string;
  databaseName: string;
  restored: RestoreSource;
  /** The dump taken just before the overwrite; absent when the caller declined it. */
  safetyDump?: DumpInfo;
  confirmedBy: 'input' | 'update';
}

export interface NightlyOptions {
  /** The night to dump, `YYYY-MM-DD`; default: the scheduled time's date in `timezone`. */
  night?: string;
  /** IANA zone the night's date is taken in (the schedule's); default UTC. */
  timezone?: string;
}

export interface NightlyTarget {
  serviceName: string;
  databaseName: string;
}

export interface NightlyDone extends NightlyTarget {
  workflowId: string;
  dumpId: number;
  creationDate: string;
}

export interface NightlyFailed {
  serviceName: string;
  databaseName?: string;
  /** The backup run an operator can retry (`ovhflow retry <workflowId>`), when there is one. */
  workflowId?: string;
  failureType: string;
  reason: string;
}

export interface NightlySkipped {
  serviceName: string;
  databaseName?: string;
  workflowId?: string;
  reason: string;
}

export interface NightlyDumpsResult {
  night: string;
  services: string[];
  totals: { databases: number; done: number; failed: number; skipped: number };
  done: NightlyDone[];
  failed: NightlyFailed[];
  skipped: NightlySkipped[];
}

/** What discovery found on one hosting service. */
export type ServiceDiscovery =
  | { serviceName: string; state: 'active'; databases: string[] }
  | { serviceName: string; state: 'inactive'; serviceState: string }
  | { serviceName: string; state: 'missing' };

// ---------------------------------------------------------------------------------------------------------------
// Business keys

/** One backup per database and request: the same request twice finds the first run. */
export function backupWorkflowId(serviceName: string, databaseName: string, requestId: string): string {
  return `backup-database/${serviceName}/${databaseName}/${requestId}`;
}

export function restoreWorkflowId(serviceName: string, databaseName: string, requestId: string): string {
  return `restore-database/${serviceName}/${databaseName}/${requestId}`;
}

/** One nightly dump per database and night: a second trigger of the same night never dumps twice. */
export function nightlyChildWorkflowId(serviceName: string, databaseName: string, night: string): string {
  return `nightly-dump/${serviceName}/${databaseName}/${night}`;
}

/** A nightly run started by hand; a schedule's runs are `nightly-dumps/<schedule id>-<scheduled time>` (Temporal). */
export function nightlyWorkflowId(night: string): string {
  return `nightly-dumps/${night}`;
}

export const DEFAULT_NIGHTLY_SCHEDULE_ID = 'nightly-dumps';

/** The workflow id a schedule's action carries; Temporal appends `-<scheduled time>` to it for each run. */
export function scheduledNightlyWorkflowId(scheduleId: string): string {
  return `nightly-dumps/${scheduleId}`;
}

const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** A caller's request id (a ticket number, a timestamp): it ends up in a workflow id, so it stays plain. */
export function requestIdIssue(requestId: string): string | undefined {
  return REQUEST_ID.test(requestId)
    ? undefined
    : 'must be 1 to 64 letters, digits, ".", "_", ":" or "-", starting with a letter or digit';
}

/** The default request id: the current UTC minute, so a double click dedupes but a later request dumps again. */
export function minuteRequestId(now: Date): string {
  return now.toISOString().slice(0, 16).replace(/[-:]/g, '') + 'Z';
}

const NIGHT = /^\d{4}-\d{2}-\d{2}$/;

export function nightIssue(night: string): string | undefined {
  if (!NIGHT.test(night)) return 'must be a date, YYYY-MM-DD';
  return new Date(`${night}T00:00:00Z`).toISOString().slice(0, 10) === night ? undefined : 'is not a real date';
}

/** `YYYY-MM-DD` of an instant in a time zone (Intl is deterministic given its inputs, so workflows may use it). */
export function localDate(instant: Date, timeZone = 'UTC'): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** Whether the runtime knows an IANA zone name. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-CA', { timeZone });
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// `ovhflow retry <restore run> --set ...` — zod-free: the restore workflow's update validator runs it.

export interface RestoreCorrections {
  dump?: DumpSelector;
  safetyDump?: boolean;
}

/** `dump=<id|latest|daily.1|weekly.1|ISO time>` and `safetyDump=true|false`. */
export function parseRestoreCorrections(pairs: readonly string[]): ParseResult<RestoreCorrections> {
  const issues: InputIssue[] = [];
  const corrections: RestoreCorrections = {};
  for (const pair of pairs) {
    const eq = typeof pair === 'string' ? pair.indexOf('=') : -1;
    if (eq < 0) {
      issues.push({ field: '--set', message: `${quote(String(pair))} is not of the form key=value (e.g. "dump=latest")` });
      continue;
    }
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (key === 'dump') {
      const parsed = parseDumpSelectorText(value);
      if (parsed.ok) corrections.dump = parsed.value;
      else issues.push(...parsed.messages.map((message) => ({ field: 'dump', message })));
    } else if (key === 'safetyDump') {
      if (value === 'true' || value === 'false') corrections.safetyDump = value === 'true';
      else issues.push({ field: 'safetyDump', message: 'must be true or false' });
    } else {
      issues.push({ field: quote(key, 40), message: 'is not a setting; use dump or safetyDump' });
    }
  }
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: corrections };
}

/** Schedule ids: what the CLI and the HTTP API both accept. */
export const SCHEDULE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** A first check of a cron expression's shape, shared by the CLI and the HTTP API; Temporal checks the rest. */
export function cronIssue(cron: string): string | undefined {
  const text = cron.trim();
  if (text === '' || text.length > 200) return 'must be a cron expression such as "0 2 * * *"';
  if (text.startsWith('@')) return undefined;
  const fields = text.split(/\s+/).length;
  return fields >= 5 && fields <= 7 ? undefined : `has ${fields} field(s); a cron expression has 5 (minute hour day month weekday), 6 or 7`;
}
