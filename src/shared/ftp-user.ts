// createFtpUser's steps, result and business key.
import type { CreateFtpUserInput } from './inputs/index.js';

export const FTP_USER_STEPS = [
  { name: 'preflight', title: 'Check the service and login' },
  { name: 'createUser', title: 'Create the FTP/SSH user' },
] as const;

export function ftpUserWorkflowId(input: Pick<CreateFtpUserInput, 'serviceName' | 'login'>): string {
  return `create-ftp-user/${input.serviceName}/${input.login}`;
}

export interface CreateFtpUserResult {
  serviceName: string;
  login: string;
  home: string;
  sshState: string;
  /** Generated when the input gave none; delivered once, in this (encrypted) result. */
  password?: string;
  adopted: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// updateFtpUser and deleteFtpUser

export const FTP_USER_UPDATE_STEPS = [
  { name: 'preflight', title: 'Check the service and user' },
  { name: 'updateUser', title: 'Change the FTP/SSH user' },
] as const;

export const FTP_USER_DELETE_STEPS = [
  { name: 'preflight', title: 'Check the service and user' },
  { name: 'confirm', title: 'Confirm the deletion' },
  { name: 'deleteUser', title: 'Delete the FTP/SSH user' },
] as const;

/** One change per service, login and request id (the CLI's default is the current minute: a double click dedupes). */
export function ftpUserUpdateWorkflowId(input: { serviceName: string; login: string }, requestId: string): string {
  return `update-ftp-user/${input.serviceName}/${input.login}/${requestId}`;
}

export function ftpUserDeleteWorkflowId(input: { serviceName: string; login: string }, requestId: string): string {
  return `delete-ftp-user/${input.serviceName}/${input.login}/${requestId}`;
}

/** A user as the runs show it (never a password: OVH does not send them back). */
export interface FtpUserView {
  login: string;
  home: string;
  sshState: string;
  state: string;
  isPrimaryAccount: boolean;
}

export interface UpdateFtpUserResult {
  serviceName: string;
  login: string;
  before: { home: string; sshState: string };
  after: { home: string; sshState: string };
  /** Nothing to change: the user already had these settings. */
  unchanged: boolean;
}

export interface DeleteFtpUserResult {
  serviceName: string;
  /** What was deleted, as it was just before. */
  deleted: FtpUserView;
  /** The user was already gone when the run got to it (a retry, or someone else). */
  alreadyGone: boolean;
  confirmedBy: 'input' | 'update';
}
