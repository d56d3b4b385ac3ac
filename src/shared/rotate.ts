// rotateCredentials' steps, result and business key.
import type { RotateCredentialsInput, RotationTarget } from './inputs/rotate.js';

export const ROTATE_STEPS = [
  { name: 'preflight', title: 'Check the service and the account' },
  { name: 'changePassword', title: 'Set the new password' },
] as const;

/** The account in the workflow id: a login, a database, or a module (by id, or by domain and folder). */
export function rotationSubject(target: RotationTarget): string {
  switch (target.kind) {
    case 'ftp-user':
      return `ftp-user/${target.login}`;
    case 'database':
      return `database/${target.name}`;
    case 'module':
      return target.id !== undefined ? `module/${target.id}` : `module/${target.domain}${target.path ? `/${target.path}` : ''}`;
  }
}

/** One rotation per account and request id (the CLI's default is the current minute: a double click dedupes). */
export function rotateWorkflowId(input: RotateCredentialsInput, requestId: string): string {
  return `rotate-credentials/${input.serviceName}/${rotationSubject(input.target)}/${requestId}`;
}

/** The account preflight found, with what the rotation needs to find it and its task again. */
export type ResolvedRotationTarget =
  | { kind: 'ftp-user'; login: string; isPrimaryAccount: boolean }
  | { kind: 'module'; id: number; domain: string; path: string; adminName: string; url: string }
  | { kind: 'database'; name: string; user: string; server: string; port: number };

/** A module whose CMS connects with a database's user: what breaks when that password changes. */
export interface DatabaseUser {
  moduleId: number;
  url: string;
}

export interface RotationPreflight {
  target: ResolvedRotationTarget;
  /** database: the modules wired to it. */
  usedBy: DatabaseUser[];
  /** The OVH tasks of this kind that existed before the run: a newer one for this account is this run's own. */
  preexistingTasks: number[];
  secretKeyId: string;
}

export interface RotateCredentialsResult {
  serviceName: string;
  target: ResolvedRotationTarget;
  /** The new password (FTP/SSH user, database). Delivered once, in this (encrypted) result. */
  password?: string;
  /**
   * `result`: the password is in this result. `emailed-by-ovh`: OVH's API takes no password for a module's admin — it
   * generates one and e-mails it to the account's contact.
   */
  passwordDelivery: 'result' | 'emailed-by-ovh';
  /** database: the CMSs still configured with the old password (rotated with evenIfUsedByCms): update them now. */
  usedBy?: DatabaseUser[];
  /** The change task OVH ran. */
  taskId?: number;
}

/**
 * Why `rotate module` is refused before anything starts: OVH removed `POST /hosting/web/{serviceName}/module/{id}/
 * changePassword` (absent from the 2026 schema, nothing replaces it), so only the CMS itself can set its admin's
 * password now. A run started before that still replays; its change step refuses instead of calling the removed
 * operation.
 */
export const MODULE_PASSWORD_NOT_ROTATABLE =
  "OVH's API no longer changes a module's admin password (POST /hosting/web/{serviceName}/module/{id}/changePassword was removed in 2026, with no replacement). " +
  'Change it in the CMS itself: its "lost password" link on the login page (e.g. /wp-admin for WordPress, /administrator for Joomla, /user/password for Drupal, ' +
  "the back office for PrestaShop) e-mails a reset link to the admin's address; or, once logged in, in the admin's profile.";

/** What a task of each kind is called at OVH (module/changePassword: runs started before OVH removed the call). */
export const CHANGE_PASSWORD_TASK: Record<RotationTarget['kind'], string> = {
  'ftp-user': 'user/changePassword',
  module: 'module/changePassword',
  database: 'database/changePassword',
};
