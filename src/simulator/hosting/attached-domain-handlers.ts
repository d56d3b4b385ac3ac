// Attached domains (multisite): a domain can be attached to one hosting only; each offer allows so many.
import { apiErrors } from '../http/ovh-errors.js';
import type { ServedOperation } from '../schema/served-operations.js';
import { OFFERS } from '../state/offers.js';
import type { AttachedDomainRecord } from '../state/records.js';
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
    const path = normalizeRelativePath((body.path as string | undefined) ?? 'www', 'path');
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
    const task = startTask(context, service, { function: 'attachedDomain/create', objectType: 'AttachedDomain', objectId: domain, subject: domain });
    const record: AttachedDomainRecord = {
      domain,
      path,
      ssl: body.ssl === true,
      cdn: (body.cdn as AttachedDomainRecord['cdn'] | undefined) ?? 'none',
      firewall: (body.firewall as AttachedDomainRecord['firewall'] | undefined) ?? 'none',
      ipLocation: (body.ipLocation as string | undefined) ?? null,
      ownLog: (body.ownLog as string | undefined) ?? null,
      runtimeId: (body.runtimeId as number | undefined) ?? null,
      status: 'creating',
      taskId: task.id,
    };
    service.attachedDomains.set(domain, record);
    return answerTask(context, task);
  },

  'GET /hosting/web/{serviceName}/attachedDomain/{domain}': (context) => {
    const service = requireService(context);
    return attachedDomainView(requireRecord(service.attachedDomains, String(context.path.domain).toLowerCase(), 'domain'));
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
