// Hostile input over real HTTP: property-based tests (fast-check) throw random and adversarial bodies at
// POST /v1/provisions and hostile ids at /v1/runs/{id}. Whatever arrives, the API answers 2xx or a 4xx with its
// `{ error, message }` body — never a 5xx — and a refused body starts nothing: the task queue holds exactly the runs
// the API said it started, and the simulator sees no call at all.
//
// The worker here has no OVH settings: runs the API accepts stop at preflight without touching OVH (so the
// simulator's silence proves nothing was written for any body), and still answer status queries.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api.js';
import { startTestStack, type TestStack } from '../support/stack.js';
import { createTestWorker } from '../support/temporal.js';

/** FUZZ_RUNS=5000 npx vitest run test/security/hostile-http.test.ts for a deeper search than CI's default. */
const RUNS = Number(process.env.FUZZ_RUNS ?? 400);
const BODY_LIMIT = 256 * 1024;
const ALLOWED = new Set([200, 202, 400, 413, 415]);

const adversarialText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.constantFrom(
    '',
    ' ',
    '.',
    '..',
    '../../etc/passwd',
    '/etc/passwd',
    '/',
    '..%2f..%2fetc',
    '%2e%2e%2f',
    '%252e%252e',
    'C:\\Windows\\System32',
    '\\\\server\\share',
    'www/../../..',
    './www',
    'a\u0000b',
    '\u0000',
    '\u202egnp.exe',
    '\ufeffexample.com',
    '\ud800',
    'ex\u200bample.com',
    'аpple.com', // Cyrillic а
    'pаypal.com',
    'bücher.example',
    'BÜCHER.Example.',
    'xn--',
    'xn--zz.example',
    'xn--bcher-kva.example',
    '*.example.com',
    'example..com',
    '-example.com',
    `${'a'.repeat(64)}.example.com`,
    `${'a'.repeat(63)}.`.repeat(4) + 'com',
    '192.168.0.1',
    '[::1]',
    'localhost',
    'demo-agency.ovh/../demo-shop.ovh',
    'demo-agency.ovh%2f..',
    '-----BEGIN PRIVATE KEY-----\nMIIEvQ\n-----END PRIVATE KEY-----',
    '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----',
    '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----',
    '__proto__',
    'constructor',
    'prototype',
    'toString',
    '$(reboot)',
    '`id`',
    '; rm -rf /',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    '${jndi:ldap://x/a}',
    '{{7*7}}',
    'admin\nroot',
    'root',
    'a'.repeat(5000),
  ),
);

