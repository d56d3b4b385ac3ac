// The simulator's pure building blocks, each against its own examples: signatures (cross-checked with the
// official client's signer), access-rule and fault-path patterns, routing precedence, schema value checks, the
// token bucket and the secret mask.
import { describe, expect, it } from 'vitest';
import { isGranted } from '../../src/simulator/auth/access-rules.js';
import { ipAllowed } from '../../src/simulator/auth/credential-store.js';
import { signableUrls, signatureMatches, signRequest } from '../../src/simulator/auth/signature.js';
import { pathPattern } from '../../src/simulator/faults/fault-book.js';
import { matchesLike, normalizeDomain, normalizeRelativePath } from '../../src/simulator/hosting/rules.js';
import { PathRouter } from '../../src/simulator/http/path-router.js';
import { RateLimiter } from '../../src/simulator/http/rate-limiter.js';
import { maskSecrets } from '../../src/simulator/http/request-log.js';
import { parseRequestTarget } from '../../src/simulator/http/request-target.js';
import { loadApiSchema } from '../../src/simulator/schema/api-schema.js';
import { checkValue } from '../../src/simulator/schema/check-value.js';
import { createOfficialOvhClient } from '../support/simulator.js';

describe('signatures', () => {
  const parts = { applicationSecret: 'AS', consumerKey: 'CK', method: 'POST', body: '{"a":1}', timestamp: '1700000000' };

  it('compute the same "$1$" + sha1 as the official Node client', () => {
    const official = createOfficialOvhClient({ appKey: 'AK', appSecret: 'AS', consumerKey: 'CK' }) as unknown as {
      signRequest(method: string, url: string, body: string, timestamp: string): string;
    };
    const url = 'https://127.0.0.1/1.0/hosting/web?x=1';
    expect(signRequest({ ...parts, url })).toBe(official.signRequest('POST', url, '{"a":1}', '1700000000'));
    expect(signRequest({ ...parts, url })).toMatch(/^\$1\$[0-9a-f]{40}$/);
  });

  it('verify over the host with or without its port', () => {
    const urls = signableUrls('127.0.0.1:8443', '/1.0/hosting/web');
    expect(urls).toEqual(['https://127.0.0.1:8443/1.0/hosting/web', 'https://127.0.0.1/1.0/hosting/web']);
    expect(signatureMatches(signRequest({ ...parts, url: urls[1] as string }), parts, urls)).toBe(true);
    expect(signatureMatches(signRequest({ ...parts, url: 'https://evil/1.0/hosting/web' }), parts, urls)).toBe(false);
    expect(signatureMatches('garbage', parts, urls)).toBe(false);
  });
});

describe('patterns', () => {
  it('access rules: * spans any characters, slashes included', () => {
    const rules = [{ method: 'GET' as const, path: '/hosting/web/*' }];
    expect(isGranted(rules, 'GET', '/hosting/web/a/database/b')).toBe(true);
    expect(isGranted(rules, 'GET', '/hosting/web')).toBe(false);
    expect(isGranted(rules, 'POST', '/hosting/web/a')).toBe(false);
    expect(isGranted([{ method: 'GET', path: '/hosting/web' }], 'GET', '/hosting/web')).toBe(true);
    expect(isGranted([{ method: 'GET', path: '/hosting.web' }], 'GET', '/hostingXweb')).toBe(false);
  });

  it('fault paths: * is one segment, ** any number', () => {
    expect(pathPattern('/hosting/web/*/database').test('/hosting/web/x.ovh/database')).toBe(true);
    expect(pathPattern('/hosting/web/*/database').test('/hosting/web/x.ovh/database/db1')).toBe(false);
    expect(pathPattern('/hosting/web/**').test('/hosting/web/x/database/db1/dump')).toBe(true);
    expect(pathPattern('/hosting/web/**').test('/hosting/web')).toBe(true);
    expect(pathPattern('/hosting/web/*/database/*/dump').test('/hosting/web/a/database/b/dump')).toBe(true);
  });

  it('allowed IP blocks', () => {
    expect(ipAllowed(null, '1.2.3.4')).toBe(true);
    expect(ipAllowed(['10.0.0.0/8'], '10.2.3.4')).toBe(true);
    expect(ipAllowed(['10.0.0.0/8'], '::ffff:10.2.3.4')).toBe(true);
    expect(ipAllowed(['10.0.0.0/8', '192.0.2.7'], '192.0.2.8')).toBe(false);
    expect(ipAllowed(['2001:db8::/32'], '2001:db8::1')).toBe(true);
  });

  it('OVH "like" filters use % only', () => {
    expect(matchesLike('demoshopdb1', 'demoshop%')).toBe(true);
    expect(matchesLike('demoshopdb1', 'demoshop')).toBe(false);
    expect(matchesLike('demoshopdb1', undefined)).toBe(true);
    expect(matchesLike('a.b', 'a_b')).toBe(false);
  });

  it('paths and domains', () => {
    expect(normalizeRelativePath('./www/', 'path')).toBe('www');
    expect(normalizeRelativePath('/sites/blog', 'path')).toBe('sites/blog');
    expect(normalizeRelativePath('./', 'path')).toBe('.');
    expect(() => normalizeRelativePath('a/../b', 'path')).toThrow('[path] Invalid path: a/../b');
    expect(normalizeDomain('Exemple.FR.', 'domain')).toBe('exemple.fr');
    expect(normalizeDomain('bücher.example', 'domain')).toBe('xn--bcher-kva.example');
    expect(() => normalizeDomain('localhost', 'domain')).toThrow();
    expect(() => normalizeDomain('-bad.example', 'domain')).toThrow();
  });
});

