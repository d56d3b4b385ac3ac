// `ovhflow sim` (= `npm run sim`): the OVH API simulator alone, until Ctrl-C. It prints where it listens, the CA
// file a client must trust and the demo credentials (test keys of a fake API, not secrets), or with --json one
// line a parent process can read.
import type { Command } from 'commander';
import type { LogLevel } from '../../config.js';
import { createLogger } from '../../logging/logger.js';
import { startSimulator, type SimulatorOptions } from '../../simulator/index.js';
import { UsageError } from '../exit-codes.js';

interface SimCommandOptions {
  port: string;
  host: string;
  dataDir: string;
  seed: string;
  taskDurationMs?: string;
  taskRetentionMs?: string;
  rateLimit?: string;
  adminToken?: string;
  persist?: boolean;
  json?: boolean;
}

const LOG_LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

function integer(name: string, value: string, min = 0): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min) throw new UsageError(`${name} must be an integer >= ${min}, got "${value}"`);
  return number;
}

/** `20` (20/s, burst 20) or `20:40` (20/s, burst 40). */
function rateLimit(value: string): SimulatorOptions['rateLimit'] {
  const match = /^(\d+(?:\.\d+)?)(?::(\d+))?$/.exec(value);
  if (!match?.[1]) throw new UsageError(`--rate-limit must be PER_SECOND or PER_SECOND:BURST, got "${value}"`);
  const perSecond = Number(match[1]);
  return { perSecond, burst: match[2] ? Number(match[2]) : Math.max(1, Math.ceil(perSecond)) };
}

export function registerSimCommand(program: Command): void {
  program
    .command('sim')
    .description('run the OVH API simulator alone (HTTPS with its own CA; see docs/simulator.md)')
    .option('--port <port>', 'port to listen on (0 = any free port)', '8443')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--data-dir <dir>', 'where the CA, the server certificate and the saved state live', '.data/simulator')
    .option('--seed <n>', 'seed of the fault-injection generator', '1')
    .option('--task-duration-ms <ms>', 'how long every OVH task takes (default: a table of a few seconds per task)')
    .option('--task-retention-ms <ms>', 'how long a finished task stays readable (default 600000)')
    .option('--rate-limit <perSecond[:burst]>', 'rate limit per application key (default: none)')
    .option('--admin-token <token>', 'let non-loopback callers use /_sim with X-Sim-Admin-Token')
    .option('--persist', 'keep services, keys and tasks in the data dir across restarts')
    .option('--json', 'print one JSON line when ready (url, caFile, credentials, services)')
    .action(async (options: SimCommandOptions) => {
      const level = process.env.LOG_LEVEL && LOG_LEVELS.has(process.env.LOG_LEVEL) ? (process.env.LOG_LEVEL as LogLevel) : 'info';
      // Logs go to stderr: stdout carries what a person or a parent process reads.
      const logger = createLogger(level, process.stderr);
      const simulator = await startSimulator({
        port: integer('--port', options.port),
        host: options.host,
        dataDir: options.dataDir,
        seed: integer('--seed', options.seed),
        ...(options.taskDurationMs === undefined ? {} : { taskDurationMs: integer('--task-duration-ms', options.taskDurationMs) }),
        ...(options.taskRetentionMs === undefined ? {} : { taskRetentionMs: integer('--task-retention-ms', options.taskRetentionMs) }),
        ...(options.rateLimit === undefined ? {} : { rateLimit: rateLimit(options.rateLimit) }),
        ...(options.adminToken === undefined ? {} : { adminToken: options.adminToken }),
        persistState: options.persist === true,
        logger,
      });

      const say = (line: string) => process.stdout.write(`${line}\n`);
      const { credentials: keys } = simulator;
      if (options.json) {
        say(JSON.stringify({ url: simulator.url, port: simulator.port, caFile: simulator.caFile, credentials: keys, services: simulator.services }));
      } else {
        say(`OVH API simulator listening on ${simulator.url}`);
        say(`  API              ${simulator.url}/1.0`);
        say(`  admin API        ${simulator.url}/_sim   (loopback${options.adminToken ? ' or X-Sim-Admin-Token' : ' only'})`);
        say(`  CA to trust      ${simulator.caFile}`);
        say(`  hosting services ${simulator.services.join(', ')}${simulator.restoredState ? '  (state restored)' : ''}`);
        say('');
        say('Point a client at it (demo keys, full access):');
        say(`  OVH_ENDPOINT=${simulator.url}`);
        say(`  OVH_APPLICATION_KEY=${keys.applicationKey}`);
        say(`  OVH_APPLICATION_SECRET=${keys.applicationSecret}`);
        say(`  OVH_CONSUMER_KEY=${keys.consumerKey}`);
        say(`  OVH_CA_FILE=${simulator.caFile}        # or NODE_EXTRA_CA_CERTS / REQUESTS_CA_BUNDLE / curl --cacert`);
        say('Press Ctrl-C to stop.');
      }

      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await simulator.stop();
      if (!options.json) say('simulator stopped.');
    });
}
