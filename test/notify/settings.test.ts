// OVHFLOW_NOTIFY_URL as an operator writes it: receivers, their events and formats; every mistake is a startup error
// naming the variable, and the secret and the URLs never reach a log. The chat formats are what Slack and Teams take.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { deliverTo, formatBody, notificationBody, signatureOf } from '../../src/notify/deliver.js';
import { parseNotifySettings } from '../../src/notify/settings.js';
import { redactSecretValues } from '../../src/logging/secret-values.js';
import { freePort } from '../../src/temporal/ports.js';

const SECRET = 'a-long-enough-secret-value-0123';

function problemsOf(env: Record<string, string>): string[] {
  const problems: string[] = [];
  parseNotifySettings(env, problems);
  return problems;
}

describe('OVHFLOW_NOTIFY_URL', () => {
  it('reads several receivers with their events, format and name; defaults: every event, JSON, named by host', () => {
    const problems: string[] = [];
    const settings = parseNotifySettings(
      {
        OVHFLOW_NOTIFY_URL: ` https://ops.example.com/hooks/ovhflow\n  https://hooks.slack.com/services/T0/B0/XYZ|events=run.*,nightly.failed|format=slack|name=chat `,
        OVHFLOW_NOTIFY_SECRET: SECRET,
        OVHFLOW_CONSOLE_URL: 'https://ovhflow.example.com/',
      },
      problems,
    );
    expect(problems).toEqual([]);
    expect(settings?.consoleUrl).toBe('https://ovhflow.example.com');
    expect(settings?.targets).toEqual([
      { name: 'ops.example.com', url: 'https://ops.example.com/hooks/ovhflow', format: 'json', events: ['run.needs_attention', 'run.failed', 'run.aborted', 'nightly.failed', 'certificate.expiring', 'fleet.drift'] },
      { name: 'chat', url: 'https://hooks.slack.com/services/T0/B0/XYZ', format: 'slack', events: ['run.needs_attention', 'run.failed', 'run.aborted', 'nightly.failed'] },
    ]);
    // Registered for redaction: the secret and a chat webhook's URL (its credential).
    expect(redactSecretValues(`key ${SECRET} url https://hooks.slack.com/services/T0/B0/XYZ`)).toBe('key [redacted] url [redacted]');
  });

  it('refuses, with a sentence naming the receiver, unknown events, formats and options, bad URLs, and a missing or short secret', () => {
    expect(problemsOf({ OVHFLOW_NOTIFY_URL: 'https://a.example/x|events=run.exploded', OVHFLOW_NOTIFY_SECRET: SECRET })).toEqual([
      'OVHFLOW_NOTIFY_URL receiver 1: unknown event "run.exploded" (known: run.needs_attention, run.failed, run.aborted, nightly.failed, certificate.expiring, fleet.drift; or run.*)',
    ]);
    expect(problemsOf({ OVHFLOW_NOTIFY_URL: 'https://a.example/x|format=xml', OVHFLOW_NOTIFY_SECRET: SECRET })[0]).toBe(
      'OVHFLOW_NOTIFY_URL receiver 1: format "xml" is not one of json, slack, teams',
    );
    expect(problemsOf({ OVHFLOW_NOTIFY_URL: 'https://a.example/x|event=run.failed', OVHFLOW_NOTIFY_SECRET: SECRET })[0]).toContain('unknown option "event"');
    expect(problemsOf({ OVHFLOW_NOTIFY_URL: 'https://a.example/x ftp://b.example/secret-path', OVHFLOW_NOTIFY_SECRET: SECRET })).toEqual([
      'OVHFLOW_NOTIFY_URL receiver 2: "ftp://b.example/…" is not an http(s) URL',
    ]);
    expect(problemsOf({ OVHFLOW_NOTIFY_URL: 'https://a.example/x https://a.example/y', OVHFLOW_NOTIFY_SECRET: SECRET })[0]).toContain('two receivers are named "a.example"');
    expect(problemsOf({ OVHFLOW_NOTIFY_URL: 'https://a.example/x' })[0]).toContain('OVHFLOW_NOTIFY_SECRET: required with OVHFLOW_NOTIFY_URL');
    expect(problemsOf({ OVHFLOW_NOTIFY_URL: 'https://a.example/x', OVHFLOW_NOTIFY_SECRET: 'short' })[0]).toContain('OVHFLOW_NOTIFY_SECRET: too short');
    expect(problemsOf({ OVHFLOW_NOTIFY_SECRET: SECRET })[0]).toContain('OVHFLOW_NOTIFY_URL names no receiver');
    // At startup: loadConfig refuses the same way.
    expect(() => loadConfig({ OVHFLOW_NOTIFY_URL: 'https://a.example/x|events=' })).toThrow(ConfigError);
    expect(() => loadConfig({ OVHFLOW_NOTIFY_URL: 'https://a.example/x|events=' })).toThrow(/receiver 1: events= lists no event/);
  });
});

