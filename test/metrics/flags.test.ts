// Bad metrics and webhook settings, as an operator meets them starting `ovhflow worker` / `ovhflow api`: a clear
// message naming the flag or the variable, a non-zero exit, nothing started.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureFreshDist, OVHFLOW_BIN } from '../support/cli.js';

const cwd = mkdtempSync(join(tmpdir(), 'ovhflow-metrics-flags-'));

function ovhflow(args: string[], env: Record<string, string> = {}): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [OVHFLOW_BIN, ...args], { cwd, env: { PATH: process.env.PATH, HOME: cwd, TEMPORAL_ADDRESS: '127.0.0.1:1', ...env }, timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
    );
  });
}

beforeAll(async () => {
  await ensureFreshDist();
}, 120_000);
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('metrics and webhook settings at startup', () => {
  it('refuses a --metrics-port that is not a port, naming the flag', async () => {
    for (const command of ['worker', 'api']) {
      const { code, output } = await ovhflow([command, '--metrics-port', 'ninety']);
      expect(code, output).not.toBe(0);
      expect(output).toContain('--metrics-port: "ninety" is not a port number (0-65535)');
    }
  });

  it('refuses OVHFLOW_METRICS_PORT and OVHFLOW_NOTIFY_URL mistakes, naming the variable and the receiver', async () => {
    const port = await ovhflow(['worker'], { OVHFLOW_METRICS_PORT: '70000' });
    expect(port.code).not.toBe(0);
    expect(port.output).toContain('OVHFLOW_METRICS_PORT');
    const notify = await ovhflow(['worker'], { OVHFLOW_NOTIFY_URL: 'https://ops.example.com/h|events=run.failed,run.exploded', OVHFLOW_NOTIFY_SECRET: 'x'.repeat(32) });
    expect(notify.code).not.toBe(0);
    expect(notify.output).toContain('OVHFLOW_NOTIFY_URL receiver 1: unknown event "run.exploded"');
    const secret = await ovhflow(['worker'], { OVHFLOW_NOTIFY_URL: 'https://ops.example.com/h' });
    expect(secret.output).toContain('OVHFLOW_NOTIFY_SECRET: required with OVHFLOW_NOTIFY_URL');
    const cron = await ovhflow(['worker'], { OVHFLOW_CERTIFICATE_WATCH_CRON: 'daily' });
    expect(cron.output).toContain('OVHFLOW_CERTIFICATE_WATCH_CRON: expected a 5-field cron expression');
  });
});