const adversarialValue = fc.oneof(
  { weight: 6, arbitrary: adversarialText },
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(adversarialText, { maxLength: 3 }),
  fc.dictionary(adversarialText, adversarialText, { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Where a value can go in a provisioning body: every field, nested ones and an unknown one. */
const FIELDS = [
  'serviceName',
  'domain',
  'path',
  'database',
  'database.type',
  'database.capability',
  'database.userSuffix',
  'database.quota',
  'database.version',
  'module',
  'module.name',
  'module.id',
  'module.language',
  'module.adminName',
  'ssl',
  'ssl.mode',
  'ssl.certificate',
  'ssl.key',
  'ssl.chain',
  'stepDeadlineMinutes',
  'unknownField',
] as const;

let sequence = 0;
function baseBody(): Record<string, unknown> {
  sequence += 1;
  return {
    serviceName: 'demo-agency.ovh',
    domain: `fuzz-${process.pid}-${sequence}.example.org`,
    path: 'www',
    database: { type: 'mysql', capability: 'sqlPerso' },
    module: { name: 'wordpress', language: 'fr', adminName: 'admin' },
    ssl: { mode: 'letsencrypt' },
  };
}

function withField(body: Record<string, unknown>, field: string, value: unknown): Record<string, unknown> {
  const [head, tail] = field.split('.') as [string, string | undefined];
  if (!tail) return { ...body, [head]: value };
  const inner = body[head];
  return { ...body, [head]: { ...(typeof inner === 'object' && inner !== null ? inner : {}), [tail]: value } };
}

/** A request body as bytes, and the content type it is sent with. */
interface HostileBody {
  name: string;
  bytes: Buffer;
  contentType?: string;
}

const json = (name: string, value: unknown): HostileBody => ({ name, bytes: Buffer.from(JSON.stringify(value) ?? 'null', 'utf8'), contentType: 'application/json' });

const hostileBody: fc.Arbitrary<HostileBody> = fc.oneof(
  // A valid body now and then, so accepted runs are part of the mix.
  { weight: 1, arbitrary: fc.constantFrom('Fuzz.Example.org', 'bücher-fuzz.example', 'fuzz.example.org.').map((suffix) => json('valid', { ...baseBody(), domain: `${sequence}-${suffix}` })) },
  // One field of a valid body replaced by something hostile.
  { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...FIELDS), adversarialValue).map(([field, value]) => json(`field ${field}`, withField(baseBody(), field, value))) },
  // Any JSON at all.
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => json('random json', value)) },
  // Prototype pollution, at the top and nested, with valid fields beside it.
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.constantFrom('', 'database', 'module', 'ssl')).map(([key, under]) => {
      const body = JSON.stringify(baseBody());
      const pollution = key === 'constructor' ? '{"prototype":{"isAdmin":true}}' : '{"isAdmin":true,"polluted":"yes"}';
      const text = under === '' ? `${body.slice(0, -1)},"${key}":${pollution}}` : body.replace(`"${under}":{`, `"${under}":{"${key}":${pollution},`);
      return { name: `pollution ${under}.${key}`, bytes: Buffer.from(text) };
    }),
  },
  // Deep nesting, as the body or inside a field.
  {
    weight: 1,
    arbitrary: fc.tuple(fc.integer({ min: 1_000, max: 100_000 }), fc.constantFrom('[', '{"a":'), fc.constantFrom('body', 'domain', 'database')).map(([depth, open, where]) => {
      const close = open === '[' ? ']' : '}';
      const nested = `${open.repeat(depth)}${open === '[' ? '' : '1'}${close.repeat(depth)}`;
      const text = where === 'body' ? nested : JSON.stringify(baseBody()).replace(new RegExp(`"${where}":("[^"]*"|\\{[^}]*\\})`), `"${where}":${nested}`);
      return { name: `nesting ${where} ${depth}`, bytes: Buffer.from(text) };
    }),
  },
  // Huge strings, around the body limit.
  {
    weight: 1,
    arbitrary: fc.tuple(fc.constantFrom('domain', 'path', 'ssl.certificate', 'ssl.key', 'unknownField'), fc.integer({ min: BODY_LIMIT - 2_000, max: BODY_LIMIT + 50_000 })).map(([field, size]) =>
      json(`huge ${field} ${size}`, withField(baseBody(), field, 'x'.repeat(size))),
    ),
  },
  // Bytes that are not UTF-8, inside a string value or anywhere.
  {
    weight: 2,
    arbitrary: fc.tuple(fc.constantFrom('domain', 'path', 'serviceName', 'adminName'), fc.uint8Array({ minLength: 1, maxLength: 12 })).map(([field, raw]) => {
      const body = JSON.stringify({ ...baseBody(), adminName: undefined, module: { name: 'wordpress', adminName: '@@' } });
      const marker = field === 'adminName' ? '"adminName":"' : `"${field}":"`;
      const at = body.indexOf(marker) + marker.length;
      return { name: `bytes in ${field}`, bytes: Buffer.concat([Buffer.from(body.slice(0, at)), Buffer.from(raw), Buffer.from(body.slice(at))]) };
    }),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((raw) => ({ name: 'random bytes', bytes: Buffer.from(raw) })) },
).chain((body) =>
  // Mostly JSON, sometimes another or an odd content type.
  fc
    .oneof(
      { weight: 8, arbitrary: fc.constant('application/json') },
      fc.constantFrom('application/json; charset=utf-8', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'APPLICATION/JSON', ''),
    )
    .map((contentType) => ({ ...body, contentType })),
);

