// Which secrets a run derives (src/secrets/derived-passwords.ts): its own. A business-key workflow id is reused by the
// next run of the same key (a site provisioned again after a decommission, an FTP user created again, a rotation
// with a reused request id), so the id alone would hand the next run the previous run's passwords: whoever saw the
// old site's passwords could log in to the new one. The first execution's run id is fixed for the whole run (retries
// of an activity, continue-as-new, a workflow retry) and new for the next run of the key.
//
// Versioning: runs that started before this change derived from the workflow id alone and replay doing so. The patch
// can become `deprecatePatch` once no run started before it is open, and go a release later.
import { patched, workflowInfo } from '@temporalio/workflow';
import type { RunSecretRef } from '../shared/provision.js';

export const PER_RUN_SECRETS = 'ovhflow-per-run-secrets-1';

/** The reference activities derive this run's passwords from, with the secret key the run started with. */
export function runSecretRef(keyId: string): RunSecretRef {
  const info = workflowInfo();
  const runKey = patched(PER_RUN_SECRETS) ? `${info.workflowId}|run:${info.firstExecutionRunId}` : info.workflowId;
  return { runKey, keyId };
}
