// Fleets as code, as every side sees them: what the CLI and the API ask a worker to read (the `fleetRead` workflow),
// and the plan it answers. Sandbox-safe: the workflow imports these types; the file's schema (zod, YAML) lives in
// src/fleet/ and never reaches workflow code.
import type { RunType } from './runs.js';

/** The resource kinds a fleet file declares, in the order a plan lists them (src/fleet/resource-kinds.ts). */
export const RESOURCE_KIND_NAMES = ['site', 'database', 'module', 'certificate', 'php', 'git', 'cron', 'env', 'user'] as const;
export type ResourceKindName = (typeof RESOURCE_KIND_NAMES)[number];

/** `none`: as declared. `unmanaged`: exists at OVH, the file does not name it (never a removal). */
export type ResourceAction = 'create' | 'change' | 'blocked' | 'unmanaged' | 'none';

export interface FieldChange {
  field: string;
  from: string;
  to: string;
}

export interface ResourcePlan {
  kind: ResourceKindName;
  /** The natural key: a domain, a path, a database name, a login, a cron job's command, a variable's name. */
  key: string;
  action: ResourceAction;
  changes?: FieldChange[];
  /** Why it cannot be done (blocked), or what will happen. */
  reason?: string;
  /** The run kind an apply would start for it. */
  runKind?: RunType;
}

export interface SitePlan {
  account: string;
  serviceName: string;
  domain: string;
  path: string | null;
  /** The site's own action: the worst of its resources (blocked > create > change > unmanaged > none). */
  action: ResourceAction;
  resources: ResourcePlan[];
  /** What was read for this site (hash): a later apply refuses a plan whose site has changed since. */
  fingerprint: string;
}

/** Resources of a service that belong to no site of the file: FTP/SSH users, other databases and folders. */
export interface ServiceLevelPlan {
  account: string;
  serviceName: string;
  resources: ResourcePlan[];
  fingerprint: string;
}

export interface PlanSummary {
  create: number;
  change: number;
  blocked: number;
  unmanaged: number;
}

export interface ReadFailure {
  account: string;
  serviceName?: string;
  message: string;
}

export interface FleetPlan {
  summary: PlanSummary;
  sites: SitePlan[];
  services: ServiceLevelPlan[];
  /** OVH calls made to read it, in all (what bench:fleet-plan compares with the floor). */
  reads: number;
  /** What could not be read: the plan is incomplete (exit code 1). */
  failures: ReadFailure[];
}

// --- what the worker is asked, per account ----------------------------------------------------------------------

/** One service to plan: its declaration as the file has it (references only, never a secret value). */
export interface PlanServiceRequest {
  serviceName: string;
  /** The fleet file's declaration of this service (src/fleet/file.ts `FleetService`). */
  declaration: unknown;
  /** `plan --site`: only these domains are read and reported (no unmanaged report then). */
  onlySites?: string[];
}

export type FleetReadRequest =
  | { op: 'plan'; services: PlanServiceRequest[] }
  /** Every service of the account, or these. */
  | { op: 'export'; serviceNames?: string[] };

export interface ServicePlanAnswer {
  serviceName: string;
  sites: Array<Omit<SitePlan, 'account' | 'serviceName'>>;
  serviceLevel: Omit<ServiceLevelPlan, 'account' | 'serviceName'>;
  reads: number;
}

export interface ServiceExportAnswer {
  serviceName: string;
  /** A `FleetService` (src/fleet/file.ts). */
  declaration: unknown;
  reads: number;
}

export interface FleetReadResult {
  op: FleetReadRequest['op'];
  plans: ServicePlanAnswer[];
  exports: ServiceExportAnswer[];
  /** Services that could not be read, with why. */
  failures: Array<{ serviceName?: string; message: string }>;
  /** Calls made outside any service's answer (listing the account's services). */
  reads: number;
}

/** Workflow ids of fleet reads: short-lived, never a business key. */
export const FLEET_READ_WORKFLOW_PREFIX = 'fleet-read/';

/** Services read at once per account; the OVH client's rate limiter paces the calls themselves. */
export const FLEET_SERVICE_CONCURRENCY = 4;
