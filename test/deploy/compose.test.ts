// The compose deployment and the image recipe: what `docker compose config` resolves (start order, health checks,
// scalable workers, secrets only from .env, least privilege per container), the init script that registers the
// search attributes (run for real against the suite's dev server), the Dockerfile's shape, and the explicit opt-out
// of the Temporal CLI install used by the image build.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { afterAll, describe, expect, inject, it, beforeAll } from 'vitest';
import { ensureTemporalCli } from '../../src/temporal/temporal-cli.mjs';
import { SEARCH_ATTRIBUTES } from '../../src/shared/search-attributes.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const scratch = mkdtempSync(join(tmpdir(), 'ovhflow-deploy-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The Docker CLI with a Compose plugin: the machine's, or the one scripts/docker-compose.sh built into .tools/. */
function composeEnvironment(): NodeJS.ProcessEnv | undefined {
  const works = (env: NodeJS.ProcessEnv) => {
    try {
      execFileSync('docker', ['compose', 'version'], { env, stdio: 'ignore', timeout: 20_000 });
      return true;
    } catch {
      return false;
    }
  };
  if (works(process.env)) return process.env;
  const projectPlugin = { ...process.env, DOCKER_CONFIG: join(root, '.tools', 'docker') };
  return existsSync(join(root, '.tools', 'docker', 'cli-plugins', 'docker-compose')) && works(projectPlugin) ? projectPlugin : undefined;
}

interface ComposeService {
  image?: string;
  profiles?: string[];
  container_name?: string;
  depends_on?: Record<string, { condition: string; required: boolean }>;
  environment?: Record<string, string | null>;
  ports?: Array<{ host_ip?: string; published?: string; target: number }>;
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
  command?: string[];
  volumes?: Array<{ source: string; target: string; read_only?: boolean }>;
}

// Never skipped: when neither the machine nor .tools/ has Compose, scripts/docker-compose.sh builds it first (as CI does).
let composeEnv: NodeJS.ProcessEnv = process.env;
function ensureCompose(): NodeJS.ProcessEnv {
  const found = composeEnvironment();
  if (found) return found;
  execFileSync('bash', [join(root, 'scripts', 'docker-compose.sh'), 'version'], { stdio: 'ignore', timeout: 600_000 });
  const built = composeEnvironment();
  if (!built) throw new Error('scripts/docker-compose.sh could not provide Docker Compose');
  return built;
}
const STAND_INS = { POSTGRES_PASSWORD: 'pg-stand-in', OVHFLOW_ENCRYPTION_KEY: 'key-stand-in', OVHFLOW_API_TOKEN: 'token-stand-in' };

async function composeConfig(extraArgs: string[] = [], env: Record<string, string> = STAND_INS): Promise<{ services: Record<string, ComposeService> }> {
  // An empty working directory's .env is none: the test sees only the values it passes.
  const { stdout } = await run('docker', ['compose', '--project-directory', root, '-f', join(root, 'docker-compose.yml'), ...extraArgs, 'config', '--format', 'json'], {
    env: { ...composeEnv, ...env, COMPOSE_DISABLE_ENV_FILE: 'true' },
    cwd: scratch,
  });
  return JSON.parse(stdout) as { services: Record<string, ComposeService> };
}

