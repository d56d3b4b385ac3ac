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
