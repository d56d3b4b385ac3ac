// The hosting's SSL certificate. `POST /ssl` with an empty body orders Let's Encrypt, which covers the attached
// domains that have SSL on (at least one is needed); with certificate + key (+ chain) it imports a custom
// certificate covering the names in it. Both answer a `hosting.web.SSL`, not a task. A domain attached later is
// covered only after `POST /ssl/regenerate` (Let's Encrypt only, at most 5 times a week).
// Let's Encrypt validates each domain over HTTP while its task runs: a domain that does not point at the hosting is
// left out of the certificate (absent from /ssl/domains), the others are covered; when none points the task ends
// `cancelled` (no certificate is created; a regeneration keeps the old domains). A certificate is never replaced
// in place: a new one (custom or Let's Encrypt) needs `DELETE /ssl` first, as the API has no update call.
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { apiErrors } from '../http/ovh-errors.js';
import type { ServedOperation } from '../schema/served-operations.js';
import type { HostingService, SslRecord } from '../state/records.js';
import { requireIdle, requireService, requireWritableService, startTask, type Handler } from './handler-context.js';
import { sslView } from './views.js';

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
export const MAX_REGENERATIONS_PER_WEEK = 5;

function requireSsl(service: HostingService): SslRecord {
  if (!service.ssl) throw apiErrors.notFound(`There is no SSL certificate on the hosting ${service.serviceName}`);
  return service.ssl;
}

/** The attached domains a Let's Encrypt certificate covers: SSL on, attachment finished. */
function letsEncryptDomains(service: HostingService): string[] {
  const domains = [...service.attachedDomains.values()].filter((domain) => domain.ssl && domain.status === 'created').map((domain) => domain.domain);
  if (domains.length === 0) {
    throw apiErrors.forbidden("Let's Encrypt needs at least one attached domain with SSL enabled (attachedDomain ssl: true)");
  }
  return domains.sort();
}

/** The DNS names a custom certificate covers, after checking the certificate, its key and chain. */
function customCertificateDomains(body: Record<string, unknown>): string[] {
  if (typeof body.certificate !== 'string' || body.certificate === '') throw apiErrors.badRequest('[certificate] Missing parameter');
  if (typeof body.key !== 'string' || body.key === '') throw apiErrors.badRequest('[key] Missing parameter');
  let certificate: X509Certificate;
  let key: KeyObject;
  try {
    certificate = new X509Certificate(body.certificate);
  } catch {
    throw apiErrors.badRequest('[certificate] This is not a PEM certificate');
  }
  try {
    key = createPrivateKey(body.key);
  } catch {
    throw apiErrors.badRequest('[key] This is not a PEM private key');
  }
  if (!certificate.checkPrivateKey(key)) throw apiErrors.badRequest('[key] The private key does not match the certificate');
  if (typeof body.chain === 'string' && body.chain !== '') {
    try {
      new X509Certificate(body.chain);
    } catch {
      throw apiErrors.badRequest('[chain] This is not a PEM certificate chain');
    }
  }
  if (Date.parse(certificate.validTo) < Date.now()) throw apiErrors.badRequest('[certificate] The certificate has expired');
  const names = (certificate.subjectAltName ?? '')
    .split(', ')
    .filter((entry) => entry.startsWith('DNS:'))
    .map((entry) => entry.slice(4).toLowerCase());
  const commonName = /CN=([^\n,]+)/.exec(certificate.subject)?.[1];
  return [...new Set(names.length > 0 ? names : commonName ? [commonName.toLowerCase()] : [])].sort();
}

export const sslHandlers = {
  'GET /hosting/web/{serviceName}/ssl': (context) => sslView(requireSsl(requireService(context))),

  'POST /hosting/web/{serviceName}/ssl': (context) => {
    const service = requireWritableService(context);
    const { body } = context;
    if (service.ssl) {
      throw apiErrors.conflict(
        `The hosting ${service.serviceName} already has an SSL certificate (${service.ssl.provider}, ${service.ssl.status}): delete it (DELETE /ssl) before creating or importing another`,
      );
    }
    const custom = ['certificate', 'key', 'chain'].some((field) => typeof body[field] === 'string' && body[field] !== '');
    const domains = custom ? customCertificateDomains(body) : letsEncryptDomains(service);
    const task = startTask(context, service, {
      function: custom ? 'hostedssl/import' : 'hostedssl/create',
      objectType: 'Hostedssl',
      objectId: service.serviceName,
      subject: service.serviceName,
      domains,
    });
    service.ssl = {
      provider: custom ? 'CUSTOM' : 'LETSENCRYPT',
      type: custom ? 'CUSTOM' : 'DV',
      status: custom ? 'importing' : 'creating',
      taskId: task.id,
      domains: [],
      createdAt: context.now,
    };
    return sslView(service.ssl);
  },

  'DELETE /hosting/web/{serviceName}/ssl': (context) => {
    const service = requireWritableService(context);
    const ssl = requireSsl(service);
    requireIdle(ssl, 'SSL certificate');
    const task = startTask(context, service, { function: 'hostedssl/delete', objectType: 'Hostedssl', objectId: service.serviceName, subject: service.serviceName });
    ssl.status = 'deleting';
    ssl.taskId = task.id;
    return sslView(ssl);
  },

  'GET /hosting/web/{serviceName}/ssl/domains': (context) => [...requireSsl(requireService(context)).domains],

  'POST /hosting/web/{serviceName}/ssl/regenerate': (context) => {
    const service = requireWritableService(context);
    const ssl = requireSsl(service);
    if (ssl.provider !== 'LETSENCRYPT') throw apiErrors.forbidden(`Only a Let's Encrypt certificate can be regenerated (this one is ${ssl.provider})`);
    requireIdle(ssl, 'SSL certificate');
    const recent = service.sslRegenerations.filter((at) => at > context.now - WEEK_MS);
    if (recent.length >= MAX_REGENERATIONS_PER_WEEK) {
      throw apiErrors.forbidden(`The SSL certificate can be regenerated at most ${MAX_REGENERATIONS_PER_WEEK} times a week`);
    }
    const domains = letsEncryptDomains(service);
    const task = startTask(context, service, {
      function: 'hostedssl/regenerate',
      objectType: 'Hostedssl',
      objectId: service.serviceName,
      subject: service.serviceName,
      domains,
    });
    service.sslRegenerations = [...recent, context.now];
    ssl.status = 'regenerating';
    ssl.taskId = task.id;
    return sslView(ssl);
  },
} satisfies Partial<Record<ServedOperation, Handler>>;