describe('docker-compose.yml as `docker compose config` resolves it', () => {
  beforeAll(() => {
    composeEnv = ensureCompose();
  }, 600_000);

  it('starts in order: PostgreSQL healthy, schema applied, Temporal healthy, namespace and search attributes, then ovhflow', async () => {
    const { services } = await composeConfig();
    expect(Object.keys(services).sort()).toEqual(['api', 'postgresql', 'temporal', 'temporal-init', 'temporal-schema', 'temporal-ui', 'worker']);
    expect(services['temporal-schema']?.depends_on).toEqual({ postgresql: { condition: 'service_healthy', required: true } });
    expect(services.temporal?.depends_on).toEqual({ 'temporal-schema': { condition: 'service_completed_successfully', required: true } });
    expect(services['temporal-init']?.depends_on).toEqual({ temporal: { condition: 'service_healthy', required: true } });
    expect(services.worker?.depends_on).toMatchObject({ 'temporal-init': { condition: 'service_completed_successfully', required: true } });
    expect(services.api?.depends_on).toMatchObject({ 'temporal-init': { condition: 'service_completed_successfully', required: true } });
    for (const name of ['postgresql', 'temporal', 'worker', 'api']) expect(services[name]?.healthcheck?.test, name).toBeDefined();
    expect(services.worker?.healthcheck?.test.join(' ')).toContain('/readyz');
    expect(services.temporal?.image).toMatch(/^temporalio\/server:/);
    expect(services['temporal-init']?.image).toBe(services.temporal?.image?.replace('server', 'admin-tools'));
  });

  it('lets workers scale (no fixed name or host port) and gives SIGTERM time to drain before SIGKILL', async () => {
    const { services } = await composeConfig();
    const worker = services.worker as ComposeService;
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports ?? []).toEqual([]);
    expect(worker.command).toEqual(['node', 'bin/ovhflow.js', 'worker']);
    const graceSeconds = Number(worker.environment?.OVHFLOW_SHUTDOWN_GRACE_SECONDS);
    const [, minutes = '0', seconds = '0'] = /^(?:(\d+)m)?(?:(\d+)s)?$/.exec(worker.stop_grace_period ?? '') ?? [];
    const stopSeconds = Number(minutes) * 60 + Number(seconds);
    expect(stopSeconds).toBeGreaterThan(graceSeconds + 10);
    expect(worker.environment?.OVHFLOW_TASK_QUEUE_ACTIVITIES_PER_SECOND).toBe('10');
  });

  it('takes secrets only from .env and hands each container only what it needs', async () => {
    const raw = read('docker-compose.yml');
    for (const secret of ['POSTGRES_PASSWORD', 'POSTGRES_PWD', 'SQL_PASSWORD', 'OVHFLOW_ENCRYPTION_KEY', 'OVHFLOW_API_TOKEN', 'OVH_APPLICATION_SECRET', 'OVH_CONSUMER_KEY']) {
      for (const line of raw.split('\n').filter((l) => new RegExp(`^\\s*${secret}:`).test(l))) {
        expect(line, `${secret} must be interpolated from .env`).toMatch(/:\s*\$\{[A-Z_]+(:[?-][^}]*)?\}\s*$/);
      }
    }
    const { services } = await composeConfig(['--profile', 'simulator']);
    expect(services.worker?.environment).toMatchObject({ OVHFLOW_ENCRYPTION_KEY: 'key-stand-in', OVH_APPLICATION_SECRET: '' });
    expect(services.worker?.environment).not.toHaveProperty('OVHFLOW_API_TOKEN');
    expect(services.api?.environment).toMatchObject({ OVHFLOW_ENCRYPTION_KEY: 'key-stand-in', OVHFLOW_API_TOKEN: 'token-stand-in' });
    expect(Object.keys(services.api?.environment ?? {}).filter((k) => k.startsWith('OVH_'))).toEqual([]);
    expect(Object.keys(services.simulator?.environment ?? {})).toEqual(['LOG_LEVEL']);
    expect(Object.keys(services['temporal-ui']?.environment ?? {}).filter((k) => /PASSWORD|KEY|TOKEN/.test(k))).toEqual([]);

    await expect(composeConfig([], { ...STAND_INS, OVHFLOW_ENCRYPTION_KEY: '' })).rejects.toThrow(/set OVHFLOW_ENCRYPTION_KEY in \.env/);
    await expect(composeConfig([], { ...STAND_INS, POSTGRES_PASSWORD: '' })).rejects.toThrow(/set POSTGRES_PASSWORD in \.env/);
  });

  it('publishes ports on 127.0.0.1 only and wires the Temporal UI to the API codec endpoint', async () => {
    const { services } = await composeConfig();
    const published = Object.entries(services).flatMap(([name, service]) => (service.ports ?? []).map((port) => ({ name, ...port })));
    expect(published.map((p) => p.name).sort()).toEqual(['api', 'temporal', 'temporal-ui']);
    expect(published.every((p) => p.host_ip === '127.0.0.1')).toBe(true);
    const apiPort = published.find((p) => p.name === 'api')?.published;
    expect(services['temporal-ui']?.environment).toMatchObject({
      TEMPORAL_CODEC_ENDPOINT: `http://localhost:${apiPort}/codec`,
      TEMPORAL_CODEC_INCLUDE_CREDENTIALS: 'true',
    });
    const uiPort = published.find((p) => p.name === 'temporal-ui')?.published;
    expect(services.api?.environment?.OVHFLOW_UI_ORIGIN).toBe(`http://localhost:${uiPort}`);
  });

  it('adds the simulator only under the `simulator` profile, and the workers wait for it when it is there', async () => {
    const { services } = await composeConfig(['--profile', 'simulator']);
    expect(services.simulator?.profiles).toEqual(['simulator']);
    expect(services.simulator?.command?.slice(0, 3)).toEqual(['node', 'bin/ovhflow.js', 'sim']);
    expect(services.simulator?.healthcheck?.test).toBeDefined();
    expect(services.worker?.depends_on?.simulator).toEqual({ condition: 'service_healthy', required: false });
    const caVolume = services.worker?.volumes?.find((v) => v.target === '/var/lib/ovhflow/simulator');
    expect(caVolume).toMatchObject({ source: 'simulator-data', read_only: true });
  });
});

