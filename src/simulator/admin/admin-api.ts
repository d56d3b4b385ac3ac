// The admin API, outside /1.0: inspect and reset the simulated world, inject faults, change timings, mint
// credentials, set up services, accounts, DNS zones and what domains resolve to, service accounts and IAM policies.
// JSON in and out; reachable from loopback only, or with the admin token in the
// `X-Sim-Admin-Token` header. The shapes are a contract (docs/simulator.md); scripts depend on them.
import type { IncomingHttpHeaders } from 'node:http';
import type { z } from 'zod';
import type { SimulatorConfig } from '../config.js';
import type { SimulatorCore } from '../core.js';
import { normalizeRelativePath } from '../hosting/rules.js';
import { serviceView } from '../hosting/views.js';
import { newService, type HostingService, type OfferName } from '../state/records.js';
import { DEMO_CREDENTIALS } from '../auth/credential-store.js';
import {
  accountInput,
  applicationInput,
  configInput,
  credentialInput,
  externalDnsInput,
  faultsInput,
  iamPolicyInput,
  resetInput,
  serviceAccountInput,
  serviceInput,
  zoneInput,
} from './admin-inputs.js';
import { dnsAnswer, setExternalDns, upsertZone } from './dns-admin.js';
import { accountView, addPolicy, createServiceAccount, listServiceAccounts, policyView, upsertAccount } from './identity-admin.js';
import { stateView } from './state-view.js';

export interface AdminRequest {
  method: string;
  /** Path segments after `_sim`. */
  segments: string[];
  body: unknown;
  remoteAddress: string;
  headers: IncomingHttpHeaders;
}

export interface AdminAnswer {
  status: number;
  body: unknown;
}

export interface AdminHooks {
  /** Writes the state to the data directory (when the simulator persists it). */
  save?: () => void;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    throw new AdminError(400, result.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '));
  }
  return result.data;
}

export function isAdminAllowed(core: SimulatorCore, request: Pick<AdminRequest, 'remoteAddress' | 'headers'>): boolean {
  const token = request.headers['x-sim-admin-token'];
  if (core.adminToken && token === core.adminToken) return true;
  return LOOPBACK.has(request.remoteAddress);
}

export function handleAdminRequest(core: SimulatorCore, request: AdminRequest, hooks: AdminHooks = {}): AdminAnswer {
  if (!isAdminAllowed(core, request)) return { status: 403, body: { error: 'the admin API answers loopback callers or the X-Sim-Admin-Token header only' } };
  try {
    return route(core, request, hooks);
  } catch (error) {
    if (error instanceof AdminError) return { status: error.status, body: { error: error.message } };
    throw error;
  }
}

function route(core: SimulatorCore, request: AdminRequest, hooks: AdminHooks): AdminAnswer {
  const { method, segments, body } = request;
  const [resource, name] = segments;
  const ok = (answer: unknown): AdminAnswer => ({ status: 200, body: answer });

  switch (`${method} ${resource ?? ''}`) {
    case 'GET state':
      return ok(stateView(core));
    case 'GET requests':
      return ok(core.requests.all());
    case 'POST reset': {
      const input = parse(resetInput, body);
      core.reset(input.seed ?? core.seed);
      return ok({ seed: core.seed, services: [...core.state.services.keys()] });
    }
    case 'GET faults':
      return ok({ rules: core.faults.list() });
    case 'POST faults':
      core.faults.add(parse(faultsInput, body).rules);
      return ok({ rules: core.faults.list() });
    case 'DELETE faults':
      core.faults.clear();
      return ok({ rules: [] });
    case 'GET config':
      return ok(core.config);
    case 'PUT config':
      core.config = mergeConfig(core.config, parse(configInput, body));
      return ok(core.config);
    case 'POST credentials':
      return ok(mintCredential(core, parse(credentialInput, body)));
    case 'POST applications': {
      const input = parse(applicationInput, body);
      if (input.account) core.accounts.ensure(input.account, core.now());
      const application = core.credentials.addApplication(input.name ?? 'simulator-test-application', 'Created through the simulator admin API', undefined, input.account);
      return ok({ applicationId: application.applicationId, applicationKey: application.applicationKey, applicationSecret: application.applicationSecret, account: application.account });
    }
    case 'GET accounts':
      return ok({ accounts: [...core.accounts.accounts.keys()].sort().map((account) => accountView(core, account)) });
    case 'POST accounts':
      if (!name) throw new AdminError(400, 'POST /_sim/accounts/{nicHandle}');
      return ok(upsertAccount(core, name, parse(accountInput, body)));
    case 'POST zones':
      if (!name) throw new AdminError(400, 'POST /_sim/zones/{zoneName}');
      return ok(upsertZone(core, name, parse(zoneInput, body)));
    case 'DELETE zones':
      if (!name || !core.state.zones.delete(name.toLowerCase())) throw new AdminError(404, `no zone ${name ?? ''}`);
      return ok({ deleted: name.toLowerCase() });
    case 'GET dns':
      if (!name) throw new AdminError(400, 'GET /_sim/dns/{name}');
      return ok(dnsAnswer(core, name));
    case 'PUT dns':
      if (!name) throw new AdminError(400, 'PUT /_sim/dns/{name}');
      return ok(setExternalDns(core, name, parse(externalDnsInput, body)));
    case 'DELETE dns':
      if (!name) throw new AdminError(400, 'DELETE /_sim/dns/{name}');
      core.state.externalDns.delete(name.toLowerCase());
      return ok(dnsAnswer(core, name));
    case 'GET service-accounts':
      return ok({ serviceAccounts: listServiceAccounts(core) });
    case 'POST service-accounts':
      return ok(createServiceAccount(core, parse(serviceAccountInput, body)));
    case 'GET iam':
    case 'POST iam':
    case 'DELETE iam':
      return iamPolicies(core, method, segments.slice(1), body);
    case 'POST services':
      if (!name) throw new AdminError(400, 'POST /_sim/services/{serviceName}');
      return ok(upsertService(core, name, parse(serviceInput, body)));
    case 'POST save':
      if (!hooks.save) throw new AdminError(409, 'this simulator does not persist its state (start it with persistState)');
      hooks.save();
      return ok({ saved: true });
    default:
      throw new AdminError(404, `unknown admin call ${method} /_sim/${segments.join('/')}`);
  }
}