const body = notificationBody(
  {
    event: 'run.needs_attention',
    deliveryId: 'provision-site/demo/x.example/run-1/run.needs_attention/1',
    occurredAt: '2026-01-01T00:00:00.000Z',
    runId: 'provision-site/demo/x.example',
    temporalRunId: 'run-1',
    kind: 'provision',
    step: 'createDatabase',
    message: 'OVH refused the database',
    ovhMessage: 'Quota exceeded',
    queryId: 'EU.ext-1.abc',
  },
  'default',
  'https://ovhflow.example.com',
);

describe('webhook bodies', () => {

  it('is signed like GitHub: sha256= and the hex HMAC-SHA256 of the exact body', () => {
    // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), the published test vector.
    expect(signatureOf('The quick brown fox jumps over the lazy dog', 'key')).toBe('sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8');
  });

  it('for Slack and Teams is a chat message with the run, the step, OVH’s message and query id, and the console link', () => {
    const slack = JSON.parse(formatBody(body, 'slack')) as { text: string };
    expect(slack.text).toContain('provision run provision-site/demo/x.example needs an operator at step createDatabase (account default)');
    expect(slack.text).toContain('OVH: Quota exceeded (query id EU.ext-1.abc)');
    expect(slack.text).toContain('<https://ovhflow.example.com/console/run?id=provision-site%2Fdemo%2Fx.example|open the run in the console>');
    const teams = JSON.parse(formatBody(body, 'teams')) as { '@type': string; title: string; potentialAction: Array<{ targets: Array<{ uri: string }> }> };
    expect(teams['@type']).toBe('MessageCard');
    expect(teams.title).toContain('needs an operator at step createDatabase');
    expect(teams.potentialAction[0]?.targets[0]?.uri).toBe(body.consoleUrl);
  });
});

describe("docs/operating.md's receiver", () => {
  it('runs as written: accepts a delivery signed with the secret, refuses one signed with another', async () => {
    const docs = readFileSync(new URL('../../docs/operating.md', import.meta.url), 'utf8');
    const snippet = docs.slice(docs.indexOf('```js\n') + 6, docs.indexOf('```', docs.indexOf('```js\n') + 6));
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'ovhflow-receiver-'));
    writeFileSync(join(dir, 'receiver.mjs'), snippet.replace('.listen(8090)', `.listen(${port}, '127.0.0.1')`));
    const child = spawn(process.execPath, [join(dir, 'receiver.mjs')], { env: { PATH: process.env.PATH, OVHFLOW_NOTIFY_SECRET: SECRET }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const target = { name: 'docs', url: `http://127.0.0.1:${port}/`, events: ['run.needs_attention' as const], format: 'json' as const };
      let answer = await deliverTo(target, body, SECRET);
      for (let i = 0; i < 50 && !answer.ok && answer.status === undefined; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        answer = await deliverTo(target, body, SECRET);
      }
      expect(answer).toEqual({ ok: true, status: 204 });
      expect(await deliverTo(target, body, 'another-secret-of-some-length')).toEqual({ ok: false, status: 401, reason: 'HTTP 401' });
      expect(output).toContain(`run.needs_attention ${body.runId} createDatabase ${body.consoleUrl}`);
    } finally {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
