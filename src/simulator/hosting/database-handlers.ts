// Databases: created on the offer's allowance (capabilitie, engines, quota), named after their user as OVH does
// (the user must start with the hosting's primary login), served at `<name>.mysql.db:3306`. OVH has no rule against
// deleting (or changing the password of) a database a 1-click module uses: the module then breaks — its CMS keeps
// the old connection settings — which `/_sim/state` reports in `moduleHealth`.
import { apiErrors } from '../http/ovh-errors.js';
import type { ServedOperation } from '../schema/served-operations.js';
import { DATABASE_VERSIONS, OFFERS } from '../state/offers.js';
import type { DatabaseRecord } from '../state/records.js';
import {
  answerTask,
  requireIdle,
  requireRecord,
  requireService,
  requireWritableService,
  startTask,
  type Handler,
} from './handler-context.js';
import { checkDatabaseUser, checkPassword, matchesLike } from './rules.js';
import { databaseView } from './views.js';

export const databaseHandlers = {
  'GET /hosting/web/{serviceName}/database': (context) => {
    const service = requireService(context);
    const { query } = context;
    return [...service.databases.values()]
      .filter(
        (database) =>
          (query.mode === undefined || query.mode === 'classic') &&
          (query.type === undefined || database.type === query.type) &&
          matchesLike(database.name, query.name) &&
          matchesLike(database.server, query.server) &&
          matchesLike(database.user, query.user),
      )
      .map((database) => database.name)
      .sort();
  },

  'POST /hosting/web/{serviceName}/database': (context) => {
    const service = requireWritableService(context);
    const { body } = context;
    const capabilitie = body.capabilitie as string;
    const type = body.type as DatabaseRecord['type'];
    const user = body.user as string;
    const allowance = OFFERS[service.offer].databases.find((candidate) => candidate.type === capabilitie);
    if (!allowance) throw apiErrors.badRequest(`[capabilitie] ${capabilitie} databases are not available with the ${service.offer} offer`);
    if (!allowance.engines.includes(type)) {
      throw apiErrors.badRequest(`[type] ${type} is not available for ${capabilitie} databases (available: ${allowance.engines.join(', ')})`);
    }
    const versions = DATABASE_VERSIONS[type];
    const version = (body.version as string | undefined) ?? versions?.default ?? '';
    if (!versions?.list.includes(version)) {
      throw apiErrors.badRequest(`[version] ${type} ${version} is not available (available: ${versions?.list.join(', ') ?? 'none'})`);
    }
    const quotaMb = (body.quota as number | undefined) ?? allowance.quotaMb;
    if (quotaMb > allowance.quotaMb) throw apiErrors.badRequest(`[quota] ${capabilitie} databases are limited to ${allowance.quotaMb} MB`);
    checkDatabaseUser(user, service.primaryLogin);
    if (typeof body.password === 'string') checkPassword(body.password, 'password');
    if (service.databases.has(user)) throw apiErrors.conflict(`A database named ${user} already exists on this hosting`);
    const used = [...service.databases.values()].filter((database) => database.capabilitie === capabilitie).length;
    if (used >= allowance.count) {
      throw apiErrors.forbidden(`You have reached the maximum number of ${capabilitie} databases of the ${service.offer} offer (${allowance.count})`);
    }

    const task = startTask(context, service, { function: 'database/create', objectType: 'Database', objectId: user, subject: user });
    service.databases.set(user, {
      name: user,
      user,
      password: (body.password as string | undefined) ?? null,
      type,
      version,
      capabilitie,
      quotaMb,
      server: `${user}.mysql.db`,
      port: 3306,
      status: 'creating',
      taskId: task.id,
      createdAt: context.now,
      restoredFrom: [],
    });
    return answerTask(context, task);
  },

  'GET /hosting/web/{serviceName}/database/{name}': (context) => {
    const service = requireService(context);
    return databaseView(requireRecord(service.databases, String(context.path.name), 'name'), service);
  },

  'DELETE /hosting/web/{serviceName}/database/{name}': (context) => {
    const service = requireWritableService(context);
    const database = requireRecord(service.databases, String(context.path.name), 'name');
    requireIdle(database, `database ${database.name}`);
    const task = startTask(context, service, { function: 'database/delete', objectType: 'Database', objectId: database.name, subject: database.name });
    database.status = 'deleting';
    database.taskId = task.id;
    return answerTask(context, task);
  },

  'POST /hosting/web/{serviceName}/database/{name}/changePassword': (context) => {
    const service = requireWritableService(context);
    const database = requireRecord(service.databases, String(context.path.name), 'name');
    const password = context.body.password as string;
    checkPassword(password, 'password');
    requireIdle(database, `database ${database.name}`);
    const task = startTask(context, service, {
      function: 'database/changePassword',
      objectType: 'Database',
      objectId: database.name,
      subject: database.name,
      secret: password,
    });
    database.status = 'updating';
    database.taskId = task.id;
    return answerTask(context, task);
  },
} satisfies Partial<Record<ServedOperation, Handler>>;
