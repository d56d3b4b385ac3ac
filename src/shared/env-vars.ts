// setEnvVars' steps, plan, result and workflow id: a hosting's environment variables (`/hosting/web/{serviceName}/envVar`)
// brought to what was asked. Workflow-safe: no I/O, no zod.
import type { EnvVarSetting } from './inputs/env-vars.js';
import type { EnvVarType } from './inputs/ovh-enums.js';

export const ENV_VAR_STEPS = [{ name: 'apply', title: "Write the variables that differ, wait for OVH's tasks, check" }] as const;

/** What a password variable's value is shown as, everywhere outside OVH. */
export const MASKED_VALUE = '********';

/** A variable as OVH has it. The value of a `password` one is a secret: it travels only in encrypted payloads. */
export interface EnvVarState {
  name: string;
  type: EnvVarType;
  value: string;
  status: string;
  taskId?: number;
}

/** What a variable must be: a type and a value, or absent (`null`). */
export type EnvVarTarget = { type: EnvVarType; value: string } | null;

export interface EnvVarChange {
  name: string;
  /** `replace`: the type changes, which OVH only does by deleting the variable and creating it again. */
  action: 'create' | 'update' | 'replace' | 'delete';
  before: EnvVarTarget;
  after: EnvVarTarget;
}

/** The variables asked for that OVH does not have yet, in the order they were asked. */
export function envVarChanges(current: readonly EnvVarState[], set: readonly EnvVarSetting[], unset: readonly string[]): EnvVarChange[] {
  const now = new Map(current.map((state) => [state.name, { type: state.type, value: state.value }]));
  const changes: EnvVarChange[] = [];
  for (const { name, type, value } of set) {
    const before = now.get(name) ?? null;
    const after = { type, value };
    if (before === null) changes.push({ name, action: 'create', before, after });
    else if (before.type !== type) changes.push({ name, action: 'replace', before, after });
    else if (before.value !== value) changes.push({ name, action: 'update', before, after });
  }
  for (const name of unset) {
    const before = now.get(name);
    if (before) changes.push({ name, action: 'delete', before, after: null });
  }
  return changes;
}

/** Whether a variable OVH has is the target (absent included). */
export function matchesTarget(state: Pick<EnvVarState, 'type' | 'value'> | undefined, target: EnvVarTarget): boolean {
  if (target === null) return state === undefined;
  return state !== undefined && state.type === target.type && state.value === target.value;
}

/** A value as a run's result, progress or a listing may show it: a password's never. */
export function shownValue(type: EnvVarType, value: string): string {
  return type === 'password' ? MASKED_VALUE : value;
}

/** One variable in a run's result: its value masked when it is a password. */
export interface EnvVarResultEntry {
  name: string;
  action: EnvVarChange['action'] | 'unchanged';
  type?: EnvVarType;
  value?: string;
  /** For a replace: the type it had. */
  previousType?: EnvVarType;
}

export interface EnsureEnvVarsResult {
  serviceName: string;
  /** False when OVH already had every asked variable: nothing was written. */
  changed: boolean;
  variables: EnvVarResultEntry[];
}

/** Each request is its own run (the same variables asked twice: the second finds nothing to change). */
export function envVarsWorkflowId(serviceName: string, requestId: string): string {
  return `set-env-vars/${serviceName}/${requestId}`;
}