describe('routing', () => {
  const router = new PathRouter(['/hosting/web/{serviceName}', '/hosting/web/moduleList', '/hosting/web/{serviceName}/tasks/{id}', '/hosting/web/moduleList/{id}']);

  it('prefers literal segments over parameters', () => {
    expect(router.match(['hosting', 'web', 'moduleList'])).toEqual({ template: '/hosting/web/moduleList', params: {} });
    expect(router.match(['hosting', 'web', 'demo.ovh'])).toEqual({ template: '/hosting/web/{serviceName}', params: { serviceName: 'demo.ovh' } });
    expect(router.match(['hosting', 'web', 'moduleList', '301'])?.template).toBe('/hosting/web/moduleList/{id}');
    expect(router.match(['hosting', 'web', ''])).toBeNull();
    expect(router.match(['hosting'])).toBeNull();
  });

  it('splits request targets into areas', () => {
    expect(parseRequestTarget('/1.0/hosting/web/a%2Eb?x=1&y=2')).toEqual({ area: 'api', path: '/hosting/web/a.b', segments: ['hosting', 'web', 'a.b'], query: { x: '1', y: '2' } });
    expect(parseRequestTarget('/v1/auth/time')?.area).toBe('api');
    expect(parseRequestTarget('/1.0/hosting/web.json')?.area).toBe('schema');
    expect(parseRequestTarget('/_sim/state')?.area).toBe('admin');
    expect(parseRequestTarget('/auth/?credentialToken=x')?.area).toBe('validation');
    expect(parseRequestTarget('/1.0/%E0%A4%A')).toBeNull();
  });
});

describe('schema value checks', () => {
  const { models } = loadApiSchema();
  const json = { models, source: 'json' as const, mode: 'request' as const };
  const text = { models, source: 'text' as const, mode: 'request' as const };

  it('convert query text to types and refuse what does not fit', () => {
    expect(checkValue('42', 'long', 'id', text)).toBe(42);
    expect(checkValue('true', 'boolean', 'active', text)).toBe(true);
    expect(checkValue('100', 'hosting.web.database.ExtraSqlQuotaEnum', 'quota', text)).toBe(100);
    expect(() => checkValue('4.2', 'long', 'id', text)).toThrow('[id] Given data (4.2) is not valid for type long');
    expect(() => checkValue('yes', 'boolean', 'active', text)).toThrow('[active] Given data (yes) is not valid for type boolean');
    expect(() => checkValue('not a date', 'datetime', 'creationDate.from', text)).toThrow('[creationDate.from]');
  });

  it('check JSON bodies, models and arrays deeply', () => {
    expect(checkValue(100, 'hosting.web.database.ExtraSqlQuotaEnum', 'quota', json)).toBe(100);
    expect(() => checkValue('42', 'long', 'port', json)).toThrow('[port] Given data (42) is not valid for type long');
    expect(checkValue({ domain: 'a.example', ssl: null }, 'hosting.web.AttachedDomain', '', json)).toEqual({ domain: 'a.example', ssl: null });
    expect(() => checkValue({ domain: 1 }, 'hosting.web.AttachedDomain', '', json)).toThrow('[domain] Given data (1) is not valid for type string');
    expect(() => checkValue([{ type: 'mysql', port: 'x' }], 'hosting.web.module.DependencyType[]', 'dependencies', json)).toThrow(
      '[dependencies[0].port] Given data (x) is not valid for type long',
    );
    expect(() => checkValue({}, 'auth.ApiCredentialRequestParams', '', json)).toThrow('[accessRules] Missing parameter');
  });

  it('in response mode, require every property and respect canBeNull', () => {
    const response = { models, source: 'json' as const, mode: 'response' as const };
    expect(checkValue({ unit: 'MB', value: 1.5 }, 'complexType.UnitAndValue<double>', 'q', response)).toEqual({ unit: 'MB', value: 1.5 });
    expect(() => checkValue({ unit: 'MB', value: 'x' }, 'complexType.UnitAndValue<double>', 'q', response)).toThrow('not valid for type double');
    expect(() => checkValue({ unit: 'MB' }, 'complexType.UnitAndValue<double>', 'q', response)).toThrow('[q.value] Missing property');
  });
});

describe('small machines', () => {
  it('token bucket: burst, then one token per 1/perSecond', () => {
    const limiter = new RateLimiter(() => ({ perSecond: 2, burst: 2 }));
    expect([limiter.take('k', 0), limiter.take('k', 0), limiter.take('k', 0)]).toEqual([0, 0, 1]);
    expect(limiter.take('other', 0)).toBe(0);
    expect(limiter.take('k', 500)).toBe(0);
    expect(limiter.take('k', 500)).toBe(1);
    expect(new RateLimiter(() => null).take('k', 0)).toBe(0);
  });

  it('mask secrets at any depth, keep the rest', () => {
    expect(maskSecrets({ user: 'u', password: 'p', dependencies: [{ password: 'q', name: 'n' }], key: 'k', certificate: 'c', chain: null })).toEqual({
      user: 'u',
      password: '***',
      dependencies: [{ password: '***', name: 'n' }],
      key: '***',
      certificate: 'c',
      chain: null,
    });
  });
});