describe('the init container script (deploy/temporal/setup-namespace.sh)', () => {
  it('lists exactly the search attributes ovhflow defines', () => {
    const listed = /^SEARCH_ATTRIBUTES="([^"]+)"/m.exec(read('deploy/temporal/setup-namespace.sh'))?.[1]?.split(/\s+/);
    expect(listed).toEqual(SEARCH_ATTRIBUTES.map((key) => key.name));
  });

  it('creates the namespace and registers every search attribute as Keyword, and a second run changes nothing', async () => {
    const cli = await ensureTemporalCli({ log: () => undefined });
    const bin = join(scratch, 'bin');
    execFileSync('mkdir', ['-p', bin]);
    symlinkSync(cli.path, join(bin, 'temporal'));
    const namespace = `ovhflow-init-${Date.now().toString(36)}`;
    const env = { PATH: `${bin}:/usr/bin:/bin`, HOME: scratch, TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_NAMESPACE: namespace, TEMPORAL_NAMESPACE_RETENTION: '2d' };
    const script = join(root, 'deploy', 'temporal', 'setup-namespace.sh');

    const first = await run('sh', [script], { env, timeout: 90_000 });
    expect(first.stdout).toContain(`namespace ${namespace} created (retention 2d)`);
    for (const key of SEARCH_ATTRIBUTES) expect(first.stdout).toContain(`search attribute ${key.name} created`);

    const second = await run('sh', [script], { env, timeout: 90_000 });
    expect(second.stdout).toContain(`namespace ${namespace} exists`);
    for (const key of SEARCH_ATTRIBUTES) expect(second.stdout).toContain(`search attribute ${key.name} exists`);

    const connection = await Connection.connect({ address: inject('temporalAddress') });
    try {
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
      for (const key of SEARCH_ATTRIBUTES) expect(customAttributes?.[key.name], key.name).toBe(2); // INDEXED_VALUE_TYPE_KEYWORD
    } finally {
      await connection.close();
    }
  }, 120_000);
});

describe('the image recipe', () => {
  const dockerfile = read('Dockerfile');
  const stages = dockerfile.split(/^FROM /m).slice(1);

  it('builds in two stages: a build stage (npm ci + build, Temporal CLI install explicitly skipped), then a runtime stage shipping only dist and production dependencies as a non-root user', () => {
    expect(stages.map((stage) => stage.split('\n')[0])).toEqual(['node:${NODE_VERSION}-bookworm-slim AS build', 'node:${NODE_VERSION}-bookworm-slim AS runtime']);
    const [build, runtime] = stages as [string, string];
    expect(build).toMatch(/^ENV OVHFLOW_SKIP_TEMPORAL_CLI=1$/m);
    expect(build).toMatch(/npm ci\b/);
    expect(build).toContain('test -s dist/workflow-bundle.js');
    expect(runtime).toMatch(/npm ci --omit=dev --ignore-scripts/);
    expect(runtime).toContain('COPY --from=build /app/dist ./dist');
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/^CMD \["node", "bin\/ovhflow\.js", "worker"\]$/m);
    expect(runtime).not.toMatch(/COPY (\.\/)?src\b/);
  });

  it('copies only files that exist and that .dockerignore lets through, and keeps secrets and local state out', () => {
    const allowed = read('.dockerignore')
      .split('\n')
      .filter((line) => line.startsWith('!'))
      .map((line) => line.slice(1).replace(/\/$/, ''));
    const sources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((match) => (match[1] as string).split(/\s+/));
    for (const source of sources) {
      const path = source.replace(/^\.\//, '');
      expect(existsSync(join(root, path)), `${path} exists`).toBe(true);
      expect(allowed, `${path} is let through .dockerignore`).toContain(path);
    }
    const ignore = read('.dockerignore');
    expect(ignore).toMatch(/^\*\*$/m);
    for (const pattern of ['**/.env', '**/node_modules', '**/*.pem']) expect(ignore).toContain(pattern);
  });
});

describe('the Temporal CLI install script (postinstall)', () => {
  const script = join(root, 'src', 'temporal', 'temporal-cli.mjs');

  it('skips the install only when OVHFLOW_SKIP_TEMPORAL_CLI asks for it, and says so', async () => {
    const tools = join(scratch, 'skipped-tools');
    const { stdout } = await run(process.execPath, [script, '--fresh'], { env: { PATH: '/usr/bin:/bin', OVHFLOW_TOOLS_DIR: tools, OVHFLOW_SKIP_TEMPORAL_CLI: '1' } });
    expect(stdout).toContain('not installing the Temporal CLI because OVHFLOW_SKIP_TEMPORAL_CLI=1 asked to skip it');
    expect(existsSync(join(tools, 'temporal-cli.json'))).toBe(false);
  });

  it('installs as usual when the variable is anything else', async () => {
    const cli = await ensureTemporalCli({ log: () => undefined });
    const tools = join(scratch, 'installed-tools');
    const { stdout } = await run(process.execPath, [script, '--fresh'], { env: { PATH: '/usr/bin:/bin', OVHFLOW_TOOLS_DIR: tools, OVHFLOW_SKIP_TEMPORAL_CLI: '0', TEMPORAL_CLI: cli.path } });
    expect(stdout).toMatch(/temporal CLI \d+\.\d+\.\d+ from TEMPORAL_CLI/);
    expect(existsSync(join(tools, 'temporal-cli.json'))).toBe(true);
  });
});
