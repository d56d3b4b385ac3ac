// What a task does to the records when it ends: a creation makes its resource `created` (or removes it when the
// task was cancelled), a deletion removes it (or puts it back), a dump or restore frees its database. A task only
// touches a record that still names it in `taskId`, so a record replaced in the meantime is left alone.
import type { HostingService, SimulatorState, TaskRecord } from '../state/records.js';

interface Working {
  status: string;
  taskId: number | null;
}

function finish(record: Working | undefined | null, task: TaskRecord, status = 'created'): record is Working {
  if (!record || record.taskId !== task.id) return false;
  record.status = status;
  record.taskId = null;
  return true;
}

export function applyTaskEffect(state: SimulatorState, task: TaskRecord): void {
  const service = state.services.get(task.serviceName);
  if (!service) return;
  const done = task.outcome === 'done';
  switch (task.function) {
    case 'attachedDomain/create':
      return createOrDrop(service.attachedDomains, task.subject, task, done);
    case 'attachedDomain/delete':
      return dropOrRestore(service.attachedDomains, task.subject, task, done);
    case 'database/create':
      return createOrDrop(service.databases, task.subject, task, done);
    case 'database/delete':
      if (done) for (const dump of service.dumps.values()) if (dump.databaseName === task.subject) dump.orphan = true;
      return dropOrRestore(service.databases, task.subject, task, done);
    case 'dump/create': {
      const dump = service.dumps.get(Number(task.subject));
      freeDatabase(service, dump?.databaseName, task);
      return createOrDrop(service.dumps, Number(task.subject), task, done);
    }
    case 'dump/delete':
      return dropOrRestore(service.dumps, Number(task.subject), task, done);
    case 'database/restore': {
      const database = service.databases.get(task.subject);
      if (finish(database, task) && done && task.detail) service.databases.get(task.subject)?.restoredFrom.push(task.detail);
      return;
    }
    case 'module/install':
      return createOrDrop(service.modules, Number(task.subject), task, done);
    case 'module/delete':
      return dropOrRestore(service.modules, Number(task.subject), task, done);
    case 'user/create':
      return createOrDrop(service.users, task.subject, task, done);
    case 'user/delete':
      return dropOrRestore(service.users, task.subject, task, done);
    case 'hostedssl/create':
    case 'hostedssl/import':
      if (service.ssl?.taskId !== task.id) return;
      if (done) {
        service.ssl.domains = task.domains ?? [];
        finish(service.ssl, task);
      } else {
        service.ssl = null;
      }
      return;
    case 'hostedssl/regenerate':
      if (service.ssl?.taskId !== task.id) return;
      if (done) service.ssl.domains = task.domains ?? service.ssl.domains;
      finish(service.ssl, task);
      return;
    case 'hostedssl/delete':
      if (service.ssl?.taskId !== task.id) return;
      if (done) service.ssl = null;
      else finish(service.ssl, task);
      return;
  }
}

function createOrDrop<K>(records: Map<K, Working>, key: K, task: TaskRecord, done: boolean): void {
  const record = records.get(key);
  if (!record || record.taskId !== task.id) return;
  if (done) finish(record, task);
  else records.delete(key);
}

function dropOrRestore<K>(records: Map<K, Working>, key: K, task: TaskRecord, done: boolean): void {
  const record = records.get(key);
  if (!record || record.taskId !== task.id) return;
  if (done) records.delete(key);
  else finish(record, task);
}

function freeDatabase(service: HostingService, name: string | undefined, task: TaskRecord): void {
  if (name) finish(service.databases.get(name), task);
}
