// Dumps and restores. Every write is an *ensure*: before writing, a retry (of the activity after a lost answer, or of
// the step by an operator) looks for what an earlier attempt already set going — a new dump, a running restore task —
// and adopts it. "New" is decided against a snapshot of what existed when the run began (ids, not clocks), so a clock
// difference between the worker and OVH can never make a dump look older or newer than it is.
import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import type { OvhClient } from '../ovh/client.js';
import { OvhApiError } from '../ovh/errors.js';
import type { DatabaseDump } from '../ovh/types.js';
import type { DumpInfo, RestoreSource, ServiceDiscovery } from '../shared/backups.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import type { DumpSelector } from '../shared/inputs/index.js';
import { ovhCall, permanentFailure, stillPending, toActivityFailure } from './failures.js';

export interface DumpTarget {
  serviceName: string;
  databaseName: string;
}

export interface NewDumpQuery extends DumpTarget {
  /** Lower bound of the listing (ISO time), well before the run: only narrows what OVH returns. */
  since: string;
  /** The `now` dumps that existed before the run wrote anything: none of them is the run's dump. */
  preexisting: number[];
}

export interface EnsureDumpInput extends NewDumpQuery {
  sendEmail: boolean;
  /** Look for an earlier attempt's dump before writing (the step is being retried). */
  checkExisting: boolean;
}

export interface EnsureDumpResult {
  /** The task to wait for; absent when the adopted dump is already finished. */
  taskId?: number;
  /** Known when an earlier attempt's dump was adopted. */
  dumpId?: number;
  adopted: boolean;
}

export interface EnsureRestoreInput extends DumpTarget {
  source: RestoreSource;
  /** Restore tasks that existed before the run wrote anything. */
  preexistingTasks: number[];
  checkExisting: boolean;
}

/** Candidates of `latest` and `latest before`: a database keeps about 30 days of dumps, so this is never reached. */
const MAX_DUMPS_EXAMINED = 200;
/** A dump without its download link is looked at again this many times before the step asks an operator. */
const URL_PATIENCE_ATTEMPTS = 6;


/** The database is busy with another task (a dump or restore started elsewhere): retryable, it frees itself. */
function busy(databaseName: string, status: string, taskId?: number | null): ApplicationFailure {
  return ApplicationFailure.create({
    type: FAILURE_TYPES.conflict,
    message: `database ${databaseName} is ${status}${taskId ? ` (OVH task ${taskId})` : ''}; trying again when it is free`,
    nonRetryable: false,
    details: [{ hint: 'another dump or restore of this database is running: wait for it, then retry' }],
  });
}

function dumpInfo(dump: DatabaseDump): DumpInfo {
  return { id: dump.id, type: dump.type, creationDate: dump.creationDate, deletionDate: dump.deletionDate, url: dump.url ?? '' };
}

