// Database dumps and restores. A dump is taken `now` or from OVH's own daily / weekly backups; `sendEmail`
// defaults to true when omitted (recorded on the dump). A restore comes from a dump or from a backup date.
import { apiErrors } from '../http/ovh-errors.js';
import type { ServedOperation } from '../schema/served-operations.js';
import type { DumpDate, DumpRecord, HostingService } from '../state/records.js';
import {
  answerTask,
  requireIdle,
  requireRecord,
  requireService,
  requireWritableService,
  startTask,
  type Handler,
  type HandlerContext,
} from './handler-context.js';
import { matchesLike } from './rules.js';
import { databaseDumpView, dumpUrl, dumpView } from './views.js';

/** OVH keeps a dump for 30 days. */
const DUMP_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

/** `from` and `to` are datetimes the validator already checked. */
function inRange(value: number, from: unknown, to: unknown): boolean {
  return (from === undefined || value >= Date.parse(from as string)) && (to === undefined || value <= Date.parse(to as string));
}

function dumpsMatching(service: HostingService, query: Record<string, unknown>, databaseName?: string): number[] {
  return [...service.dumps.values()]
    .filter(
      (dump) =>
        (databaseName === undefined || (dump.databaseName === databaseName && !dump.orphan)) &&
        (query.orphan === undefined || dump.orphan === query.orphan) &&
        (query.type === undefined || dump.type === query.type) &&
        matchesLike(dump.databaseName, query.databaseName) &&
        inRange(dump.creationDate, query['creationDate.from'], query['creationDate.to']) &&
        inRange(dump.deletionDate, query['deletionDate.from'], query['deletionDate.to']),
    )
    .map((dump) => dump.id)
    .sort((a, b) => a - b);
}

function databaseDump(context: HandlerContext, service: HostingService): DumpRecord {
  const name = String(context.path.name);
  requireRecord(service.databases, name, 'name');
  const dump = service.dumps.get(context.path.id as number);
  if (!dump || dump.databaseName !== name || dump.orphan) throw apiErrors.objectNotFound('id', context.path.id as number);
  return dump;
}

function deleteDump(context: HandlerContext, service: HostingService, dump: DumpRecord) {
  requireIdle(dump, `dump ${dump.id}`);
  const task = startTask(context, service, { function: 'dump/delete', objectType: 'Dump', objectId: String(dump.id), subject: String(dump.id) });
  dump.status = 'deleting';
  dump.taskId = task.id;
  return answerTask(context, task);
}

export const dumpHandlers = {
  'GET /hosting/web/{serviceName}/database/{name}/dump': (context) => {
    const service = requireService(context);
    const name = String(context.path.name);
    requireRecord(service.databases, name, 'name');
    return dumpsMatching(service, context.query, name);
  },

  'POST /hosting/web/{serviceName}/database/{name}/dump': (context) => {
    const service = requireWritableService(context);
    const database = requireRecord(service.databases, String(context.path.name), 'name');
    requireIdle(database, `database ${database.name}`);
    const id = context.core.state.nextIds.dump++;
    const task = startTask(context, service, { function: 'dump/create', objectType: 'Database', objectId: database.name, subject: String(id) });
    const dump: DumpRecord = {
      id,
      databaseName: database.name,
      type: context.body.date as DumpDate,
      creationDate: context.now,
      deletionDate: context.now + DUMP_LIFETIME_MS,
      status: 'creating',
      taskId: task.id,
      sendEmail: (context.body.sendEmail as boolean | undefined) ?? true,
      orphan: false,
    };
    service.dumps.set(dump.id, dump);
    database.status = 'dumping';
    database.taskId = task.id;
    return answerTask(context, task);
  },

  'GET /hosting/web/{serviceName}/database/{name}/dump/{id}': (context) => {
    const service = requireService(context);
    const dump = databaseDump(context, service);
    return databaseDumpView(dump, dumpUrl(context.core.baseUrl, service.serviceName, dump));
  },

  'DELETE /hosting/web/{serviceName}/database/{name}/dump/{id}': (context) => {
    const service = requireWritableService(context);
    return deleteDump(context, service, databaseDump(context, service));
  },

  'POST /hosting/web/{serviceName}/database/{name}/dump/{id}/restore': (context) => {
    const service = requireWritableService(context);
    const dump = databaseDump(context, service);
    const database = requireRecord(service.databases, dump.databaseName, 'name');
    requireIdle(dump, `dump ${dump.id}`);
    requireIdle(database, `database ${database.name}`);
    const task = startTask(context, service, {
      function: 'database/restore',
      objectType: 'Database',
      objectId: database.name,
      subject: database.name,
      detail: `dump ${dump.id}`,
    });
    database.status = 'restoring';
    database.taskId = task.id;
    return answerTask(context, task);
  },

  'POST /hosting/web/{serviceName}/database/{name}/restore': (context) => {
    const service = requireWritableService(context);
    const database = requireRecord(service.databases, String(context.path.name), 'name');
    const date = context.body.date as DumpDate;
    if (date === 'now') throw apiErrors.badRequest('[date] There is no backup to restore for the date now: use daily.1 or weekly.1');
    requireIdle(database, `database ${database.name}`);
    const task = startTask(context, service, {
      function: 'database/restore',
      objectType: 'Database',
      objectId: database.name,
      subject: database.name,
      detail: `backup ${date}`,
    });
    database.status = 'restoring';
    database.taskId = task.id;
    return answerTask(context, task);
  },

  'GET /hosting/web/{serviceName}/dump': (context) => dumpsMatching(requireService(context), context.query),

  'GET /hosting/web/{serviceName}/dump/{id}': (context) => {
    const service = requireService(context);
    const dump = requireRecord(service.dumps, context.path.id as number, 'id');
    return dumpView(dump, dumpUrl(context.core.baseUrl, service.serviceName, dump));
  },

  'DELETE /hosting/web/{serviceName}/dump/{id}': (context) => {
    const service = requireWritableService(context);
    return deleteDump(context, service, requireRecord(service.dumps, context.path.id as number, 'id'));
  },
} satisfies Partial<Record<ServedOperation, Handler>>;