describe('hostile HTTP input', () => {
  let stack: TestStack;
  let api: TestApi;
  let stopWorker: () => Promise<void>;
  const started = new Set<string>();

  beforeAll(async () => {
    stack = await startTestStack('hostile-http');
    // No OVH settings: an accepted run fails its preflight without a single call.
    const { worker, close } = await createTestWorker(stack.t, stack.taskQueue);
    const running = worker.run();
    stopWorker = async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await close();
    };
    api = await startTestApi(stack);
  });
  afterAll(async () => {
    await Promise.all([...started].map((id) => stack.t.client.workflow.getHandle(id).terminate('hostile-http test done').catch(() => undefined)));
    await api?.close();
    await stopWorker?.();
    await stack?.close();
  });

  async function send(method: string, path: string, body?: HostileBody) {
    const headers: Record<string, string> = { Authorization: `Bearer ${api.token}` };
    if (body?.contentType) headers['Content-Type'] = body.contentType;
    const response = await fetch(`${api.url}${path}`, { method, headers, ...(body ? { body: body.bytes } : {}) });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, text, body: parsed as Record<string, unknown> | undefined };
  }

  function expectErrorBody(answer: { status: number; text: string; body: Record<string, unknown> | undefined }) {
    expect(answer.body, answer.text.slice(0, 300)).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    expect(answer.body?.error).not.toBe('internal_error');
  }

  it('POST /v1/provisions answers 2xx, 400, 413 or 415 to any body, never 5xx, and a refused body starts nothing', async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(hostileBody, fc.boolean(), async (body, twice) => {
        const answer = await send('POST', '/v1/provisions', body);
        seen.set(answer.status, (seen.get(answer.status) ?? 0) + 1);
        expect(ALLOWED.has(answer.status), `${body.name}: ${answer.status} ${answer.text.slice(0, 300)}`).toBe(true);
        if (answer.status >= 400) {
          expectErrorBody(answer);
          // Too big is refused before it is parsed (unless the content type already was).
          if (body.bytes.length > BODY_LIMIT) expect([413, 415]).toContain(answer.status);
          return;
        }
        // Accepted: the run's business key is plain, canonical ASCII (IDNs as punycode, no control characters).
        const workflowId = String(answer.body?.workflowId);
        expect(workflowId).toMatch(/^provision-site\/[a-z0-9.-]+\/[a-z0-9.-]+$/);
        started.add(workflowId);
        if (twice) {
          // The same body again finds the same run instead of starting another.
          const again = await send('POST', '/v1/provisions', body);
          expect(again.status, again.text.slice(0, 300)).toBe(200);
          expect(again.body).toMatchObject({ workflowId, existing: true });
        }
      }),
      { numRuns: RUNS },
    );
    // The generators reach every kind of answer, not only refusals.
    expect([...seen.keys()]).toEqual(expect.arrayContaining([202, 400, 413, 415]));

    // Exactly the runs the API reported exist on the task queue: no refused body started one...
    const deadline = Date.now() + 10_000;
    let listed: string[] = [];
    for (;;) {
      listed = [];
      // Runs only: a provisioning's start first asks a worker whether the service exists (a short `inventory/…` question).
      for await (const run of stack.t.client.workflow.list({ query: `TaskQueue = "${stack.taskQueue}"` })) if (!run.workflowId.startsWith('inventory/')) listed.push(run.workflowId);
      if (listed.length >= started.size || Date.now() > deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(new Set(listed)).toEqual(started);
    // ...and nothing reached OVH, not even a read.
    expect(await stack.sim.requests()).toEqual([]);
  });

  it('an IDN or homoglyph domain is either refused or started under its punycode form', async () => {
    const cases: Array<[string, RegExp | null]> = [
      ['Bücher.Example', /^provision-site\/demo-agency\.ovh\/xn--bcher-kva\.example$/],
      ['аpple.com', null], // Cyrillic а among Latin letters: refused
      ['xn--pple-43d.com', null], // the same, already in punycode: refused too
      ['пример.рф', /^provision-site\/demo-agency\.ovh\/xn--e1afmkfd\.xn--p1ai$/],
      [`${'a'.repeat(64)}.example.com`, null],
      ['exa\u200bmple.com', null],
    ];
    for (const [domain, accepted] of cases) {
      const answer = await send('POST', '/v1/provisions', json(domain, { serviceName: 'demo-agency.ovh', domain }));
      if (accepted) {
        expect([200, 202], `${domain}: ${answer.text}`).toContain(answer.status);
        expect(String(answer.body?.workflowId)).toMatch(accepted);
        started.add(String(answer.body?.workflowId));
      } else {
        expect(answer.status, `${domain}: ${answer.text}`).toBe(400);
        expect(answer.body).toMatchObject({ error: 'invalid_input', issues: [expect.objectContaining({ field: 'domain' })] });
      }
    }
  });

  it('hostile run ids on /v1/runs/{id} and its decisions get a 4xx, never a 5xx', async () => {
    const hostileId = fc.oneof(
      fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 100 }),
      fc.integer({ min: 990, max: 3000 }).map((length) => 'x'.repeat(length)),
      fc.integer({ min: 300, max: 1200 }).map((length) => 'é'.repeat(length)),
      fc.constantFrom('../', '../../etc/passwd', '..\\..\\', '\u0000', 'a\u0000b', '%00', '%2e%2e%2f', 'provision-site/../../x', 'provision-site/demo-agency.ovh/\u202eexample.com'),
    );
    await fc.assert(
      fc.asyncProperty(hostileId, fc.constantFrom('', '/retry', '/skip', '/abort', '/confirm'), async (id, decision) => {
        const answer = await send(decision ? 'POST' : 'GET', `/v1/runs/${encodeURIComponent(id)}${decision}`, decision ? { name: 'empty', bytes: Buffer.from('{}'), contentType: 'application/json' } : undefined);
        expect(answer.status >= 400 && answer.status < 500, `${JSON.stringify(id).slice(0, 80)}${decision}: ${answer.status} ${answer.text.slice(0, 200)}`).toBe(true);
        expectErrorBody(answer);
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
    // Raw forms, as a hand-typed URL would send them (fetch resolves dot segments first; the rest is sent as is).
    for (const path of ['/v1/runs/%00', '/v1/runs/a%00b', '/v1/runs/%ff', '/v1/runs/%', '/v1/runs/%E0%A4%A', '/v1/runs/..%2F..%2Fetc%2Fpasswd', '/v1/runs/%2e%2e/%2e%2e/x', `/v1/runs/${'x'.repeat(5000)}`, '/v1/runs/%00/retry', '/v1/runs/%ff/abort']) {
      const answer = await send(path.endsWith('/retry') || path.endsWith('/abort') ? 'POST' : 'GET', path);
      expect(answer.status >= 400 && answer.status < 500, `${path.slice(0, 60)}: ${answer.status} ${answer.text.slice(0, 200)}`).toBe(true);
      expectErrorBody(answer);
      // Even what the router cannot decode answers in the API's own shape.
      if (/%(ff|E0|$)/i.test(path) || path.endsWith('%')) expect(answer.body).toEqual({ error: 'bad_request', message: 'the URL is not valid (malformed percent-encoding)' });
    }
    expect(await stack.sim.requests()).toEqual([]);
  });
});
