// `.ovhconfig` per folder (2026 schema): which PHP engine and version, environment, HTTP firewall and container a
// site runs with. OVH only changes a file it knows (found by `ovhConfigRefresh`, or the home's own); a change is an
// `ovhConfig/update` task that keeps the replaced configuration as a `historical` one, and `rollback` goes back to
// such a one through an `ovhConfig/rollback` task. The version must be one the offer offers (`ovhConfigCapabilities`).
import { apiErrors } from '../http/ovh-errors.js';
import type { ServedOperation } from '../schema/served-operations.js';
import { OFFERS, phpContainers } from '../state/offers.js';
import type { HostingService, OvhConfigRecord } from '../state/records.js';
import { answerTask, requireIdle, requireRecord, requireService, requireWritableService, startTask, type Handler, type HandlerContext } from './handler-context.js';
import { ovhConfigView } from './views.js';

/** The folder as OVH compares it: relative to the home, without `./` or slashes around it. */
export function normalizeConfigPath(path: unknown): string {
  return (typeof path === 'string' ? path : '').replace(/^\.\/?/, '').replace(/^\/+|\/+$/g, '');
}

function currentConfig(context: HandlerContext, service: HostingService): OvhConfigRecord {
  const record = requireRecord(service.ovhConfigs, context.path.id as number, 'id');
  if (record.historical) throw apiErrors.badRequest(`[id] The configuration ${record.id} is an old one: roll the current configuration of its folder back to it instead`);
  return record;
}

/** The offer's versions, and the containers each runs in: what a change is checked against. */
function checkAgainstOffer(service: HostingService, record: OvhConfigRecord, body: Record<string, unknown>): void {
  const version = (body.engineVersion as string | undefined) ?? record.engineVersion;
  const versions = OFFERS[service.offer].phpVersions;
  if (body.engineVersion !== undefined && !versions.includes(version)) {
    throw apiErrors.badRequest(`[engineVersion] PHP ${version} is not available on this hosting (${service.offer} offer): available versions are ${versions.join(', ')}`);
  }
  const container = (body.container as string | undefined) ?? record.container;
  if (body.container !== undefined && !phpContainers(version).includes(container)) {
    throw apiErrors.badRequest(`[container] The container ${container} cannot run PHP ${version}: use ${phpContainers(version).join(' or ')}`);
  }
}

export const ovhConfigHandlers = {
  'GET /hosting/web/{serviceName}/ovhConfig': (context) => {
    const service = requireService(context);
    // Without `historical`, the current configurations: the old ones are asked for explicitly.
    const historical = context.query.historical === true;
    const path = context.query.path === undefined ? undefined : normalizeConfigPath(context.query.path);
    return [...service.ovhConfigs.values()]
      .filter((record) => record.historical === historical && (path === undefined || record.path === path))
      .map((record) => record.id)
      .sort((a, b) => a - b);
  },

  'GET /hosting/web/{serviceName}/ovhConfig/{id}': (context) => {
    const service = requireService(context);
    return ovhConfigView(requireRecord(service.ovhConfigs, context.path.id as number, 'id'));
  },

  'POST /hosting/web/{serviceName}/ovhConfig/{id}/changeConfiguration': (context) => {
    const service = requireWritableService(context);
    const record = currentConfig(context, service);
    requireIdle(record, `configuration ${record.id} (${record.path || 'home'})`);
    checkAgainstOffer(service, record, context.body);
    const changes = Object.fromEntries(
      (['engineName', 'engineVersion', 'environment', 'httpFirewall', 'container'] as const).flatMap((key) => (context.body[key] === undefined ? [] : [[key, context.body[key]]])),
    );
    const task = startTask(context, service, { function: 'ovhConfig/update', objectType: 'OvhConfig', objectId: String(record.id), subject: String(record.id), changes });
    record.status = 'updating';
    record.taskId = task.id;
    return answerTask(context, task);
  },

  'POST /hosting/web/{serviceName}/ovhConfig/{id}/rollback': (context) => {
    const service = requireWritableService(context);
    const record = currentConfig(context, service);
    const rollbackId = context.body.rollbackId as number;
    const target = service.ovhConfigs.get(rollbackId);
    if (!target || !target.historical || target.path !== record.path) {
      throw apiErrors.badRequest(`[rollbackId] ${rollbackId} is not an old configuration of the folder of configuration ${record.id}`);
    }
    requireIdle(record, `configuration ${record.id} (${record.path || 'home'})`);
    const task = startTask(context, service, { function: 'ovhConfig/rollback', objectType: 'OvhConfig', objectId: String(record.id), subject: String(record.id), changes: { rollbackId } });
    record.status = 'rollbacking';
    record.taskId = task.id;
    return answerTask(context, task);
  },

  'POST /hosting/web/{serviceName}/ovhConfigRefresh': (context) => {
    const service = requireWritableService(context);
    return answerTask(context, startTask(context, service, { function: 'ovhConfig/refresh', objectType: 'OvhConfig', objectId: null, subject: '' }));
  },

  'GET /hosting/web/{serviceName}/ovhConfigCapabilities': (context) => {
    const service = requireService(context);
    return OFFERS[service.offer].phpVersions.map((version) => ({ containerImage: phpContainers(version), version }));
  },

  'GET /hosting/web/{serviceName}/ovhConfigRecommendedValues': (context) => {
    const service = requireService(context);
    const versions = OFFERS[service.offer].phpVersions;
    // The newest version out of beta that the offer has (8.5 is still beta).
    const engineVersion = [...versions].reverse().find((version) => version !== '8.5') ?? versions[0];
    return { container: 'stable64', engineName: 'php', engineVersion, environment: 'production', httpFirewall: 'none' };
  },
} satisfies Partial<Record<ServedOperation, Handler>>;
