// The rules for the small values every input is made of: hosting service names, domain names, folders inside the
// hosting home, logins, database names. Each rule is one plain function (value in, normalized value or message out)
// plus a zod schema built from it (./field-schemas.ts), so the CLI can check a single flag and the schemas agree with
// it by construction. No zod here: workflows may use these rules.
import { type Checked, codePointName, quote } from './issues.js';
import { punycodeDecode, punycodeEncode } from './punycode.js';

// ---------------------------------------------------------------------------------------------------------------
// Domain names

/** RFC 1035: a label is 1–63 octets, a name at most 253 in its text form (255 on the wire). */
export const MAX_DOMAIN_LENGTH = 253;
export const MAX_LABEL_LENGTH = 63;
/** Anything longer is rejected before any work is done on it. */
const MAX_RAW_LENGTH = 1024;

/** IDNA full stops (ideographic, fullwidth, halfwidth) that browsers treat as `.`. */
const IDNA_DOTS = /[\u3002\uff0e\uff61]/g;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

/**
 * A domain name as OVH will see it: lowercase ASCII, internationalized labels in Punycode (`xn--`), no trailing dot.
 * Rejects what cannot be attached to a hosting: IP addresses, single labels, wildcards, URLs, underscores, labels over
 * 63 characters, names over 253, and labels that mix Latin with Cyrillic or Greek letters (the usual homograph trick).
 * A name written entirely in one non-Latin script is accepted and converted, so the Punycode form is what is stored.
 */
export function normalizeDomainName(raw: string, what = 'domain name'): Checked<string> {
  const bad = (reason: string): Checked<string> => ({
    ok: false,
    message: `${quote(raw)} is not a valid ${what} (${reason})`,
  });
  if (raw.length > MAX_RAW_LENGTH) {
    return { ok: false, message: `is ${raw.length} characters long; a ${what} has at most ${MAX_DOMAIN_LENGTH}` };
  }
  const trimmed = raw.trim();
  if (trimmed === '') return { ok: false, message: `must not be empty (give a ${what} such as "example.com")` };

  const url = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/:?#]*)/i.exec(trimmed);
  if (url) {
    const host = url[1] ?? '';
    return bad(`it looks like a URL; give only the host name${host ? `, e.g. ${quote(host)}` : ''}`);
  }
  const control = CONTROL.exec(trimmed);
  if (control) return bad(`contains the control character ${codePointName(control[0])}`);
  if (/\s/u.test(trimmed)) return bad('contains a space');
  if (/^\[.*\]$/.test(trimmed) || /^[0-9a-f]*:[0-9a-f:.]*$/i.test(trimmed)) {
    return bad('it is an IP address; attach a domain name, not an address');
  }
  if (trimmed.includes(':')) return bad('it must not include a port or scheme; give only the host name');
  if (trimmed.includes('/') || trimmed.includes('\\')) {
    return bad('it must not contain "/"; give only the host name (the folder goes in "path")');
  }
  if (trimmed.includes('@')) return bad('it must not contain "@"; give only the host name');

  // UTS #46 in short: compatibility-normalize (fullwidth letters, ideographic dots) and lowercase.
  let name = canonicalUnicode(trimmed).replace(IDNA_DOTS, '.');
  // One trailing dot is the absolute (zone file) form of the same name.
  if (name.endsWith('.') && !name.endsWith('..')) name = name.slice(0, -1);
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return bad('it is an IP address; attach a domain name, not an address');

  const labels = name.split('.');
  if (labels.some((label) => label === '')) return bad('empty label');
  if (labels.some((label) => label.includes('*'))) {
    return bad('wildcards cannot be attached; attach each name, e.g. "www.example.com"');
  }
  if (labels.length < 2) {
    return bad('a single label; give a fully qualified name such as "example.com"');
  }

  const ascii: string[] = [];
  for (const label of labels) {
    const converted = labelToAscii(label);
    if (!converted.ok) return bad(converted.message);
    ascii.push(converted.value);
  }

  const tld = ascii[ascii.length - 1] ?? '';
  if (/^\d+$/.test(tld)) return bad('the top-level domain cannot be all digits');
  if (!/^[a-z]{2,63}$/.test(tld) && !tld.startsWith('xn--')) {
    return bad(`the top-level domain ${quote(tld)} must be at least two letters`);
  }
  const result = ascii.join('.');
  if (result.length > MAX_DOMAIN_LENGTH) {
    return bad(`${result.length} characters long once encoded; at most ${MAX_DOMAIN_LENGTH}`);
  }
  return { ok: true, value: result };
}

