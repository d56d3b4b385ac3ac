// The rules of ./common.ts as zod schemas, for the input schemas built from them (never imported by workflow code).
import { z } from 'zod';
import {
  normalizeAdminName,
  normalizeDatabaseName,
  normalizeDatabaseUserSuffix,
  normalizeDomainName,
  normalizeFtpLogin,
  normalizeRelativePath,
  normalizeServiceName,
} from './common.js';
import { ID_RULES, type WholeNumberRule } from './values.js';
import { checkedString } from './zod-parse.js';

export const serviceNameSchema = checkedString(normalizeServiceName, 'a hosting service name such as "demo-agency.ovh"');
export const domainSchema = checkedString((raw) => normalizeDomainName(raw), 'a domain name such as "example.com"');
export const sitePathSchema = checkedString((raw) => normalizeRelativePath(raw), 'a folder such as "www"');
export const homePathSchema = checkedString(
  (raw) => normalizeRelativePath(raw, { allowRoot: true }),
  'a folder such as "www", or "." for the whole home',
);
export const ftpLoginSchema = checkedString(normalizeFtpLogin, 'a login such as "demoage-dev"');
export const databaseUserSuffixSchema = checkedString(normalizeDatabaseUserSuffix, 'a short suffix such as "wp"');
export const databaseNameSchema = checkedString(normalizeDatabaseName, 'a database name');
export const adminNameSchema = checkedString(normalizeAdminName, 'an administrator login');

/** A whole number in a range, from the same rule the zod-free `checkWholeNumber` applies. */
export function wholeNumberSchema(rule: WholeNumberRule) {
  return z
    .number({ error: (iss) => (iss.input === undefined ? rule.required : rule.notNumber) })
    .int(rule.notWhole)
    .min(rule.min, rule.tooSmall)
    .max(rule.max, rule.tooLarge);
}

/** A positive whole number (an OVH `long` id): `ID_RULES`, its floor written as zod's `positive` (> 0). */
export const idSchema = z
  .number({ error: (iss) => (iss.input === undefined ? ID_RULES.required : ID_RULES.notNumber) })
  .int(ID_RULES.notWhole)
  .positive(ID_RULES.tooSmall)
  .max(ID_RULES.max, ID_RULES.tooLarge);
