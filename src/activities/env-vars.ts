// A hosting's environment variables as setEnvVars reads and writes them. Each write is an ensure: it reads the
// variable first, so a write whose answer was lost is found on the variable (busy with its task, which is adopted,
// or already done) and never sent twice. A `password` value is registered for redaction by value as soon as this
// process holds it: it may leave the worker only inside an encrypted payload.
import { ApplicationFailure } from '@temporalio/common';
import type { OvhClient } from '../ovh/client.js';
import type { EnvVar } from '../ovh/types.js';
import { registerSecretValue } from '../logging/secret-values.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import { matchesTarget, type EnvVarState, type EnvVarTarget } from '../shared/env-vars.js';
import { ovhCall } from './failures.js';

/** One step of a variable towards its target. `busy`: a task works on it (ours, whose answer was lost, or another). */
export type EnvVarStep =
  | { outcome: 'in-place' }
  | { outcome: 'written'; write: 'create' | 'update' | 'delete'; taskId: number; expect: 'present' | 'absent' }
  | { outcome: 'busy'; status: string; taskId?: number; expect: 'present' | 'absent' };

function stateOf(found: EnvVar): EnvVarState {
  if (found.type === 'password') registerSecretValue(found.value);
  return { name: found.key, type: found.type, value: found.value, status: found.status, ...(found.taskId ? { taskId: found.taskId } : {}) };
}

export function createEnvVarActivities({ ovh }: { ovh: OvhClient }) {
  /** The variable, or undefined when OVH has none by that name. */
  async function envVarNamed(serviceName: string, name: string): Promise<EnvVarState | undefined> {
    try {
      return stateOf(await ovhCall(() => ovh.getEnvVar(serviceName, name)));
    } catch (error) {
      if (error instanceof ApplicationFailure && error.type === FAILURE_TYPES.notFound) return undefined;
      throw error;
    }
  }

  return {
    /** The named variables OVH has (absent ones are left out), with their values: the workflow compares and restores them. */
    async readEnvVars(args: { serviceName: string; names: string[] }): Promise<EnvVarState[]> {
      const names = new Set(await ovhCall(() => ovh.listEnvVars(args.serviceName)));
      const found = await Promise.all(args.names.filter((name) => names.has(name)).map((name) => envVarNamed(args.serviceName, name)));
      return found.filter((state): state is EnvVarState => state !== undefined);
    },

    /**
     * Makes at most one write towards `to` (a type and value, or absent): nothing when the variable already is it,
     * the task to wait for when one works on it, else a create, a value change, or a delete (a new type is a delete
     * now and a create on the next call). The caller waits for the answered task and calls again until `in-place`.
     */
    async stepEnvVarTowards(args: { serviceName: string; name: string; to: EnvVarTarget }): Promise<EnvVarStep> {
      const { serviceName, name, to } = args;
      if (to?.type === 'password') registerSecretValue(to.value);
      const now = await envVarNamed(serviceName, name);
      if (now && now.status !== 'created') {
        return { outcome: 'busy', status: now.status, ...(now.taskId ? { taskId: now.taskId } : {}), expect: now.status === 'deleting' ? 'absent' : 'present' };
      }
      if (matchesTarget(now, to)) return { outcome: 'in-place' };
      if (now && (to === null || now.type !== to.type)) {
        return { outcome: 'written', write: 'delete', taskId: (await ovhCall(() => ovh.deleteEnvVar(serviceName, name))).id, expect: 'absent' };
      }
      if (to === null) return { outcome: 'in-place' };
      if (!now) {
        return { outcome: 'written', write: 'create', taskId: (await ovhCall(() => ovh.createEnvVar(serviceName, { key: name, type: to.type, value: to.value }))).id, expect: 'present' };
      }
      return { outcome: 'written', write: 'update', taskId: (await ovhCall(() => ovh.updateEnvVar(serviceName, name, to.value))).id, expect: 'present' };
    },
  };
}
