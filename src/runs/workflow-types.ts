// Which workflow each run type is, in one table the compiler checks: a new run type without its workflow, or a
// renamed workflow, breaks the build instead of a start call at run time. Runs are started by function
// (`client.workflow.start(provisionSite, …)`), so their arguments are type-checked too.
import type { Workflow } from '@temporalio/common';
import type { RunType } from '../shared/runs.js';
import { backupDatabase, createFtpUser, decommissionSite, nightlyDumps, provisionSite, renewCertificate, restoreDatabase, updateAttachedDomain } from '../workflows/index.js';

export const RUN_WORKFLOWS = {
  provision: provisionSite,
  backup: backupDatabase,
  restore: restoreDatabase,
  nightly: nightlyDumps,
  'ftp-user': createFtpUser,
  'renew-cert': renewCertificate,
  decommission: decommissionSite,
  'update-domain': updateAttachedDomain,
} as const satisfies Record<RunType, Workflow>;

/** The run type of a workflow type name (what Temporal records), for runs listed or described. */
export const RUN_TYPE_OF_WORKFLOW: Readonly<Record<string, RunType>> = Object.fromEntries(
  Object.entries(RUN_WORKFLOWS).map(([runType, workflow]) => [workflow.name, runType as RunType]),
);
