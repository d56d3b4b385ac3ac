// Admin calls for who calls the API: accounts (each with its own services, zones, keys and, optionally, rate
// limit), service accounts (OAuth2 clients) and the IAM policies that give them rights.
import type { z } from 'zod';
import { identityUrn, type IamPolicyRecord } from '../auth/service-accounts.js';
import type { SimulatorCore } from '../core.js';
import { DEFAULT_ACCOUNT } from '../state/records.js';
import type { accountInput, iamPolicyInput, serviceAccountInput } from './admin-inputs.js';

export function accountView(core: SimulatorCore, name: string): Record<string, unknown> {
  const account = core.accounts.accounts.get(name);
  return {
    name,
    rateLimit: account?.rateLimit ?? null,
    services: [...core.state.services.values()].filter((service) => service.account === name).map((service) => service.serviceName).sort(),
    zones: [...core.state.zones.values()].filter((zone) => zone.account === name).map((zone) => zone.name).sort(),
  };
}

export function upsertAccount(core: SimulatorCore, name: string, input: z.infer<typeof accountInput>): Record<string, unknown> {
  const account = core.accounts.ensure(name, core.now());
  if (input.rateLimit !== undefined) account.rateLimit = input.rateLimit;
  return accountView(core, name);
}

export function createServiceAccount(core: SimulatorCore, input: z.infer<typeof serviceAccountInput>): Record<string, unknown> {
  const account = input.account ?? DEFAULT_ACCOUNT;
  core.accounts.ensure(account, core.now());
  const serviceAccount = core.serviceAccounts.create(account, input.name ?? 'simulator-service-account', input.description ?? '', core.now());
  return {
    clientId: serviceAccount.clientId,
    clientSecret: serviceAccount.clientSecret,
    account,
    name: serviceAccount.name,
    identity: identityUrn(serviceAccount),
  };
}

/** Service accounts without their secrets. */
export function listServiceAccounts(core: SimulatorCore): Array<Record<string, unknown>> {
  return [...core.serviceAccounts.serviceAccounts.values()].map((serviceAccount) => ({
    clientId: serviceAccount.clientId,
    account: serviceAccount.account,
    name: serviceAccount.name,
    description: serviceAccount.description,
    identity: identityUrn(serviceAccount),
  }));
}

export function policyView(policy: IamPolicyRecord): Record<string, unknown> {
  return {
    id: policy.id,
    name: policy.name,
    description: policy.description,
    identities: policy.identities,
    resources: policy.resources.map((urn) => ({ urn })),
    permissions: {
      allow: policy.allow.map((action) => ({ action })),
      except: policy.except.map((action) => ({ action })),
      deny: policy.deny.map((action) => ({ action })),
    },
    createdAt: new Date(policy.createdAt).toISOString(),
  };
}

export function addPolicy(core: SimulatorCore, input: z.infer<typeof iamPolicyInput>): Record<string, unknown> {
  const actions = (list: Array<{ action: string }> | undefined) => (list ?? []).map((entry) => entry.action);
  return policyView(
    core.serviceAccounts.addPolicy({
      name: input.name,
      description: input.description ?? null,
      identities: input.identities,
      resources: input.resources.map((resource) => resource.urn),
      allow: actions(input.permissions.allow),
      except: actions(input.permissions.except),
      deny: actions(input.permissions.deny),
      createdAt: core.now(),
    }),
  );
}
