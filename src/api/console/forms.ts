// From a submitted form to the raw input the shared parsers take — the same shape the CLI builds from its flags and
// the HTTP API receives as JSON — so validation happens once, in src/shared/inputs/, whatever the trigger.
export type FormFields = Record<string, string>;

/** `application/x-www-form-urlencoded` → fields (a repeated name keeps its first value). */
export function parseForm(body: string): FormFields {
  // No prototype: a field named `constructor` or `__proto__` is a field like any other, never Object's.
  const fields = Object.create(null) as FormFields;
  for (const [name, value] of new URLSearchParams(body)) if (!Object.hasOwn(fields, name)) fields[name] = value;
  return fields;
}

const text = (form: FormFields, name: string): string | undefined => {
  const value = form[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};
const numberOrText = (value: string | undefined) => (value !== undefined && /^\d{1,15}$/.test(value) ? Number(value) : value);

export function provisionRequestFromForm(form: FormFields): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => {
    if (value !== undefined) raw[key] = value;
  };
  put('serviceName', text(form, 'serviceName'));
  put('domain', text(form, 'domain'));
  put('path', text(form, 'path'));
  put('stepDeadlineMinutes', numberOrText(text(form, 'stepDeadlineMinutes')));
  put('dns', text(form, 'dns'));
  put('dnsDeadlineMinutes', numberOrText(text(form, 'dnsDeadlineMinutes')));
  for (const key of ['cdn', 'firewall', 'ownLog', 'ipLocation'] as const) put(key, text(form, key));
  put('runtimeId', numberOrText(text(form, 'runtimeId')));
  if (form.bypassDNSConfiguration === 'on') raw.bypassDNSConfiguration = true;
  if (form.database === 'on') {
    const database: Record<string, unknown> = {};
    for (const key of ['type', 'capability', 'userSuffix', 'version'] as const) {
      const value = text(form, `database.${key}`);
      if (value !== undefined) database[key] = value;
    }
    const quota = text(form, 'database.quota');
    if (quota !== undefined) database.quota = quota;
    raw.database = database;
  }
  const module = text(form, 'module');
  if (module !== undefined) {
    const language = text(form, 'module.language');
    const adminName = text(form, 'module.adminName');
    raw.module = {
      ...(/^\d+$/.test(module) ? { id: Number(module) } : { name: module }),
      ...(language ? { language } : {}),
      ...(adminName ? { adminName } : {}),
    };
  }
  const mode = text(form, 'ssl') ?? 'letsencrypt';
  if (mode === 'custom') {
    raw.ssl = { mode, certificate: form['ssl.certificate'] ?? '', key: form['ssl.key'] ?? '', ...(text(form, 'ssl.chain') ? { chain: form['ssl.chain'] } : {}) };
  } else {
    raw.ssl = mode;
  }
  return raw;
}

export function backupRequestFromForm(form: FormFields): Record<string, unknown> {
  return {
    ...(text(form, 'serviceName') ? { serviceName: text(form, 'serviceName') } : {}),
    ...(text(form, 'databaseName') ? { databaseName: text(form, 'databaseName') } : {}),
    sendEmail: form.sendEmail === 'on',
  };
}

/** The domain-update form: the domain and the settings to change (empty fields are no change). */
export function domainUpdateRequestFromForm(form: FormFields): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const key of ['serviceName', 'domain', 'path', 'ssl', 'cdn', 'firewall', 'ownLog', 'ipLocation'] as const) {
    const value = text(form, key);
    if (value !== undefined) raw[key] = value;
  }
  const runtimeId = numberOrText(text(form, 'runtimeId'));
  if (runtimeId !== undefined) raw.runtimeId = runtimeId;
  if (form.bypassDNSConfiguration === 'on') raw.bypassDNSConfiguration = true;
  return raw;
}

/** The retry form's corrections as `ovhflow retry --set` pairs, in the form's order; empty fields are no change. */
export function setPairsFromForm(form: FormFields, keys: readonly string[]): string[] {
  const pairs: string[] = [];
  for (const key of keys) {
    const value = form[`set.${key}`]?.trim();
    if (value) pairs.push(`${key}=${value}`);
  }
  return pairs;
}
