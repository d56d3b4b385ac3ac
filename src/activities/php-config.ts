// A folder's `.ovhconfig` as setPhpConfig reads and changes it: the configuration of a folder and what the hosting
// offers (preflight), the change (an ensure: a change whose answer was lost is found on the configuration, busy with
// its task, and adopted), and the rollback an aborted run makes (back to the old configuration OVH kept).
import type { OvhClient } from '../ovh/client.js';
import type { OvhConfig, OvhConfigChange } from '../ovh/types.js';
import { FAILURE_TYPES } from '../shared/failures.js';
import { folderName, phpSettingChanges, type PhpCapabilities, type PhpConfigSettings } from '../shared/php-config.js';
import { ovhCall, permanentFailure } from './failures.js';

export interface PhpConfigState {
  id: number;
  settings: PhpConfigSettings;
  status: string;
  taskId?: number;
}

function settingsOf(config: OvhConfig): PhpConfigSettings {
  const { engineName, engineVersion, environment, httpFirewall, container } = config;
  return { engineName, engineVersion, environment, httpFirewall, container };
}

/** The versions a hosting offers, each with the containers it runs in. */
export function offered(capabilities: Awaited<ReturnType<OvhClient['getOvhConfigCapabilities']>>): PhpCapabilities {
  return capabilities.flatMap((entry) => (entry.version ? [{ version: entry.version, containers: entry.containerImage ?? [] }] : []));
}

function stateOf(config: OvhConfig): PhpConfigState {
  return { id: config.id, settings: settingsOf(config), status: config.status, ...(config.taskId ? { taskId: config.taskId } : {}) };
}

/** The current `.ovhconfig` of a folder, or undefined when OVH knows none there (raw calls: the caller maps errors). */
export async function currentOvhConfigAt(ovh: OvhClient, serviceName: string, path: string): Promise<OvhConfig | undefined> {
  const ids = await ovh.listOvhConfigs(serviceName, { path });
  const configs = await Promise.all(ids.map((id) => ovh.getOvhConfig(serviceName, id)));
  return configs.find((config) => !config.historical && (config.path ?? '') === path);
}

export function createPhpConfigActivities({ ovh }: { ovh: OvhClient }) {
  /** The current configuration of a folder; none is a permanent failure that says how to get one. */
  async function configAt(serviceName: string, path: string): Promise<OvhConfig> {
    const current = await ovhCall(() => currentOvhConfigAt(ovh, serviceName, path));
    if (!current) {
      throw permanentFailure(FAILURE_TYPES.notFound, `${serviceName} has no .ovhconfig in ${folderName(path)}: OVH changes only a configuration it knows`, {
        hint: `check the folder (\`ovhflow ls php --service ${serviceName}\` lists the configured ones); a new .ovhconfig put there by FTP is found by OVH's ovhConfigRefresh. Then abort this run`,
      });
    }
    return current;
  }

  return {
    /** The folder's configuration and the hosting's PHP versions: all preflight needs, before any write. */
    async readPhpConfigPreflight(args: { serviceName: string; path: string }): Promise<{ config: PhpConfigState; capabilities: PhpCapabilities }> {
      const [config, capabilities] = await Promise.all([configAt(args.serviceName, args.path), ovhCall(() => ovh.getOvhConfigCapabilities(args.serviceName))]);
      return {
        config: stateOf(config),
        capabilities: offered(capabilities),
      };
    },

    /**
     * A new site's folder, for a provisioning that sets its PHP: its configuration and the hosting's versions, or,
     * when OVH does not know the folder's `.ovhconfig` yet, the `ovhConfigRefresh` task that looks for it (sent once:
     * `refreshed` says the run already waited for one, and then a missing file is a permanent failure that says why).
     */
    async readSitePhpConfig(args: { serviceName: string; path: string; refreshed?: boolean }): Promise<{ state: 'found'; config: PhpConfigState; capabilities: PhpCapabilities } | { state: 'refreshing'; taskId: number }> {
      const found = await ovhCall(() => currentOvhConfigAt(ovh, args.serviceName, args.path));
      if (!found && !args.refreshed) return { state: 'refreshing', taskId: (await ovhCall(() => ovh.refreshOvhConfigs(args.serviceName))).id };
      if (!found) {
        throw permanentFailure(FAILURE_TYPES.notFound, `OVH found no .ovhconfig in ${folderName(args.path)} of ${args.serviceName}, even after looking again (ovhConfigRefresh)`, {
          hint: `put a .ovhconfig file in ${folderName(args.path)} (FTP, or your Git repository), then retry this run; or skip this step to keep the hosting's PHP settings`,
        });
      }
      const capabilities = await ovhCall(() => ovh.getOvhConfigCapabilities(args.serviceName));
      return { state: 'found', config: stateOf(found), capabilities: offered(capabilities) };
    },

    async readPhpConfig(args: { serviceName: string; id: number }): Promise<PhpConfigState> {
      return stateOf(await ovhCall(() => ovh.getOvhConfig(args.serviceName, args.id)));
    },

    /**
     * Sends the change unless the configuration is already being changed (an earlier attempt whose answer was lost:
     * its task is adopted) or already has it (that task has ended). Answers the task to wait for, if any.
     */
    async changePhpConfig(args: { serviceName: string; id: number; change: OvhConfigChange }): Promise<{ taskId?: number; adopted: boolean }> {
      const now = await ovhCall(() => ovh.getOvhConfig(args.serviceName, args.id));
      if (now.status === 'updating' && now.taskId) return { taskId: now.taskId, adopted: true };
      if (phpSettingChanges(settingsOf(now), args.change).length === 0) return { adopted: true };
      const task = await ovhCall(() => ovh.changeOvhConfig(args.serviceName, args.id, args.change));
      return { taskId: task.id, adopted: false };
    },

    /**
     * Puts a configuration back to `to` once it has settled: through `rollback` to the newest old configuration OVH
     * kept with exactly those settings, or, when OVH kept none, by changing it back. Nothing to do when it already has
     * them. Answers the task to wait for.
     */
    async rollbackPhpConfig(args: { serviceName: string; id: number; path: string; to: PhpConfigSettings }): Promise<{ outcome: 'absent' } | { outcome: 'rolling-back'; taskId: number }> {
      const now = await ovhCall(() => ovh.getOvhConfig(args.serviceName, args.id));
      if (now.status === 'rollbacking' && now.taskId) return { outcome: 'rolling-back', taskId: now.taskId };
      const drift = phpSettingChanges(settingsOf(now), args.to);
      if (drift.length === 0) return { outcome: 'absent' };
      const oldIds = await ovhCall(() => ovh.listOvhConfigs(args.serviceName, { path: args.path, historical: true }));
      for (const oldId of [...oldIds].sort((a, b) => b - a)) {
        const old = await ovhCall(() => ovh.getOvhConfig(args.serviceName, oldId));
        if (phpSettingChanges(settingsOf(old), args.to).length === 0) {
          return { outcome: 'rolling-back', taskId: (await ovhCall(() => ovh.rollbackOvhConfig(args.serviceName, args.id, oldId))).id };
        }
      }
      const back = Object.fromEntries(drift.map((change) => [change.field, change.asked])) as OvhConfigChange;
      return { outcome: 'rolling-back', taskId: (await ovhCall(() => ovh.changeOvhConfig(args.serviceName, args.id, back))).id };
    },
  };
}