export function createBackupActivities({ ovh }: { ovh: OvhClient }) {
  async function newDumpIds(query: NewDumpQuery): Promise<number[]> {
    const ids = await ovhCall(() => ovh.listDumps(query.serviceName, query.databaseName, { type: 'now', 'creationDate.from': query.since }));
    const before = new Set(query.preexisting);
    return ids.filter((id) => !before.has(id)).sort((a, b) => b - a);
  }

  /** The newest dump this run made, if one exists (not being deleted). */
  async function newestNewDump(query: NewDumpQuery): Promise<DatabaseDump | undefined> {
    for (const id of await newDumpIds(query)) {
      const dump = await getDumpOrUndefined(query, id);
      if (dump && dump.status !== 'deleting') return dump;
    }
    return undefined;
  }

  async function getDumpOrUndefined(target: DumpTarget, id: number): Promise<DatabaseDump | undefined> {
    try {
      return await ovh.getDump(target.serviceName, target.databaseName, id);
    } catch (error) {
      // Listed a moment ago, gone now (deleted, or the database was): not a candidate.
      if (error instanceof OvhApiError && error.kind === 'notFound') return undefined;
      throw toActivityFailure(error);
    }
  }

  async function requireDatabase(target: DumpTarget) {
    try {
      return await ovh.getDatabase(target.serviceName, target.databaseName);
    } catch (error) {
      if (error instanceof OvhApiError && error.kind === 'notFound') {
        throw permanentFailure(FAILURE_TYPES.notFound, `database ${target.databaseName} not found on ${target.serviceName}`, {
          ovhMessage: error.ovhMessage,
          queryId: error.queryId,
          hint: 'check the database name with `ovhflow ls databases --service ' + target.serviceName + '`, then retry',
        });
      }
      throw toActivityFailure(error);
    }
  }

  return {
    /** The run's snapshot: ids of the `now` dumps that exist before it writes anything. */
    async listRecentDumps(query: Omit<NewDumpQuery, 'preexisting'>): Promise<number[]> {
      return newDumpIds({ ...query, preexisting: [] });
    },

    /** `POST /database/{name}/dump` (date `now`) — unless an earlier attempt of this run already made that dump. */
    async ensureDatabaseDump(input: EnsureDumpInput): Promise<EnsureDumpResult> {
      const { attempt } = Context.current().info;
      if (input.checkExisting || attempt > 1) {
        const earlier = await newestNewDump(input);
        if (earlier) {
          return { dumpId: earlier.id, adopted: true, ...(earlier.status === 'creating' && earlier.taskId ? { taskId: earlier.taskId } : {}) };
        }
      }
      try {
        const task = await ovh.createDump(input.serviceName, input.databaseName, { date: 'now', sendEmail: input.sendEmail });
        return { taskId: task.id, adopted: false };
      } catch (error) {
        if (error instanceof OvhApiError && error.kind === 'conflict') {
          const database = await ovhCall(() => ovh.getDatabase(input.serviceName, input.databaseName));
          if (database.status !== 'created') throw busy(input.databaseName, database.status, database.taskId);
        }
        if (error instanceof OvhApiError && error.kind === 'notFound') {
          throw permanentFailure(FAILURE_TYPES.notFound, `database ${input.databaseName} not found on ${input.serviceName}`, {
            ovhMessage: error.ovhMessage,
            queryId: error.queryId,
            hint: 'the database may have been deleted: check it, then retry, or abort this backup',
          });
        }
        throw toActivityFailure(error);
      }
    },

    /** The run's new dump, verified: `created`, with a download link. */
    async verifyNewDump(query: NewDumpQuery & { dumpId?: number }): Promise<DumpInfo> {
      const dump = query.dumpId !== undefined ? await getDumpOrUndefined(query, query.dumpId) : await newestNewDump(query);
      if (!dump) {
        throw permanentFailure(FAILURE_TYPES.resourceNotReady, `the dump task of ${query.databaseName} finished, but no new dump of it is listed`, {
          hint: 'check the dumps of this database in the Control Panel, then retry (a new dump is taken) or abort',
        });
      }
      if (dump.status === 'creating') throw stillPending(`dump ${dump.id} of ${query.databaseName} is still being created`);
      if (dump.status !== 'created') {
        throw permanentFailure(FAILURE_TYPES.resourceNotReady, `dump ${dump.id} of ${query.databaseName} is ${dump.status}, not created`);
      }
      if (!dump.url) {
        if (Context.current().info.attempt < URL_PATIENCE_ATTEMPTS) throw stillPending(`dump ${dump.id} has no download link yet`);
        throw permanentFailure(FAILURE_TYPES.resourceNotReady, `dump ${dump.id} of ${query.databaseName} is created but has no download link`);
      }
      return dumpInfo(dump);
    },

    /** Which dump a restore uses: by id, the newest, the newest before a time, or one of OVH's own backups. */
    async chooseDump(input: DumpTarget & { dump: DumpSelector }): Promise<RestoreSource> {
      await requireDatabase(input);
      const selector = input.dump;
      if ('ovhBackup' in selector) return { kind: 'ovhBackup', date: selector.ovhBackup };
      if ('id' in selector) {
        const dump = await getDumpOrUndefined(input, selector.id);
        if (!dump) {
          throw permanentFailure(FAILURE_TYPES.notFound, `dump ${selector.id} of database ${input.databaseName} not found`, {
            hint: `list the dumps with \`ovhflow ls dumps --service ${input.serviceName} --database ${input.databaseName}\`, then retry with --set dump=<id|latest>`,
          });
        }
        if (dump.status !== 'created') {
          throw permanentFailure(FAILURE_TYPES.resourceNotReady, `dump ${dump.id} is ${dump.status}; only a created dump can be restored`);
        }
        return { kind: 'dump', id: dump.id, type: dump.type, creationDate: dump.creationDate };
      }
      const before = 'latestBefore' in selector ? Date.parse(selector.latestBefore) : undefined;
      const ids = await ovhCall(() =>
        ovh.listDumps(input.serviceName, input.databaseName, 'latestBefore' in selector ? { 'creationDate.to': selector.latestBefore } : {}),
      );
      let best: DatabaseDump | undefined;
      // Every candidate is read: the newest is decided by creation date, not by id order.
      for (const id of [...ids].sort((a, b) => b - a).slice(0, MAX_DUMPS_EXAMINED)) {
        const dump = await getDumpOrUndefined(input, id);
        if (!dump || dump.status !== 'created') continue;
        const created = Date.parse(dump.creationDate);
        if (before !== undefined && !(created < before)) continue;
        if (!best || created > Date.parse(best.creationDate)) best = dump;
      }
      if (!best) {
        const when = 'latestBefore' in selector ? ` created before ${selector.latestBefore}` : '';
        throw permanentFailure(FAILURE_TYPES.notFound, `database ${input.databaseName} has no finished dump${when}`, {
          hint: `choose another dump (retry with --set dump=<id|latest|daily.1|weekly.1|ISO time>) or abort`,
        });
      }
      return { kind: 'dump', id: best.id, type: best.type, creationDate: best.creationDate };
    },

    /** The run's snapshot of restore tasks, so a retry can tell its own restore from older ones. */
    async listRestoreTasks(target: DumpTarget): Promise<number[]> {
      return ovhCall(() => ovh.listTasks(target.serviceName, { function: 'database/restore' }));
    },

    /** Starts the restore — unless an earlier attempt of this run already did (its task is then adopted). */
    async ensureRestore(input: EnsureRestoreInput): Promise<{ taskId: number; adopted: boolean }> {
      const { attempt } = Context.current().info;
      const database = await requireDatabase(input);
      if (input.checkExisting || attempt > 1) {
        if (database.status === 'restoring' && database.taskId) return { taskId: database.taskId, adopted: true };
        const before = new Set(input.preexistingTasks);
        const ids = await ovhCall(() => ovh.listTasks(input.serviceName, { function: 'database/restore' }));
        for (const id of ids.filter((candidate) => !before.has(candidate)).sort((a, b) => b - a)) {
          const task = await ovhCall(() => ovh.getTask(input.serviceName, id));
          if (task.objectId === input.databaseName && task.status !== 'cancelled') return { taskId: task.id, adopted: true };
        }
      }
      if (database.status !== 'created') throw busy(input.databaseName, database.status, database.taskId);
      const { source } = input;
      try {
        const task =
          source.kind === 'dump'
            ? await ovh.restoreDump(input.serviceName, input.databaseName, source.id)
            : await ovh.restoreOvhBackup(input.serviceName, input.databaseName, { date: source.date, sendEmail: false });
        return { taskId: task.id, adopted: false };
      } catch (error) {
        if (error instanceof OvhApiError && error.kind === 'conflict') throw busy(input.databaseName, 'busy');
        throw toActivityFailure(error);
      }
    },

    /** Every hosting service the credentials can see (nightlyDumps with no selection). */
    async listHostingServices(): Promise<string[]> {
      return ovhCall(() => ovh.listServices());
    },

    /** A service's databases, discovered when the night runs; a missing or inactive service is reported, not thrown. */
    async discoverDatabases({ serviceName }: { serviceName: string }): Promise<ServiceDiscovery> {
      let state: string;
      try {
        state = (await ovh.getService(serviceName)).state;
      } catch (error) {
        if (error instanceof OvhApiError && error.kind === 'notFound') return { serviceName, state: 'missing' };
        throw toActivityFailure(error);
      }
      if (state !== 'active') return { serviceName, state: 'inactive', serviceState: state };
      const databases = await ovhCall(() => ovh.listDatabases(serviceName));
      return { serviceName, state: 'active', databases: [...databases].sort() };
    },
  };
}
