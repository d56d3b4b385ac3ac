// FTP/SSH users: `<primaryLogin>-<suffix>` logins, OVH's password rule, SSH only where the offer has it, and as
// many extra users as the offer allows (none on Perso). The primary account cannot be deleted.
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
