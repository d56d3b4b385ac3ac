// Drift on a schedule: a Temporal Schedule runs the plan of a fleet file (the `fleetDrift` workflow) and its result is
// the drift report — what differs from the file today, never what matches it. What every side shares: the schedule's
// defaults, the workflow's input and its report. Sandbox-safe.
import type { FleetFile } from '../fleet/file.js';
import type { FleetPlan, PlanSummary, ReadFailure, ServiceLevelPlan, SitePlan } from './fleet.js';

export const DEFAULT_DRIFT_SCHEDULE_ID = 'fleet-drift';
/** Early morning: the report is there when the team starts the day. */
export const DEFAULT_DRIFT_CRON = '0 6 * * *';
/** Each run's workflow id is this plus the schedule id (Temporal appends `-<scheduled time>`). */
export const DRIFT_WORKFLOW_PREFIX = 'fleet-drift/';

export interface FleetDriftInput {
  /** The fleet file as parsed (references only: a file with a secret value is refused before it gets here). */
  file: FleetFile;
  /** Where the file came from (its path when scheduled from the CLI): for the report's reader. */
  source?: string;
}

/** The workflow's result: what differs, per site, and what could not be read. Zero writes went into it. */
export interface DriftReport {
  checkedAt: string;
  source?: string;
  summary: PlanSummary;
  /** Sites with something to create, change, blocked or unmanaged; only those resources. */
  sites: SitePlan[];
  /** Resources no site of the file holds (users, other databases and folders), the same way. */
  services: ServiceLevelPlan[];
  /** Sites the file declares, all of them (the ones in `sites` differ). */
  declaredSites: number;
  failures: ReadFailure[];
  /** OVH calls made to read it: every one a GET. */
  reads: number;
}

export const hasDrift = (summary: PlanSummary): boolean => summary.create + summary.change + summary.blocked + summary.unmanaged > 0;

/** The report of a plan: what is as declared is left out, so a thousand quiet sites make a short report. */
export function driftReportOf(plan: FleetPlan, file: FleetFile, checkedAt: string, source?: string): DriftReport {
  const differing = <T extends { resources: SitePlan['resources'] }>(rows: T[]) =>
    rows.map((row) => ({ ...row, resources: row.resources.filter((r) => r.action !== 'none') })).filter((row) => row.resources.length > 0);
  return {
    checkedAt,
    ...(source !== undefined ? { source } : {}),
    summary: plan.summary,
    sites: differing(plan.sites),
    services: differing(plan.services),
    declaredSites: Object.values(file.accounts).reduce((sum, { services }) => sum + Object.values(services).reduce((n, s) => n + (s.sites?.length ?? 0), 0), 0),
    failures: plan.failures,
    reads: plan.reads,
  };
}

/** One line, for a notification and a listing: "2 to change, 1 unmanaged on 3 site(s)". */
export function driftHeadline(report: DriftReport): string {
  const { create, change, blocked, unmanaged } = report.summary;
  const parts = [create && `${create} to create`, change && `${change} to change`, blocked && `${blocked} blocked`, unmanaged && `${unmanaged} unmanaged`].filter(Boolean);
  const where = `${report.sites.length} site(s)${report.services.length > 0 ? ` and ${report.services.length} service(s)` : ''}`;
  const incomplete = report.failures.length > 0 ? `; INCOMPLETE: ${report.failures.length} part(s) of OVH could not be read` : '';
  return parts.length === 0 ? `no drift: the ${report.declaredSites} declared site(s) are as the file says${incomplete}` : `${parts.join(', ')} on ${where}${incomplete}`;
}
