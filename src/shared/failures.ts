// Stable failure type names: activities throw them, workflows branch on them, operators read them.

export const FAILURE_TYPES = {
  badRequest: 'OvhBadRequest',
  forbidden: 'OvhForbidden',
  invalidCredentials: 'OvhInvalidCredentials',
  notFound: 'OvhNotFound',
  conflict: 'OvhConflict',
  rateLimited: 'OvhRateLimited',
  serverError: 'OvhServerError',
  network: 'OvhNetwork',
  /** The OVH task is still running: retried by the waiting activity's retry policy (that is the polling). */
  taskPending: 'OvhTaskPending',
  taskCancelled: 'OvhTaskCancelled',
  /** The task finished but the resource did not reach its final state. */
  resourceNotReady: 'OvhResourceNotReady',
  stepDeadlineExceeded: 'StepDeadlineExceeded',
  /** A resource exists with settings other than the ones asked for. */
  settingsConflict: 'OvhflowSettingsConflict',
  /** The hosting service cannot take this run (state, quota, offer). */
  preconditionFailed: 'OvhflowPreconditionFailed',
  invalidInput: 'OvhflowInvalidInput',
  /** A restore (or another destructive run) waits for an explicit go-ahead. */
  confirmationRequired: 'OvhflowConfirmationRequired',
  /** A hosting's custom certificate does not cover a new domain, and OVH cannot regenerate a custom certificate. */
  customCertificateUncovered: 'OvhflowCustomCertificateUncovered',
  /** How a run that an operator aborted ends, after its compensations ran. */
  runAborted: 'OvhflowRunAborted',
  /** The run waits for the domain's DNS to point at the hosting (records to create elsewhere): not a failure. */
  waitingForDns: 'OvhflowWaitingForDns',
  /** The run names an OVH account this worker has no credentials for. */
  unknownAccount: 'OvhflowUnknownAccount',
  /**
   * The run refused on purpose before writing anything: what it was asked would break something (a database a CMS
   * uses) or is never allowed (deleting the hosting's primary FTP login). Start it again with the flag the message names.
   */
  refused: 'OvhflowRefused',
  /** OVH ran a Git deployment and it failed: its log lines are in the message; retry deploys again. */
  deploymentFailed: 'OvhDeploymentFailed',
  /** A path ovhflow's own code should never reach (e.g. a step that cannot be skipped came back skipped). */
  bug: 'OvhflowBug',
} as const;

export type FailureType = (typeof FAILURE_TYPES)[keyof typeof FAILURE_TYPES];

export interface FailureDetails {
  ovhMessage?: string;
  queryId?: string;
  httpStatus?: number;
  call?: string;
  hint?: string;
}

/** What an operator should check, by failure type. */
export const HINTS: Record<string, string> = {
  OvhBadRequest: 'OVH refused the request as invalid: check the inputs of this step, then retry with --set to correct them.',
  OvhForbidden: 'The consumer key may not make this call, or the service forbids it: check `ovhflow credentials check` and the service state.',
  OvhInvalidCredentials: 'The OVH application key, secret or consumer key is wrong or expired: fix the worker configuration, then retry.',
  OvhNotFound: 'Something this step needs does not exist (service, database, dump...): check the names, then retry or skip.',
  OvhConflict: 'OVH reports a conflict (already exists, or busy): check the resource in the Control Panel, then retry or skip.',
  OvhTaskCancelled: 'OVH cancelled its task: check the resource in the Control Panel (or ask OVH support with the query id), then retry.',
  OvhResourceNotReady: 'The OVH task ended but the resource is not in its final state: check it in the Control Panel, then retry.',
  StepDeadlineExceeded: 'The OVH task did not finish before the step deadline: check the task in the Control Panel, then retry to wait again.',
  OvhflowSettingsConflict: 'A resource with this name already exists with other settings: retry with --set to use other settings, or skip to keep it.',
  OvhflowPreconditionFailed: 'The hosting service cannot take this run now (state or offer quota): fix it, then retry.',
  OvhflowInvalidInput: 'An input is invalid: retry with --set key=value to correct it.',
  OvhflowWaitingForDns:
    'Create the records listed at the DNS provider of the domain; the run re-checks by itself with backoff. `retry` re-checks now, `skip` goes on without it (the certificate may then leave the domain out), `abort` undoes the run.',
  OvhflowCustomCertificateUncovered:
    'Either install a custom certificate that also covers this domain (`ovhflow renew-cert --service S --certificate FILE --key FILE`), then retry; or skip to leave HTTPS off for this domain.',
  OvhflowUnknownAccount: 'The run names an OVH account this worker does not have: add it to the OVHFLOW_ACCOUNTS_FILE of every worker, restart them, then retry.',
  OvhDeploymentFailed: "OVH's deployment log is above: fix the repository or branch (or the link's access to it), then retry to deploy again; abort removes a link this run created.",
  OvhflowRefused: 'Nothing was changed: read why above; start the run again with the flag it names only if you accept the consequence.',
};