/** NFKC and lowercase, repeated until stable (lowercasing can un-normalize a few characters). */
function canonicalUnicode(text: string): string {
  let current = text;
  for (let i = 0; i < 4; i++) {
    const next = current.normalize('NFKC').toLowerCase();
    if (next === current) break;
    current = next;
  }
  return current;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** One lowercase label → its ASCII form, or why it cannot be one. */
function labelToAscii(label: string): Checked<string> {
  if (label.includes('_')) return { ok: false, message: `label ${quote(label)} contains "_", which host names cannot` };
  let ascii: string;
  if (isAscii(label)) {
    const wrong = /[^a-z0-9-]/.exec(label);
    if (wrong) {
      return {
        ok: false,
        message: `label ${quote(label)} contains ${quote(wrong[0])}; only letters, digits and hyphens are allowed`,
      };
    }
    if (label.startsWith('xn--')) {
      const decoded = decodePunycodeLabel(label);
      if (!decoded.ok) return decoded;
    } else if (label.slice(2, 4) === '--') {
      return {
        ok: false,
        message: `label ${quote(label)} has "--" in the third and fourth positions, which is reserved for encoded (xn--) labels`,
      };
    }
    ascii = label;
  } else {
    const unicode = checkUnicodeLabel(label);
    if (!unicode.ok) return unicode;
    try {
      ascii = `xn--${punycodeEncode(label)}`;
    } catch {
      return { ok: false, message: `label ${quote(label)} cannot be encoded` };
    }
  }
  if (ascii.length > MAX_LABEL_LENGTH) {
    return {
      ok: false,
      message: `label ${quote(label, 24)} is ${ascii.length} characters long${ascii === label ? '' : ' once encoded'}; at most ${MAX_LABEL_LENGTH}`,
    };
  }
  if (ascii.startsWith('-') || ascii.endsWith('-')) {
    return { ok: false, message: `label ${quote(label)} starts or ends with a hyphen` };
  }
  return { ok: true, value: ascii };
}

function checkUnicodeLabel(label: string): Checked<string> {
  for (const ch of label) {
    if (!/[\p{L}\p{M}\p{N}-]/u.test(ch)) {
      return { ok: false, message: `label ${quote(label)} contains ${codePointName(ch)}, which is not allowed in a domain name` };
    }
  }
  const scripts = new Set<string>();
  for (const ch of label) {
    if (/\p{Script=Latin}/u.test(ch)) scripts.add('Latin');
    else if (/\p{Script=Cyrillic}/u.test(ch)) scripts.add('Cyrillic');
    else if (/\p{Script=Greek}/u.test(ch)) scripts.add('Greek');
  }
  if (scripts.size > 1) {
    return {
      ok: false,
      message: `label ${quote(label)} mixes ${[...scripts].join(' and ')} letters, a look-alike (homograph) trick; write it in one alphabet`,
    };
  }
  return { ok: true, value: label };
}

/** An `xn--` label must decode, to a valid Unicode label, and re-encode to itself (one spelling per name). */
function decodePunycodeLabel(label: string): Checked<string> {
  const invalid: Checked<string> = { ok: false, message: `label ${quote(label)} is not valid Punycode` };
  let decoded: string;
  try {
    decoded = punycodeDecode(label.slice(4));
  } catch {
    return invalid;
  }
  if (decoded === '' || isAscii(decoded)) return invalid;
  if (decoded !== canonicalUnicode(decoded)) return invalid;
  const unicode = checkUnicodeLabel(decoded);
  if (!unicode.ok) return unicode;
  try {
    if (`xn--${punycodeEncode(decoded)}` !== label) return invalid;
  } catch {
    return invalid;
  }
  return { ok: true, value: decoded };
}

/** The readable form of a normalized name (`xn--mnchen-3ya.de` → `münchen.de`), for display only. */
export function domainToUnicode(asciiDomain: string): string {
  return asciiDomain
    .split('.')
    .map((label) => {
      if (!label.startsWith('xn--')) return label;
      try {
        return punycodeDecode(label.slice(4));
      } catch {
        return label;
      }
    })
    .join('.');
}

/** A hosting service name (`demo-agency.ovh`): OVH names a web hosting after its domain, so the same rules apply. */
export function normalizeServiceName(raw: string): Checked<string> {
  return normalizeDomainName(raw, 'hosting service name');
}

// ---------------------------------------------------------------------------------------------------------------
// Folders inside the hosting home

export const MAX_PATH_LENGTH = 255;
/** What `normalizeRelativePath` returns for the hosting home itself, when a rule allows it. */
export const HOME_ROOT = '.';

export interface RelativePathRules {
  /** Whether the home itself (empty, `.`, `./`) is acceptable; it is normalized to `HOME_ROOT`. */
  allowRoot: boolean;
}

/**
 * A folder relative to the hosting home, such as `www` or `sites/shop`, normalized (`./www/` → `www`). Rejects
 * anything that could leave the home or be read two ways: absolute paths, `..`, URL-encoded characters,
 * backslashes, control characters, hidden folders, and characters outside letters, digits, `.`, `_` and `-`.
 */
export function normalizeRelativePath(raw: string, rules: RelativePathRules = { allowRoot: false }): Checked<string> {
  if (raw.length > 4 * MAX_PATH_LENGTH) {
    return { ok: false, message: `is ${raw.length} characters long; at most ${MAX_PATH_LENGTH}` };
  }
  const control = CONTROL.exec(raw);
  if (control) return { ok: false, message: `contains the control character ${codePointName(control[0])}` };
  const encoded = /%[0-9a-f]{2}/i.exec(raw);
  if (encoded) {
    return {
      ok: false,
      message: `contains the URL-encoded sequence ${quote(encoded[0])}; write folder names as they are, without % escapes`,
    };
  }
  if (raw.includes('\\')) return { ok: false, message: `contains "\\"; separate folders with "/"` };
  if (raw.startsWith('/') || raw.startsWith('~') || /^[a-z]:/i.test(raw)) {
    return {
      ok: false,
      message: `must be relative to the hosting home (e.g. "www" or "sites/shop"), not start with ${quote(raw.slice(0, raw.startsWith('/') || raw.startsWith('~') ? 1 : 2))}`,
    };
  }
  const segments = raw.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) {
    return { ok: false, message: 'must be relative to the hosting home and must not contain ".."' };
  }
  for (const segment of segments) {
    const wrong = /[^A-Za-z0-9._-]/u.exec(segment);
    if (wrong) {
      const what = /\s/u.test(wrong[0]) ? 'a space' : quote(wrong[0]);
      return { ok: false, message: `${quote(raw)} contains ${what}; folder names may use letters, digits, ".", "_" and "-"` };
    }
    if (segment.startsWith('.')) {
      return { ok: false, message: `must not name a hidden folder (${quote(segment)})` };
    }
    if (segment.startsWith('-')) {
      return { ok: false, message: `folder names must not start with "-" (${quote(segment)})` };
    }
  }
  if (segments.length === 0) {
    if (rules.allowRoot) return { ok: true, value: HOME_ROOT };
    return { ok: false, message: 'must name a folder inside the hosting home (e.g. "www"), not the home itself' };
  }
  const normalized = segments.join('/');
  if (normalized.length > MAX_PATH_LENGTH) {
    return { ok: false, message: `is ${normalized.length} characters long; at most ${MAX_PATH_LENGTH}` };
  }
  return { ok: true, value: normalized };
}

