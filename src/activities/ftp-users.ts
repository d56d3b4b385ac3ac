// createFtpUser's activities: the guide's FTP/SSH user section, on the real endpoint POST /hosting/web/{s}/user.
import type { OvhClient } from '../ovh/client.js';
import type { PasswordDeriver } from '../secrets/derived-passwords.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import { formatIssues, ftpLoginIssue, parseCreateFtpUserInput, type CreateFtpUserInput } from '../shared/inputs/index.js';
import type { RunSecretRef } from '../shared/provision.js';
import { ovhCall, permanentFailure } from './failures.js';
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
  };
}
