// How the CLI starts (issue 24): a command loads its own module when it runs, so `ovhflow --help` (and a command's
// own startup) does not pay for Temporal, zod, fastify or the worker it does not use. The figures are in
// docs/BENCHMARKS.md (`npm run bench:cli-startup`); here, what is loaded, which does not depend on the machine's load.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../src/cli/invocation.js';
import { buildProgram, programFor } from '../../src/cli/main.js';
import { ensureFreshDist, OVHFLOW_BIN, PROJECT_ROOT } from '../support/cli.js';

const RECORDER = fileURLToPath(new URL('./fixtures/record-imports.mjs', import.meta.url));

/** The modules `node bin/ovhflow.js ...args` imports, as resolved URLs. */
function importsOf(...args: string[]): { urls: string[]; stdout: string; status: number | null } {
  const dir = mkdtempSync(join(tmpdir(), 'ovhflow-imports-'));
  const file = join(dir, 'imports.txt');
  try {
    const run = spawnSync(process.execPath, ['--import', RECORDER, OVHFLOW_BIN, ...args], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? '', HOME: dir, OVHFLOW_RECORD_IMPORTS: file },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { urls: readFileSync(file, 'utf8').trim().split('\n'), stdout: run.stdout, status: run.status };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const HEAVY = /node_modules\/(@temporalio|zod|fastify|pino|@peculiar|cli-table3|log-update)\//;

describe('CLI startup', { timeout: 120_000 }, () => {
  beforeAll(async () => {
    await ensureFreshDist();
  });

  it('lists every command in --help without loading the commands: the same help as with every command module loaded', async () => {
    const eager = (await buildProgram()).helpInformation();
    const lazy = (await programFor(['node', 'ovhflow', '--help'])).helpInformation();
    expect(lazy).toBe(eager);
    expect(eager).toContain('provision [options]');
  });

  it('a command named on the command line is the real one, with its options and help', async () => {
    for (const argv of [['status', 'x'], ['help', 'status'], ['dns', 'check']]) {
      const program = await programFor(['node', 'ovhflow', ...argv]);
      const full = await buildProgram();
      const name = argv[0] === 'help' ? argv[1] : argv[0];
      const real = full.commands.find((c) => c.name() === name);
      expect(program.commands.find((c) => c.name() === name)?.helpInformation(), argv.join(' ')).toBe(real?.helpInformation());
    }
  });

  it('rewrites only the commands it knows: the list of commands is the program\'s', async () => {
    expect([...COMMAND_NAMES].sort()).toEqual([...(await buildProgram()).commands.map((c) => c.name()), 'help'].sort());
  });

  it('`ovhflow --help` through the binary imports neither Temporal, zod nor any command module', () => {
    const help = importsOf('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Commands:');
    // The recorder sees the modules (commander is one): an empty list would prove nothing.
    expect(help.urls.some((url) => url.includes('node_modules/commander/'))).toBe(true);
    expect(help.urls.filter((url) => HEAVY.test(url))).toEqual([]);
    expect(help.urls.filter((url) => url.includes(`file://${PROJECT_ROOT}dist/src/`) && !/dist\/src\/(cli\/(main|exit-codes|invocation)|shared\/inputs\/issues)\.js$/.test(url))).toEqual([]);
  });

  it('`ovhflow runs` loads its own command, not the worker, the API server, the simulator or the other commands', () => {
    const runs = importsOf('runs');
    expect(runs.urls.some((url) => url.endsWith('/dist/src/cli/commands/runs.js'))).toBe(true);
    const loaded = runs.urls.filter((url) => /node_modules\/(@temporalio\/worker|fastify)\/|dist\/src\/(simulator|api|worker\.js|activities)\/?|dist\/src\/cli\/commands\/(?!runs\.js)/.test(url));
    expect(loaded).toEqual([]);
  });
});
