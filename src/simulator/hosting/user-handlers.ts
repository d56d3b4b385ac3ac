// FTP/SSH users: `<primaryLogin>-<suffix>` logins, OVH's password rule, SSH only where the offer has it, and as
// many extra users as the offer allows (none on Perso). The primary account cannot be deleted, nor moved out of
// the hosting's root. `PUT` (sshState, home, state) and `changePassword` run as tasks; the user is `updating`
// meanwhile (PUT answers nothing: the task is found through the user's taskId or GET /tasks).
import { apiErrors } from '../http/ovh-errors.js';
import type { ServedOperation } from '../schema/served-operations.js';
import { OFFERS } from '../state/offers.js';
import type { UserRecord } from '../state/records.js';
import {
  answerTask,
  requireIdle,
  requireRecord,
  requireService,
  requireWritableService,
  startTask,
  type Handler,
} from './handler-context.js';
import { checkFtpLogin, checkPassword, matchesLike, normalizeRelativePath } from './rules.js';
import { userView } from './views.js';

export const userHandlers = {
  'GET /hosting/web/{serviceName}/user': (context) => {
    const service = requireService(context);
    return [...service.users.values()]
      .filter((user) => matchesLike(user.home, context.query.home) && matchesLike(user.login, context.query.login))
      .map((user) => user.login)
      .sort();
  },

  'POST /hosting/web/{serviceName}/user': (context) => {
    const service = requireWritableService(context);
    const { body } = context;
    const login = body.login as string;
    const sshState = (body.sshState as UserRecord['sshState'] | undefined) ?? 'none';
    const limits = OFFERS[service.offer];
    checkFtpLogin(login, service.primaryLogin);
    const home = normalizeRelativePath(body.home as string, 'home');
    checkPassword(body.password as string, 'password');
    if (sshState !== 'none' && !limits.ssh) throw apiErrors.badRequest(`[sshState] SSH access is not available with the ${service.offer} offer`);
    if (service.users.has(login)) throw apiErrors.conflict(`The user ${login} already exists on this hosting`);
    const extraUsers = [...service.users.values()].filter((user) => !user.isPrimaryAccount).length;
    if (extraUsers >= limits.extraUsers) {
      throw apiErrors.forbidden(`You have reached the maximum number of extra FTP users of the ${service.offer} offer (${limits.extraUsers})`);
    }
    const task = startTask(context, service, { function: 'user/create', objectType: 'User', objectId: login, subject: login });
    service.users.set(login, { login, home, sshState, state: 'rw', isPrimaryAccount: false, status: 'creating', taskId: task.id });
    return answerTask(context, task);
  },

  'GET /hosting/web/{serviceName}/user/{login}': (context) => {
    const service = requireService(context);
    return userView(requireRecord(service.users, String(context.path.login), 'login'), service);
  },

  'PUT /hosting/web/{serviceName}/user/{login}': (context) => {
    const service = requireWritableService(context);
    const user = requireRecord(service.users, String(context.path.login), 'login');
    const { body } = context;
    // Read-only properties of hosting.web.user (login, isPrimaryAccount, status...) are ignored, as OVH ignores them
    // when a client sends back the object it read.
    const changes: Record<string, unknown> = {};
    if (typeof body.home === 'string') {
      const home = normalizeRelativePath(body.home, 'home');
      if (user.isPrimaryAccount && home !== user.home) throw apiErrors.forbidden('The home of the primary account of a hosting cannot be changed');
      changes.home = home;
    }
    if (typeof body.sshState === 'string') {
      if (body.sshState !== 'none' && !OFFERS[service.offer].ssh) throw apiErrors.badRequest(`[sshState] SSH access is not available with the ${service.offer} offer`);
      changes.sshState = body.sshState;
    }
    if (typeof body.state === 'string') {
      if (user.isPrimaryAccount && body.state !== 'rw') throw apiErrors.forbidden('The primary account of a hosting cannot be disabled');
      changes.state = body.state;
    }
    requireIdle(user, `user ${user.login}`);
    const task = startTask(context, service, { function: 'user/update', objectType: 'User', objectId: user.login, subject: user.login, changes });
    user.status = 'updating';
    user.taskId = task.id;
    return null;
  },

  'POST /hosting/web/{serviceName}/user/{login}/changePassword': (context) => {
    const service = requireWritableService(context);
    const user = requireRecord(service.users, String(context.path.login), 'login');
    checkPassword(context.body.password as string, 'password');
    requireIdle(user, `user ${user.login}`);
    const task = startTask(context, service, { function: 'user/changePassword', objectType: 'User', objectId: user.login, subject: user.login });
    user.status = 'updating';
    user.taskId = task.id;
    return answerTask(context, task);
  },

  'DELETE /hosting/web/{serviceName}/user/{login}': (context) => {
    const service = requireWritableService(context);
    const user = requireRecord(service.users, String(context.path.login), 'login');
    if (user.isPrimaryAccount) throw apiErrors.forbidden('The primary account of a hosting cannot be deleted');
    requireIdle(user, `user ${user.login}`);
    const task = startTask(context, service, { function: 'user/delete', objectType: 'User', objectId: user.login, subject: user.login });
    user.status = 'deleting';
    user.taskId = task.id;
    return answerTask(context, task);
  },
} satisfies Partial<Record<ServedOperation, Handler>>;
