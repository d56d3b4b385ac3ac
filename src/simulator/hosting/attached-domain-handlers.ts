// Attached domains (multisite): a domain can be attached to one hosting only; each offer allows so many. A domain
// outside the account's own zones must prove ownership (`ovhcontrol` TXT = the hosting's token) when its DNS is
// modelled. Every option of `hosting.web.AttachedDomain` is taken: `runtimeId` must be a runtime of the hosting,
// `ownLog` an attached domain; without `bypassDNSConfiguration`, OVH points the domain's records in the account's
// zone at the hosting when the task is done. `PUT` changes options through an `attachedDomain/update` task.
import { digStatusView, ownershipProblem } from '../dns/domain-checks.js';
import { apiErrors } from '../http/ovh-errors.js';
import type { ServedOperation } from '../schema/served-operations.js';
import { OFFERS } from '../state/offers.js';
import type { AttachedDomainRecord, HostingService } from '../state/records.js';
import {
  answerTask,
  requireIdle,
  requireRecord,
  requireService,
  requireWritableService,
  startTask,
  type Handler,
} from './handler-context.js';
import { matchesLike, normalizeDomain, normalizeRelativePath } from './rules.js';
import { attachedDomainView } from './views.js';

/** The options both POST and PUT take, checked against the hosting; returns them as the record spells them. */
function checkOptions(service: HostingService, domain: string, body: Record<string, unknown>): Partial<AttachedDomainRecord> {
  const options: Partial<AttachedDomainRecord> = {};
  if (body.path !== undefined && body.path !== null) options.path = normalizeRelativePath(body.path as string, 'path');
  if (body.ssl !== undefined && body.ssl !== null) options.ssl = body.ssl as boolean;
  if (body.cdn !== undefined && body.cdn !== null) options.cdn = body.cdn as AttachedDomainRecord['cdn'];
  if (body.firewall !== undefined && body.firewall !== null) options.firewall = body.firewall as AttachedDomainRecord['firewall'];
  if (body.ipLocation !== undefined) options.ipLocation = (body.ipLocation as string | null) ?? null;
  if (body.runtimeId !== undefined) {
    const runtimeId = (body.runtimeId as number | null) ?? null;
    if (runtimeId !== null && !service.runtimes.has(runtimeId)) throw apiErrors.badRequest(`[runtimeId] The runtime ${runtimeId} does not exist on this hosting`);
    options.runtimeId = runtimeId;
  }
  if (body.ownLog !== undefined) {
    const ownLog = body.ownLog === null || body.ownLog === '' ? null : normalizeDomain(body.ownLog as string, 'ownLog');
    if (ownLog !== null && ownLog !== domain && !service.attachedDomains.has(ownLog)) {
      throw apiErrors.badRequest(`[ownLog] ${ownLog} is not attached to this hosting: logs can only be separated on an attached domain`);
    }
    options.ownLog = ownLog;
  }
  return options;
}

export const attachedDomainHandlers = {
  'GET /hosting/web/{serviceName}/attachedDomain': (context) => {
    const service = requireService(context);
    return [...service.attachedDomains.values()]
      .filter((record) => matchesLike(record.domain, context.query.domain) && matchesLike(record.path, context.query.path))
      .map((record) => record.domain)
      .sort();
  },

  'POST /hosting/web/{serviceName}/attachedDomain': (context) => {
    const service = requireWritableService(context);
    const { body, core } = context;
    if (typeof body.domain !== 'string' || body.domain === '') throw apiErrors.badRequest('[domain] Missing parameter');
    const domain = normalizeDomain(body.domain, 'domain');
    const options = checkOptions(service, domain, body);
    for (const other of core.state.services.values()) {
      if (other.attachedDomains.has(domain)) {
        const where = other === service ? 'this hosting' : 'another hosting';
        throw apiErrors.conflict(`The domain ${domain} is already attached to ${where}`);
      }
    }
    const limit = OFFERS[service.offer].attachedDomains;
    if (service.attachedDomains.size >= limit) {
      throw apiErrors.forbidden(`You have reached the maximum number of attached domains of the ${service.offer} offer (${limit})`);
    }
    const notOwned = ownershipProblem(core, service, domain, context.now);
    if (notOwned) throw apiErrors.forbidden(notOwned);
    const task = startTask(context, service, {
      function: 'attachedDomain/create',
      objectType: 'AttachedDomain',
      objectId: domain,
      subject: domain,
      changes: { bypassDNSConfiguration: body.bypassDNSConfiguration === true },
    });
    const record: AttachedDomainRecord = {
      domain,
      path: options.path ?? 'www',
      ssl: options.ssl ?? false,
      cdn: options.cdn ?? 'none',
      firewall: options.firewall ?? 'none',
      ipLocation: options.ipLocation ?? null,
      ownLog: options.ownLog ?? null,
      runtimeId: options.runtimeId ?? null,
      status: 'creating',
      taskId: task.id,
    };
    service.attachedDomains.set(domain, record);
    return answerTask(context, task);
  },

  'GET /hosting/web/{serviceName}/attachedDomain/{domain}': (context) => {
    const service = requireService(context);
    return attachedDomainView(requireRecord(service.attachedDomains, String(context.path.domain).toLowerCase(), 'domain'), service);
  },

  'PUT /hosting/web/{serviceName}/attachedDomain/{domain}': (context) => {
    const service = requireWritableService(context);
    const record = requireRecord(service.attachedDomains, String(context.path.domain).toLowerCase(), 'domain');
    const { body } = context;
    if (typeof body.domain === 'string' && body.domain !== '' && normalizeDomain(body.domain, 'domain') !== record.domain) {
      throw apiErrors.badRequest('[domain] The domain of an attached domain cannot be changed: detach it and attach the new one');
    }
    requireIdle(record, `attached domain ${record.domain}`);
    const changes = checkOptions(service, record.domain, body);
    const task = startTask(context, service, {
      function: 'attachedDomain/update',
      objectType: 'AttachedDomain',
      objectId: record.domain,
      subject: record.domain,
      changes: { ...changes, bypassDNSConfiguration: body.bypassDNSConfiguration === true },
    });
    record.status = 'updating';
    record.taskId = task.id;
    return null;
  },

  'GET /hosting/web/{serviceName}/attachedDomain/{domain}/digStatus': (context) => {
    const service = requireService(context);
    const record = requireRecord(service.attachedDomains, String(context.path.domain).toLowerCase(), 'domain');
    return digStatusView(context.core, service, record, context.now);
  },

  'DELETE /hosting/web/{serviceName}/attachedDomain/{domain}': (context) => {
    const service = requireWritableService(context);
    const record = requireRecord(service.attachedDomains, String(context.path.domain).toLowerCase(), 'domain');
    requireIdle(record, `attached domain ${record.domain}`);
    const task = startTask(context, service, { function: 'attachedDomain/delete', objectType: 'AttachedDomain', objectId: record.domain, subject: record.domain });
    record.status = 'deleting';
    record.taskId = task.id;
    return answerTask(context, task);
  },
} satisfies Partial<Record<ServedOperation, Handler>>;
