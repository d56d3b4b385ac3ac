// An attached domain's own certificate (2026: `/attachedDomain/{domain}/ssl`). `POST` (no body) orders the free
// certificate for that domain alone, so two domains of one hosting get theirs independently — no shared certificate
// to regenerate, no "busy" between them. The free provider is Let's Encrypt (SECTIGO on a hosting set so through the
// admin API). The authority validates the domain while the task runs: the domain must point at the hosting and CAA
// must let the authority issue; otherwise the task is cancelled, the certificate stays `creating` with no task, and
// `.../ssl/report` says domain control validation is `non-completed` (OVH's report names the check, not the cause).
// A hosting without `multipleSSL` (older offers) refuses the per-domain calls: only the hosting-wide `/ssl` works.
import { apiErrors } from '../http/ovh-errors.js';
import type { ServedOperation } from '../schema/served-operations.js';
import type { DomainSslRecord, HostingService } from '../state/records.js';
import { requireIdle, requireRecord, requireService, requireWritableService, startTask, type Handler, type HandlerContext } from './handler-context.js';
import { sslView } from './views.js';

function domainOf(context: HandlerContext, service: HostingService) {
  return requireRecord(service.attachedDomains, String(context.path.domain), 'domain');
}

function requireDomainSsl(service: HostingService, domain: string): DomainSslRecord {
  const ssl = service.domainSsl.get(domain);
  if (!ssl) throw apiErrors.notFound(`There is no SSL certificate for the attached domain ${domain} on the hosting ${service.serviceName}`);
  return ssl;
}

function requireMultipleSsl(service: HostingService): void {
  if (!service.multipleSsl) {
    throw apiErrors.forbidden(
      `The hosting ${service.serviceName} cannot hold a certificate per attached domain (multipleSSL is false): use its hosting-wide certificate (/hosting/web/${service.serviceName}/ssl)`,
    );
  }
}

function regenerate(context: HandlerContext): Record<string, unknown> {
  const service = requireWritableService(context);
  requireMultipleSsl(service);
  const domain = domainOf(context, service).domain;
  const ssl = requireDomainSsl(service, domain);
  if (ssl.provider === 'CUSTOM') throw apiErrors.forbidden(`Only a free certificate can be regenerated (the one of ${domain} is CUSTOM)`);
  // A certificate whose validation failed has no task and stays `creating`: regenerating it validates again.
  if (!(ssl.status === 'creating' && ssl.taskId === null)) requireIdle(ssl, `SSL certificate of ${domain}`);
  const task = startTask(context, service, { function: 'hostedssl/regenerate', objectType: 'Hostedssl', objectId: domain, subject: domain, certificateOf: domain, domains: [domain] });
  if (ssl.status === 'created') ssl.status = 'regenerating';
  ssl.taskId = task.id;
  return sslView(ssl, true);
}

/** `hosting.web.ssl.Report`: what the certification authority checked, as OVH reports it. */
function reportView(ssl: DomainSslRecord): Record<string, unknown> {
  const dcv = ssl.validation === 'passed' ? 'completed' : ssl.validation === 'pending' ? 'in-progress' : 'non-completed';
  return {
    certificateSigningRequestStatus: ssl.validation === 'passed' ? 'completed' : 'in-progress',
    domainControlValidationStatus: dcv,
    organizationValidationStatus: 'non-required',
    phoneCallApprovalStatus: 'non-required',
    providerOrderId: `${ssl.provider.toLowerCase()}-${ssl.domain}-${ssl.createdAt}`,
    termsAndConditionsAcceptanceStatus: 'non-required',
    tradeNameVerificationStatus: 'non-required',
  };
}

export const domainSslHandlers = {
  'GET /hosting/web/{serviceName}/attachedDomain/{domain}/ssl': (context) => {
    const service = requireService(context);
    return sslView(requireDomainSsl(service, domainOf(context, service).domain), true);
  },

  'POST /hosting/web/{serviceName}/attachedDomain/{domain}/ssl': (context) => {
    const service = requireWritableService(context);
    requireMultipleSsl(service);
    const attached = domainOf(context, service);
    if (attached.status !== 'created') throw apiErrors.conflict(`The attached domain ${attached.domain} is busy: its status is ${attached.status}; retry when it is created`);
    const existing = service.domainSsl.get(attached.domain);
    if (existing) {
      throw apiErrors.conflict(`The attached domain ${attached.domain} already has an SSL certificate (${existing.provider}, ${existing.status}): delete it before creating another`);
    }
    const task = startTask(context, service, {
      function: 'hostedssl/create',
      objectType: 'Hostedssl',
      objectId: attached.domain,
      subject: attached.domain,
      certificateOf: attached.domain,
      domains: [attached.domain],
    });
    const ssl: DomainSslRecord = {
      domain: attached.domain,
      provider: service.freeSslProvider,
      type: 'DV',
      status: 'creating',
      taskId: task.id,
      createdAt: context.now,
      validation: 'pending',
    };
    service.domainSsl.set(attached.domain, ssl);
    return sslView(ssl, true);
  },

  'PUT /hosting/web/{serviceName}/attachedDomain/{domain}/ssl': (context) => {
    if (context.body.regenerate === true) return regenerate(context);
    const service = requireWritableService(context);
    return sslView(requireDomainSsl(service, domainOf(context, service).domain), true);
  },

  'POST /hosting/web/{serviceName}/attachedDomain/{domain}/ssl/regenerate': regenerate,

  'DELETE /hosting/web/{serviceName}/attachedDomain/{domain}/ssl': (context) => {
    const service = requireWritableService(context);
    const domain = domainOf(context, service).domain;
    const ssl = requireDomainSsl(service, domain);
    if (!(ssl.status === 'creating' && ssl.taskId === null)) requireIdle(ssl, `SSL certificate of ${domain}`);
    const task = startTask(context, service, { function: 'hostedssl/delete', objectType: 'Hostedssl', objectId: domain, subject: domain, certificateOf: domain });
    ssl.status = 'deleting';
    ssl.taskId = task.id;
    return sslView(ssl, true);
  },

  'GET /hosting/web/{serviceName}/attachedDomain/{domain}/ssl/report': (context) => {
    const service = requireService(context);
    return reportView(requireDomainSsl(service, domainOf(context, service).domain));
  },
} satisfies Partial<Record<ServedOperation, Handler>>;