/** The root folder a domain gets when none is given: a folder named after the (ASCII) domain, unique per site. */
export function defaultSitePath(asciiDomain: string): string {
  return asciiDomain;
}

// ---------------------------------------------------------------------------------------------------------------
// Logins and names

/** Unix user names are at most 32 characters; OVH FTP/SSH logins are Unix users on the cluster. */
export const MAX_FTP_LOGIN_LENGTH = 32;

/**
 * An FTP/SSH login as OVH creates it: the hosting's primary login, a hyphen, and a name (`demoage-dev`), all in
 * lowercase letters and digits (OVH's Control Panel builds it the same way). That it starts with *this* hosting's
 * primary login can only be known once the service is read: see `ftpLoginIssue`.
 */
export function normalizeFtpLogin(raw: string): Checked<string> {
  if (raw.length > 4 * MAX_FTP_LOGIN_LENGTH) {
    return { ok: false, message: `is ${raw.length} characters long; at most ${MAX_FTP_LOGIN_LENGTH}` };
  }
  if (raw === '') return { ok: false, message: 'must not be empty (e.g. "demoage-dev")' };
  const lower = raw.toLowerCase();
  if (lower !== raw && /^[a-z0-9]+(-[a-z0-9]+)+$/.test(lower)) {
    return { ok: false, message: `${quote(raw)} must be lowercase (did you mean ${quote(lower)}?)` };
  }
  if (!/^[a-z0-9-]+$/.test(raw)) {
    return { ok: false, message: `${quote(raw)} may only contain lowercase letters, digits and "-"` };
  }
  if (!/^[a-z0-9]+(-[a-z0-9]+)+$/.test(raw)) {
    return {
      ok: false,
      message: `${quote(raw)} must be the hosting's primary login, a hyphen and a name, e.g. "demoage-dev"`,
    };
  }
  if (raw.length > MAX_FTP_LOGIN_LENGTH) {
    return { ok: false, message: `is ${raw.length} characters long; at most ${MAX_FTP_LOGIN_LENGTH}` };
  }
  return { ok: true, value: raw };
}

