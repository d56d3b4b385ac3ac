// The operations table and the access rules derived from it, as pure functions (no server needed). The end-to-end
// proof that these rules are enough, and each one necessary, is least-privilege.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compareWithRequired, isGranted, requiredRulesWithOperations, ruleOfOperation } from '../../src/ovh/access-rules.js';
import { OvhClient, operationOfCall, requiredAccessRules } from '../../src/ovh/client.js';
import { ovhOperations, operationPath, OVH_OPERATIONS } from '../../src/ovh/operations.js';
import { createLogger } from '../../src/logging/logger.js';
import { loadApiSchema } from '../../src/simulator/schema/api-schema.js';

interface VendoredSchema {
  apis: Array<{ path: string; operations: Array<{ httpMethod: string; parameters: Array<{ name?: string; paramType: string }> }> }>;
}

describe('the OVH operations table', () => {
  it('holds only operations of the real OVHcloud schema, with its paths, methods and authentication', () => {
    const schema = loadApiSchema();
    for (const operation of ovhOperations()) {
      const real = schema.operations.get(`${operation.method} ${operation.path}`);
      expect(real, `${operation.name}: ${operation.method} ${operation.path}`).toBeDefined();
      expect(Boolean(operation.noAuthentication), `${operation.name} noAuthentication`).toBe(real?.noAuthentication);
    }
  });

  it('holds only operations OVH serves in 2026 (spec/ovh-api, vendored), with the path parameters the client fills', () => {
    const vendored = ['hosting-web', 'auth', 'domain-zone'].map(
      (name) => JSON.parse(readFileSync(fileURLToPath(new URL(`../../spec/ovh-api/${name}.json`, import.meta.url)), 'utf8')) as VendoredSchema,
    );
    const served = new Map<string, string[]>();
    for (const document of vendored) {
      for (const api of document.apis) {
        for (const o of api.operations) served.set(`${o.httpMethod} ${api.path}`, o.parameters.filter((p) => p.paramType === 'path').map((p) => p.name ?? '').sort());
      }
    }
    expect(vendored[0]!.apis.some((api) => api.path.endsWith('/attachedDomain/{domain}/ssl')), 'the vendored hosting-web.json is the 2026 one').toBe(true);
    const missing = ovhOperations().filter((o) => !served.has(`${o.method} ${o.path}`)).map((o) => `${o.name}: ${o.method} ${o.path}`);
    expect(missing, 'called by ovhflow but gone from the 2026 schema').toEqual([]);
    for (const operation of ovhOperations()) {
      const placeholders = [...operation.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      expect(served.get(`${operation.method} ${operation.path}`), operation.name).toEqual(placeholders);
    }
  });

  it('names each operation after the OvhClient method that makes it', () => {
    const methods = Object.getOwnPropertyNames(OvhClient.prototype);
    expect(Object.keys(OVH_OPERATIONS).filter((name) => !methods.includes(name))).toEqual([]);
  });

  it('refuses, before any request, a raw call that is not in the table', async () => {
    const client = new OvhClient({ endpoint: 'https://127.0.0.1:1', applicationKey: 'a', applicationSecret: 'b', consumerKey: 'c', logger: createLogger('silent') });
    await expect(client.call('PUT', '/hosting/web/x.ovh')).rejects.toThrow(/not in the OVH operations table/);
    await expect(client.call('GET', '/me')).rejects.toThrow(/not in the OVH operations table/);
  });

  it('builds each path from its template, one encoded segment per value', () => {
    expect(operationPath('getDump', { serviceName: 'demo-shop.ovh', name: 'db1', id: 5001 })).toBe('/hosting/web/demo-shop.ovh/database/db1/dump/5001');
    expect(operationPath('getAttachedDomain', { serviceName: 's.ovh', domain: '../x?y' })).toBe('/hosting/web/s.ovh/attachedDomain/..%2Fx%3Fy');
    expect(() => operationPath('getService', { serviceName: '' })).toThrow(/missing path parameter "serviceName"/);
    expect(operationOfCall('GET', '/hosting/web/moduleList/301')).toBe('getModuleCatalogEntry');
    expect(operationOfCall('GET', '/hosting/web/s.ovh/database/db1/dump?type=now')).toBe('listDumps');
    expect(operationOfCall('POST', '/hosting/web/s.ovh/database/db1/dump/7/restore')).toBe('restoreDump');
  });
});

/** `.name(` calls of table operations in the code that uses the client (everything but the client and the simulator). */
function operationsCalledByTheCode(): Set<string> {
  const root = fileURLToPath(new URL('../../src', import.meta.url));
  const names = new Set(Object.keys(OVH_OPERATIONS));
  const called = new Set<string>();
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (path !== join(root, 'ovh') && path !== join(root, 'simulator')) visit(path);
      } else if (entry.name.endsWith('.ts')) {
        for (const match of readFileSync(path, 'utf8').matchAll(/\.(\w+)\(/g)) if (names.has(match[1]!)) called.add(match[1]!);
      }
    }
  };
  visit(root);
  return called;
}

