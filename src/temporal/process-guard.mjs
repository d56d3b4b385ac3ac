// Runs one child process and makes sure it never outlives whoever started this guard.
//
// The parent keeps our stdin open as a pipe. When the parent exits for any reason — a clean stop, Ctrl-C, a crash,
// even SIGKILL — the pipe closes and we stop the child (SIGTERM, then SIGKILL after a grace period). This is how
// `npm test` and `ovhflow dev` guarantee that no `temporal` process is left behind.
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: process-guard.mjs <command> [args...]');
  process.exit(2);
}

const GRACE_MS = Number(process.env.OVHFLOW_GUARD_GRACE_MS ?? 5000);
const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
let stopping = false;

function stop(reason) {
  if (stopping) return;
  stopping = true;
  if (child.exitCode !== null || child.signalCode !== null) process.exit(0);
  child.kill('SIGTERM');
  setTimeout(() => child.kill('SIGKILL'), GRACE_MS).unref();
  process.stderr.write(`process-guard: stopping ${command} (${reason})\n`);
}

child.on('error', (error) => {
  process.stderr.write(`process-guard: cannot start ${command}: ${error.message}\n`);
  process.exit(127);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 15 : 1)));

process.stdin.on('end', () => stop('parent gone'));
process.stdin.on('close', () => stop('parent gone'));
process.stdin.on('error', () => stop('parent gone'));
process.stdin.resume();
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop(signal));