/** The check only preflight can make: the login belongs to this hosting. Undefined when it does. */
export function ftpLoginIssue(login: string, primaryLogin: string): string | undefined {
  if (login.startsWith(`${primaryLogin}-`) && login.length > primaryLogin.length + 1) return undefined;
  return `${quote(login)} must start with this hosting's primary login followed by a hyphen, e.g. ${quote(`${primaryLogin}-dev`)}`;
}

/** OVH's Control Panel: "6 characters maximum in addition to the user prefix" (the primary login). */
export const MAX_DATABASE_USER_SUFFIX_LENGTH = 6;
/**
 * MySQL before 5.7 caps user names at 16 characters, and OVH's shared SQL servers name the database after its user,
 * so primary login + suffix must fit in 16.
 */
export const MAX_DATABASE_USER_LENGTH = 16;

/** The part of a database user after the hosting's primary login: lowercase letters and digits, 1–6 of them. */
export function normalizeDatabaseUserSuffix(raw: string): Checked<string> {
  const pattern = new RegExp(`^[a-z0-9]{1,${MAX_DATABASE_USER_SUFFIX_LENGTH}}$`);
  if (pattern.test(raw)) return { ok: true, value: raw };
  if (raw.length > 4 * MAX_DATABASE_USER_SUFFIX_LENGTH || raw === '' || raw.length > MAX_DATABASE_USER_SUFFIX_LENGTH) {
    return {
      ok: false,
      message: `must be 1 to ${MAX_DATABASE_USER_SUFFIX_LENGTH} characters (it is appended to the hosting's primary login)`,
    };
  }
  if (pattern.test(raw.toLowerCase())) {
    return { ok: false, message: `${quote(raw)} must be lowercase (did you mean ${quote(raw.toLowerCase())}?)` };
  }
  return { ok: false, message: `${quote(raw)} may only contain lowercase letters and digits` };
}

/** The database user OVH gets in `POST /database`: "must begin with your hosting login and must be in lower case". */
export function databaseUser(primaryLogin: string, suffix: string): string {
  return `${primaryLogin}${suffix}`;
}

/** The check only preflight can make, once the primary login is known. Undefined when the user name fits. */
export function databaseUserIssue(primaryLogin: string, suffix: string): string | undefined {
  const user = databaseUser(primaryLogin, suffix);
  if (user.length <= MAX_DATABASE_USER_LENGTH) return undefined;
  const room = Math.max(0, MAX_DATABASE_USER_LENGTH - primaryLogin.length);
  return `${quote(suffix)} makes the database user ${quote(user)} ${user.length} characters long; at most ${MAX_DATABASE_USER_LENGTH}, so at most ${room} character(s) after ${quote(primaryLogin)}`;
}

export const MAX_DATABASE_NAME_LENGTH = 64;

/** An existing database's name as OVH lists it (`demoagewp`, `mydb.mysql.db`): it goes into a URL path. */
export function normalizeDatabaseName(raw: string): Checked<string> {
  if (raw === '') return { ok: false, message: 'must not be empty' };
  if (raw.length > MAX_DATABASE_NAME_LENGTH) {
    return { ok: false, message: `is ${Math.min(raw.length, 99_999)} characters long; at most ${MAX_DATABASE_NAME_LENGTH}` };
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(raw) || raw.includes('..')) {
    return {
      ok: false,
      message: `${quote(raw)} is not a database name (letters, digits, ".", "_" and "-", starting with a letter or digit)`,
    };
  }
  return { ok: true, value: raw };
}

export const MAX_ADMIN_NAME_LENGTH = 64;

/** The CMS administrator login: "may be a standard string or your email" — no spaces, quotes or markup. */
export function normalizeAdminName(raw: string): Checked<string> {
  if (raw === '') return { ok: false, message: 'must not be empty' };
  if (raw.length > MAX_ADMIN_NAME_LENGTH) {
    return { ok: false, message: `is ${Math.min(raw.length, 99_999)} characters long; at most ${MAX_ADMIN_NAME_LENGTH}` };
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._@+-]*$/.test(raw)) {
    return {
      ok: false,
      message: `${quote(raw)} may only contain letters, digits, ".", "_", "-", "+" and "@", starting with a letter or digit`,
    };
  }
  return { ok: true, value: raw };
}
