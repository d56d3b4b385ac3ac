// The admin API's request bodies, validated with zod so a typo in a test's fault rule is a clear 400, not a rule
// that silently never fires.
import { z } from 'zod';
import { OFFER_NAMES } from '../state/offers.js';

const httpMethod = z.enum(['GET', 'POST', 'PUT', 'DELETE']);
const times = z.number().int().positive().optional();
const probability = z.number().min(0).max(1).optional();

const requestFaultRule = z
  .object({
    method: z.string().transform((value) => value.toUpperCase()).pipe(httpMethod).optional(),
    path: z.string().startsWith('/'),
    status: z.number().int().min(400).max(599).optional(),
    reset: z.enum(['before', 'after']).optional(),
    latencyMs: z.number().int().min(0).max(600_000).optional(),
    times,
    probability,
  })
  .strict()
  .refine((rule) => rule.status !== undefined || rule.reset !== undefined || rule.latencyMs !== undefined, {
    message: 'a request rule needs status, reset or latencyMs',
  })
  .refine((rule) => !(rule.status !== undefined && rule.reset !== undefined), { message: 'status and reset exclude each other' });

const taskFaultRule = z
  .object({ taskFunction: z.string().min(1), serviceName: z.string().min(1).optional(), outcome: z.enum(['cancelled', 'stuck', 'slow', 'failed']), times, probability })
  .strict();

export const faultsInput = z.object({ rules: z.array(z.union([taskFaultRule, requestFaultRule])).min(1) }).strict();

export const resetInput = z.object({ seed: z.number().int().optional() }).strict();

export const configInput = z
  .object({
    taskDurationMs: z.record(z.string(), z.number().int().min(0)).optional(),
    taskRetentionMs: z.number().int().min(0).optional(),
    rateLimit: z.object({ perSecond: z.number().positive(), burst: z.number().int().positive() }).strict().nullable().optional(),
    slowFactor: z.number().min(1).optional(),
    timestampToleranceSec: z.number().int().min(0).optional(),
    dnsPropagationMs: z.number().int().min(0).optional(),
    unmodelledDomainsPointAtHosting: z.boolean().optional(),
    oauth2TokenTtlSec: z.number().int().positive().optional(),
    schemaWithout: z.array(z.string().regex(/^(GET|POST|PUT|DELETE) \/\S+$/, 'an operation, e.g. "POST /hosting/web/{serviceName}/ssl"')).optional(),
  })
  .strict();

/** A NIC handle: lowercase letters and digits, a dash, then the region suffix (`ab1234-ovh`); any `x-y` is accepted. */
const accountName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,62}$/);

export const accountInput = z
  .object({ rateLimit: z.object({ perSecond: z.number().positive(), burst: z.number().int().positive() }).strict().nullable().optional() })
  .strict();

const recordInput = z
  .object({
    fieldType: z.string().min(1),
    subDomain: z.string().optional(),
    target: z.string().min(1),
    ttl: z.number().int().min(0).optional(),
  })
  .strict();

export const zoneInput = z.object({ account: accountName.optional(), records: z.array(recordInput).optional() }).strict();

export const externalDnsInput = z
  .object({
    a: z.array(z.ipv4()).optional(),
    aaaa: z.array(z.ipv6()).optional(),
    txt: z.array(z.string()).optional(),
    delayMs: z.number().int().min(0).optional(),
  })
  .strict();

export const serviceAccountInput = z
  .object({ account: accountName.optional(), name: z.string().min(1).optional(), description: z.string().optional() })
  .strict();

const actionList = z.array(z.object({ action: z.string().min(1) }).strict());

/** The body of OVH's `POST /iam/policy` (the fields the simulator uses; others are refused so a typo is caught). */
export const iamPolicyInput = z
  .object({
    name: z.string().min(1),
    description: z.string().optional(),
    identities: z.array(z.string().startsWith('urn:v1:')).min(1),
    resources: z.array(z.object({ urn: z.string().startsWith('urn:v1:') }).strict()).min(1),
    permissions: z.object({ allow: actionList.optional(), except: actionList.optional(), deny: actionList.optional() }).strict(),
  })
  .strict();

const accessRule = z.object({ method: httpMethod, path: z.string().startsWith('/') }).strict();

export const credentialInput = z
  .object({
    accessRules: z.array(accessRule).min(1),
    applicationKey: z.string().optional(),
    account: accountName.optional(),
    validitySeconds: z.number().int().positive().optional(),
    allowedIPs: z.array(z.string()).optional(),
  })
  .strict();

export const applicationInput = z.object({ name: z.string().min(1).optional(), account: accountName.optional() }).strict();

export const serviceInput = z
  .object({
    state: z.enum(['active', 'blocked', 'bloqued', 'hardBlocked', 'hardBloqued', 'maintenance']).optional(),
    /** false: an older hosting that refuses per-domain certificates (only the hosting-wide `/ssl` works). */
    multipleSsl: z.boolean().optional(),
    /** Who issues the free per-domain certificates of this hosting. */
    freeSslProvider: z.enum(['LETSENCRYPT', 'SECTIGO']).optional(),
    offer: z.enum(OFFER_NAMES as [string, ...string[]]).optional(),
    primaryLogin: z.string().regex(/^[a-z][a-z0-9]{2,15}$/).optional(),
    displayName: z.string().nullable().optional(),
    account: accountName.optional(),
    /** Folders (relative to the home) that now hold files, as an FTP upload would leave them: OVH will not link them to Git. */
    filledFolders: z.array(z.string().regex(/^[A-Za-z0-9._/-]*$/)).optional(),
  })
  .strict();