function iamPolicies(core: SimulatorCore, method: string, segments: string[], body: unknown): AdminAnswer {
  const [collection, id] = segments;
  if (collection !== 'policies') throw new AdminError(404, 'the IAM admin calls are under /_sim/iam/policies');
  if (method === 'GET') return { status: 200, body: { policies: [...core.serviceAccounts.policies.values()].map(policyView) } };
  if (method === 'POST') return { status: 200, body: addPolicy(core, parse(iamPolicyInput, body)) };
  if (id === undefined) {
    core.serviceAccounts.policies.clear();
    return { status: 200, body: { policies: [] } };
  }
  if (!core.serviceAccounts.policies.delete(id)) throw new AdminError(404, `no IAM policy ${id}`);
  return { status: 200, body: { deleted: id } };
}

function mergeConfig(current: SimulatorConfig, input: z.infer<typeof configInput>): SimulatorConfig {
  return {
    ...current,
    ...(input.taskRetentionMs === undefined ? {} : { taskRetentionMs: input.taskRetentionMs }),
    ...(input.rateLimit === undefined ? {} : { rateLimit: input.rateLimit }),
    ...(input.slowFactor === undefined ? {} : { slowFactor: input.slowFactor }),
    ...(input.timestampToleranceSec === undefined ? {} : { timestampToleranceSec: input.timestampToleranceSec }),
    ...(input.dnsPropagationMs === undefined ? {} : { dnsPropagationMs: input.dnsPropagationMs }),
    ...(input.unmodelledDomainsPointAtHosting === undefined ? {} : { unmodelledDomainsPointAtHosting: input.unmodelledDomainsPointAtHosting }),
    ...(input.oauth2TokenTtlSec === undefined ? {} : { oauth2TokenTtlSec: input.oauth2TokenTtlSec }),
    ...(input.schemaWithout === undefined ? {} : { schemaWithout: input.schemaWithout }),
    taskDurationMs: { ...current.taskDurationMs, ...(input.taskDurationMs ?? {}) },
  };
}

function mintCredential(core: SimulatorCore, input: z.infer<typeof credentialInput>) {
  const applicationKey = input.applicationKey ?? DEMO_CREDENTIALS.applicationKey;
  const application = core.credentials.applications.get(applicationKey);
  if (!application) throw new AdminError(404, `unknown application key ${applicationKey}`);
  if (input.account) core.accounts.ensure(input.account, core.now());
  const credential = core.credentials.mint(
    application,
    { rules: input.accessRules, allowedIPs: input.allowedIPs ?? null, validitySeconds: input.validitySeconds ?? null, ...(input.account ? { account: input.account } : {}) },
    core.now(),
  );
  return {
    applicationKey: application.applicationKey,
    account: credential.account,
    consumerKey: credential.consumerKey,
    credentialId: credential.credentialId,
    rules: credential.rules,
    status: credential.status,
    expiration: credential.expiration === null ? null : new Date(credential.expiration).toISOString(),
  };
}

function upsertService(core: SimulatorCore, serviceName: string, input: z.infer<typeof serviceInput>) {
  core.settle();
  let service: HostingService | undefined = core.state.services.get(serviceName);
  if (input.account) core.accounts.ensure(input.account, core.now());
  if (!service) {
    const primaryLogin = input.primaryLogin ?? loginFor(serviceName);
    service = newService({
      ...(input.account ? { account: input.account } : {}),
      serviceName,
      displayName: input.displayName ?? null,
      offer: (input.offer ?? 'PRO') as OfferName,
      state: input.state ?? 'active',
      primaryLogin,
      cluster: 'cluster030',
      datacenter: 'gra3',
      home: `/homez.3000/${primaryLogin}`,
      clusterIp: '192.0.2.30',
      clusterIpv6: '2001:db8::30',
      createdAt: core.now(),
      ...(input.multipleSsl !== undefined ? { multipleSsl: input.multipleSsl } : {}),
      ...(input.freeSslProvider ? { freeSslProvider: input.freeSslProvider } : {}),
    }, core.state.nextIds.runtime++);
    core.state.services.set(serviceName, service);
  } else {
    if (input.state) service.state = input.state;
    if (input.offer) service.offer = input.offer as OfferName;
    if (input.displayName !== undefined) service.displayName = input.displayName;
    if (input.account) service.account = input.account;
    if (input.multipleSsl !== undefined) service.multipleSsl = input.multipleSsl;
    if (input.freeSslProvider) service.freeSslProvider = input.freeSslProvider;
  }
  for (const folder of input.filledFolders ?? []) {
    const path = normalizeRelativePath(folder, 'filledFolders');
    if (!service.filledFolders.includes(path)) service.filledFolders.push(path);
  }
  return serviceView(service);
}

/** OVH derives the primary login from the service name: its first letters and digits, 8 at most. */
function loginFor(serviceName: string): string {
  const letters = serviceName.toLowerCase().replace(/[^a-z0-9]/g, '');
  return (/^[a-z]/.test(letters) ? letters : `h${letters}`).slice(0, 8).padEnd(3, 'x');
}
