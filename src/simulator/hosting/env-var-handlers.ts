// Environment variables of a hosting (`/hosting/web/{serviceName}/envVar`, 2026 schema). Each write is a task
// (`envVar/create|update|delete`) during which the variable is `creating`, `updating` or `deleting` and names the task
// in `taskId`; a variable a task works on takes no other write (409). `PUT` changes the value only: the model's
// `type` is read-only, so a new type is a delete and a create. OVH publishes no rule for keys or values; the simulator
// refuses what no shell or PHP getenv() could use: a key that is not a POSIX name, an empty or multi-line value, an
// `integer` variable that is not a whole number.
import { apiErrors } from '../http/ovh-errors.js';
import type { ServedOperation } from '../schema/served-operations.js';
import type { EnvVarRecord } from '../state/records.js';
import { answerTask, requireIdle, requireRecord, requireService, requireWritableService, startTask, type Handler } from './handler-context.js';
import { envVarView } from './views.js';

const KEY = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

function checkValue(type: EnvVarRecord['type'], value: string): void {
  if (value === '') throw apiErrors.badRequest('[value] The value of an environment variable cannot be empty');
  if (/[\r\n\0]/.test(value)) throw apiErrors.badRequest('[value] The value of an environment variable must be one line');
  if (value.length > 4096) throw apiErrors.badRequest('[value] The value of an environment variable is at most 4096 characters long');
  if (type === 'integer' && !/^-?\d{1,18}$/.test(value)) throw apiErrors.badRequest('[value] The value of an integer variable must be a whole number');
}

export const envVarHandlers = {
  'GET /hosting/web/{serviceName}/envVar': (context) => {
    const service = requireService(context);
    return [...service.envVars.values()]
      .filter((record) => context.query.type === undefined || record.type === context.query.type)
      .map((record) => record.key)
      .sort();
  },

  'POST /hosting/web/{serviceName}/envVar': (context) => {
    const service = requireWritableService(context);
    const key = context.body.key as string;
    const type = context.body.type as EnvVarRecord['type'];
    const value = context.body.value as string;
    if (!KEY.test(key)) throw apiErrors.badRequest(`[key] ${key} is not a valid variable name: letters, digits and _, not starting with a digit, at most 64 characters`);
    checkValue(type, value);
    if (service.envVars.has(key)) throw apiErrors.conflict(`The environment variable ${key} already exists on this hosting`);
    const task = startTask(context, service, { function: 'envVar/create', objectType: 'EnvVar', objectId: key, subject: key });
    service.envVars.set(key, { key, type, value, status: 'creating', taskId: task.id });
    return answerTask(context, task);
  },

  'GET /hosting/web/{serviceName}/envVar/{key}': (context) => {
    const service = requireService(context);
    return envVarView(requireRecord(service.envVars, String(context.path.key), 'key'));
  },

  'PUT /hosting/web/{serviceName}/envVar/{key}': (context) => {
    const service = requireWritableService(context);
    const record = requireRecord(service.envVars, String(context.path.key), 'key');
    for (const readOnly of ['key', 'type', 'status', 'taskId'] as const) {
      if (context.body[readOnly] !== undefined && context.body[readOnly] !== record[readOnly]) {
        throw apiErrors.badRequest(`[${readOnly}] The property ${readOnly} is read-only: only the value of a variable can be changed`);
      }
    }
    if (typeof context.body.value !== 'string') throw apiErrors.badRequest('[value] Give the new value of the variable');
    checkValue(record.type, context.body.value);
    requireIdle(record, `environment variable ${record.key}`);
    // The new value is applied when the task is done, and is never shown in the task.
    const task = startTask(context, service, { function: 'envVar/update', objectType: 'EnvVar', objectId: record.key, subject: record.key, secret: context.body.value });
    record.status = 'updating';
    record.taskId = task.id;
    return answerTask(context, task);
  },

  'DELETE /hosting/web/{serviceName}/envVar/{key}': (context) => {
    const service = requireWritableService(context);
    const record = requireRecord(service.envVars, String(context.path.key), 'key');
    requireIdle(record, `environment variable ${record.key}`);
    const task = startTask(context, service, { function: 'envVar/delete', objectType: 'EnvVar', objectId: record.key, subject: record.key });
    record.status = 'deleting';
    record.taskId = task.id;
    return answerTask(context, task);
  },
} satisfies Partial<Record<ServedOperation, Handler>>;