describe('requiredAccessRules() follows the calls the code makes', () => {
  it('every operation whose rule is requested is called somewhere, and no operation flagged notCalled is', () => {
    const called = operationsCalledByTheCode();
    const authenticated = ovhOperations().filter((o) => !o.noAuthentication);
    const requestedButUncalled = authenticated.filter((o) => !o.notCalled && !called.has(o.name)).map((o) => o.name);
    const calledButNotRequested = authenticated.filter((o) => o.notCalled && called.has(o.name)).map((o) => o.name);
    expect(requestedButUncalled, 'no code calls these: flag them notCalled in src/ovh/operations.ts').toEqual([]);
    expect(calledButNotRequested, 'code calls these now: remove their notCalled flag in src/ovh/operations.ts').toEqual([]);
  });
});

describe('requiredAccessRules()', () => {
  const rules = requiredAccessRules();

  it('is the OVH-style wildcard rules of the calls ovhflow makes, deduplicated and minimal', () => {
    expect(rules).toEqual([
      { method: 'GET', path: '/hosting/web' },
      { method: 'GET', path: '/hosting/web/*' },
      { method: 'POST', path: '/hosting/web/*/attachedDomain' },
      { method: 'DELETE', path: '/hosting/web/*/attachedDomain/*' },
      { method: 'POST', path: '/hosting/web/*/database' },
      { method: 'DELETE', path: '/hosting/web/*/database/*' },
      { method: 'POST', path: '/hosting/web/*/database/*/dump' },
      { method: 'POST', path: '/hosting/web/*/database/*/restore' },
      { method: 'POST', path: '/hosting/web/*/module' },
      { method: 'DELETE', path: '/hosting/web/*/module/*' },
      { method: 'POST', path: '/hosting/web/*/ssl' },
      { method: 'POST', path: '/hosting/web/*/ssl/regenerate' },
      { method: 'DELETE', path: '/hosting/web/*/ssl' },
      { method: 'POST', path: '/hosting/web/*/user' },
      { method: 'DELETE', path: '/hosting/web/*/user/*' },
      { method: 'PUT', path: '/hosting/web/*/user/*' },
      { method: 'POST', path: '/hosting/web/*/user/*/changePassword' },
      { method: 'POST', path: '/hosting/web/*/database/*/changePassword' },
      { method: 'GET', path: '/auth/currentCredential' },
      // DNS readiness: the account's zones, one name's records, and the zone refresh — nothing else of /domain.
      { method: 'GET', path: '/domain/zone' },
      { method: 'GET', path: '/domain/zone/*/record' },
      { method: 'GET', path: '/domain/zone/*/record/*' },
      { method: 'POST', path: '/domain/zone/*/record' },
      { method: 'PUT', path: '/domain/zone/*/record/*' },
      { method: 'DELETE', path: '/domain/zone/*/record/*' },
      { method: 'POST', path: '/domain/zone/*/refresh' },
      { method: 'PUT', path: '/hosting/web/*/attachedDomain/*' },
      // A folder's .ovhconfig: the change, and the rollback an aborted `php set` makes.
      { method: 'POST', path: '/hosting/web/*/ovhConfig/*/changeConfiguration' },
      { method: 'POST', path: '/hosting/web/*/ovhConfig/*/rollback' },
      // A provisioning that sets its site's PHP asks OVH to find the new folder's .ovhconfig.
      { method: 'POST', path: '/hosting/web/*/ovhConfigRefresh' },
      // Environment variables: create, change a value, remove (and what an aborted `env set` puts back).
      { method: 'POST', path: '/hosting/web/*/envVar' },
      { method: 'PUT', path: '/hosting/web/*/envVar/*' },
      { method: 'DELETE', path: '/hosting/web/*/envVar/*' },
      // Git deployment: a folder's link (create, branch change, removal) and its deployments.
      { method: 'POST', path: '/hosting/web/*/website' },
      { method: 'PUT', path: '/hosting/web/*/website/*' },
      { method: 'DELETE', path: '/hosting/web/*/website/*' },
      { method: 'POST', path: '/hosting/web/*/website/*/deploy' },
      // Scheduled tasks: cron add, update, delete (and the undo of each).
      { method: 'POST', path: '/hosting/web/*/cron' },
      { method: 'PUT', path: '/hosting/web/*/cron/*' },
      { method: 'DELETE', path: '/hosting/web/*/cron/*' },
    ]);
  });

  it('grants every authenticated operation the code calls, and no rule is there for an unauthenticated one', () => {
    for (const operation of ovhOperations().filter((o) => !o.noAuthentication && !o.notCalled)) {
      const own = ruleOfOperation(operation);
      expect(isGranted(rules, own.method, own.path), operation.name).toBe(true);
    }
    const unauthenticated = new Set(ovhOperations().filter((o) => o.noAuthentication).map((o) => o.name));
    for (const rule of requiredRulesWithOperations()) {
      expect(rule.operations.filter((name) => unauthenticated.has(name)), `${rule.method} ${rule.path}`).toEqual([]);
    }
    expect(rules.some((rule) => rule.path.startsWith('/auth/time') || rule.path.startsWith('/auth/credential') || rule.path.includes('moduleList'))).toBe(false);
  });

  it('never collapses to a catch-all, never repeats itself, and no rule is granted by another one', () => {
    expect(rules.some((rule) => rule.path === '/*' || rule.path === '/hosting/*')).toBe(false);
    expect(new Set(rules.map((r) => `${r.method} ${r.path}`)).size).toBe(rules.length);
    for (const rule of rules) {
      const others = rules.filter((other) => other !== rule);
      expect(isGranted(others, rule.method, rule.path), `${rule.method} ${rule.path}`).toBe(false);
    }
  });

  it('names the calls each rule grants (what `credentials check` reports as lacking)', () => {
    const byRule = new Map(requiredRulesWithOperations().map((r) => [`${r.method} ${r.path}`, r.operations]));
    expect(byRule.get('POST /hosting/web/*/database/*/restore')).toEqual(['restoreDump', 'restoreOvhBackup']);
    expect(byRule.get('POST /hosting/web/*/module')).toEqual(['installModule']);
    expect(byRule.get('GET /hosting/web/*')).toContain('getService');
  });

  it('compares a key with what ovhflow needs: OVH wildcards count, broader rules are reported as unneeded', () => {
    const full = [
      { method: 'GET', path: '/*' },
      { method: 'POST', path: '/*' },
      { method: 'PUT', path: '/*' },
      { method: 'DELETE', path: '/*' },
    ] as const;
    expect(compareWithRequired([...full]).lacking).toEqual([]);
    expect(compareWithRequired([...full]).unneeded).toHaveLength(4);
    const exact = compareWithRequired(rules);
    expect([exact.lacking, exact.unneeded]).toEqual([[], []]);
    const withoutModules = compareWithRequired(rules.filter((r) => r.path !== '/hosting/web/*/module'));
    expect(withoutModules.lacking.map((r) => [r.method, r.path, r.operations])).toEqual([['POST', '/hosting/web/*/module', ['installModule']]]);
  });
});
