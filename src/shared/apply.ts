// Applying a fleet plan, as every side sees it: the parent run (`applyFleet`) gets the plan's changes already turned
// into the inputs of the run kinds that exist (provision, update-domain, php, ftp-user, decommission, …), grouped per
// site, and starts one child run per change. Sandbox-safe: the workflow imports these types; the plan → inputs
// mapping (zod, secrets) lives in src/fleet/apply-items.ts on the CLI/API side.
import type { AccountNames } from './accounts.js';
import type { RunSettings } from './hosting-tasks.js';
import type { RunType } from './runs.js';

/** One child run: a run kind, its parsed input (secrets included: payloads are encrypted by the codec), its key. */
export interface ApplyChange {
  runType: RunType;
  /** The run kind's parsed input. */
  input: unknown;
  /**
   * The child's request id: a hash of account, service, site, run kind and the change itself, so the same change
   * planned again (an interrupted apply, a second apply while the first child still runs) finds the same run.
   */
  requestId: string;
  /** What it does, in words (names and values, never a secret): "cdn: none → active". */
  what: string;
}

/** A site's (or a service-level resource's) changes, applied one after the other: two runs never race on one site. */
export interface ApplyTask {
  account: string;
  serviceName: string;
  /** The site's domain, or the service-level resource ("user demo-dev", "folder www/x"). */
  subject: string;
  changes: ApplyChange[];
}

export type ApplyOutcomeStatus = 'done' | 'failed' | 'needs-attention';

export interface ApplyOutcome {
  account: string;
  serviceName: string;
  subject: string;
  runType: RunType;
  what: string;
  workflowId: string;
  status: ApplyOutcomeStatus;
  /** The child was found (started by an earlier attempt or apply), not started by this one. */
  found?: boolean;
  /** Why it failed or what it waits for, and what to do. */
  reason?: string;
}

export interface ApplyReport {
  done: ApplyOutcome[];
  failed: ApplyOutcome[];
  needsAttention: ApplyOutcome[];
}

export interface ApplyFleetInput {
  tasks: ApplyTask[];
  /** Child runs at once per account. */
  parallel: number;
  /** The configured account names (never a credential): a child's workflow id is scoped to its account. */
  accounts: AccountNames;
  /** When the apply began (ISO): a child of the same id that ended before it is an older apply's, and runs again. */
  startedAt?: string;
  /** Carried over by continue-as-new: what earlier executions of this apply reported. */
  report?: ApplyReport;
  /** Children started so far by earlier executions of this apply (continue-as-new). */
  childrenSoFar?: number;
  /** Children one execution starts before it continues as new (default {@link APPLY_CHILDREN_PER_EXECUTION}). */
  childrenPerExecution?: number;
}

export interface ApplyFleetResult extends ApplyReport {
  totals: { changes: number; done: number; failed: number; needsAttention: number };
}

/** What the start activity is asked: one child, in its account, with the parent's settings. */
export interface StartApplyChildRequest {
  account: string;
  accounts: AccountNames;
  runType: RunType;
  input: unknown;
  requestId: string;
  settings: RunSettings;
  startedAt: string;
}

export interface ApplyChildRef {
  workflowId: string;
  found: boolean;
}

/** How a child stands, once it no longer runs on its own. */
export interface ApplyChildState {
  status: ApplyOutcomeStatus;
  reason?: string;
}

export const APPLY_STEPS = [{ name: 'applyAll', title: 'Start and follow one run per change' }] as const;

export const DEFAULT_APPLY_PARALLEL = 4;
export const MAX_APPLY_PARALLEL = 32;

/**
 * Children started by one execution of the parent before it continues as new: each child costs the parent about
 * ten history events, so a fleet of any size stays far under Temporal's history limits.
 */
export const APPLY_CHILDREN_PER_EXECUTION = 200;

export const applyFleetWorkflowId = (requestId: string) => `apply-fleet/${requestId}`;

export const emptyApplyReport = (): ApplyReport => ({ done: [], failed: [], needsAttention: [] });
