// createFtpUser's activities: the guide's FTP/SSH user section, on the real endpoint POST /hosting/web/{s}/user.
import type { OvhClient } from '../ovh/client.js';
import type { PasswordDeriver } from '../secrets/derived-passwords.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import { formatIssues, ftpLoginIssue, parseCreateFtpUserInput, type CreateFtpUserInput } from '../shared/inputs/index.js';
import type { FtpUserView } from '../shared/ftp-user.js';
import type { RunSecretRef } from '../shared/provision.js';
import { activeService } from './credential-rotation.js';
import { ovhCall, permanentFailure, stillPending } from './failures.js';
import type { Existing } from './provisioning.js';

const isNotFound = (error: unknown) => (error as { type?: string })?.type === FAILURE_TYPES.notFound;

export function createFtpUserActivities({ ovh, passwords }: { ovh: OvhClient; passwords: PasswordDeriver }) {
  const generated = (run: RunSecretRef, login: string) => passwords.derive('ftp', `${run.runKey}|ftp|${login}`, run.keyId);

  async function findUser(serviceName: string, login: string) {
    try {
      return await ovhCall(() => ovh.getUser(serviceName, login));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  return {
    async preflightFtpUser(raw: CreateFtpUserInput): Promise<{ secretKeyId: string }> {
      const parsed = parseCreateFtpUserInput(raw);
      if (!parsed.ok) throw permanentFailure(FAILURE_TYPES.invalidInput, formatIssues(parsed.issues));
      const input = parsed.value;
      let service;
      try {
        service = await ovhCall(() => ovh.getService(input.serviceName));
      } catch (error) {
        if (isNotFound(error)) throw permanentFailure(FAILURE_TYPES.notFound, `hosting service "${input.serviceName}" not found for this OVH account`);
        throw error;
      }
      if (service.state !== 'active') throw permanentFailure(FAILURE_TYPES.preconditionFailed, `hosting service "${input.serviceName}" is ${service.state}, not active`);
      const issue = ftpLoginIssue(input.login, service.primaryLogin);
      if (issue) throw permanentFailure(FAILURE_TYPES.invalidInput, `login: ${issue}`);
      return { secretKeyId: passwords.activeKeyId };
    },

    async inspectFtpUser(args: { serviceName: string; login: string; home: string; sshState: string }): Promise<Existing<{ status: string }>> {
      const user = await findUser(args.serviceName, args.login);
      if (!user) return { state: 'absent' };
      const differences = [
        user.home.replace(/^\.\//, '') !== args.home.replace(/^\.\//, '') ? `home is "${user.home}" (asked "${args.home}")` : undefined,
        user.sshState !== args.sshState ? `ssh is ${user.sshState} (asked ${args.sshState})` : undefined,
      ].filter(Boolean);
      if (differences.length > 0) return { state: 'different', message: `user ${args.login} already exists with other settings: ${differences.join(', ')}` };
      return { state: 'matching', status: user.status };
    },

    /** Creates the user unless a previous attempt of this run already did; answers the task to wait for. */
    async createFtpUser(args: { run: RunSecretRef; serviceName: string; login: string; home: string; sshState: string; password?: string }) {
      const existing = await findUser(args.serviceName, args.login);
      if (existing) return { taskId: existing.status === 'created' ? undefined : (existing.taskId ?? undefined) };
      const task = await ovhCall(() =>
        ovh.createUser(args.serviceName, {
          login: args.login,
          home: args.home,
          sshState: args.sshState,
          password: args.password ?? generated(args.run, args.login),
        }),
      );
      return { taskId: task.id };
    },

    async generatedFtpPassword(args: { run: RunSecretRef; login: string }): Promise<string> {
      return generated(args.run, args.login);
    },

    /** Before changing or deleting a user: the service is active and the user exists; answers it as it is. */
    async preflightExistingFtpUser(args: { serviceName: string; login: string }): Promise<FtpUserView> {
      await activeService(ovh, args.serviceName);
      const user = await findUser(args.serviceName, args.login);
      if (!user) throw permanentFailure(FAILURE_TYPES.notFound, `FTP/SSH user "${args.login}" not found on ${args.serviceName}`);
      return viewOf(user);
    },

    /**
     * Changes the user's home and/or SSH access, unless it already has them. `PUT` answers nothing: the change runs as
     * a task, read back from the user's `taskId`. A user busy with a task (this run's earlier attempt, or anyone's) is
     * waited for rather than written to: the wait's result is checked again by the workflow.
     */
    async updateFtpUser(args: { serviceName: string; login: string; home?: string; sshState?: string }): Promise<{ taskId?: number; changed: boolean }> {
      const user = await findUser(args.serviceName, args.login);
      if (!user) throw permanentFailure(FAILURE_TYPES.notFound, `FTP/SSH user "${args.login}" not found on ${args.serviceName}`);
      if (user.status !== 'created') {
        if (user.taskId) return { taskId: user.taskId, changed: true };
        throw stillPending(`user ${args.login} is ${user.status}`);
      }
      const changes = {
        ...(args.home !== undefined && sameHome(user.home, args.home) === false ? { home: args.home } : {}),
        ...(args.sshState !== undefined && user.sshState !== args.sshState ? { sshState: args.sshState } : {}),
      };
      if (Object.keys(changes).length === 0) return { changed: false };
      await ovhCall(() => ovh.updateUser(args.serviceName, args.login, changes));
      const after = await findUser(args.serviceName, args.login);
      return { ...(after?.taskId ? { taskId: after.taskId } : {}), changed: true };
    },

    /** The user as it is now (after a change), or undefined when it is gone. */
    async readFtpUser(args: { serviceName: string; login: string }): Promise<FtpUserView | undefined> {
      const user = await findUser(args.serviceName, args.login);
      return user ? viewOf(user) : undefined;
    },
  };
}

const sameHome = (a: string, b: string) => a.replace(/^\.\//, '').replace(/\/+$/, '') === b.replace(/^\.\//, '').replace(/\/+$/, '');

function viewOf(user: { login: string; home: string; sshState: string; state: string; isPrimaryAccount: boolean }): FtpUserView {
  return { login: user.login, home: user.home, sshState: user.sshState, state: user.state, isPrimaryAccount: user.isPrimaryAccount };
}
