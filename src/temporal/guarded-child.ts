// A child process that never outlives ovhflow: run under the process guard (src/temporal/process-guard.mjs), which stops
// it when our end of its stdin closes — on a clean stop, a crash or SIGKILL alike.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const guardScript = fileURLToPath(new URL('./process-guard.mjs', import.meta.url));

export interface GuardedChild {
  child: ChildProcess;
  /** The first line the child printed that satisfies `ready`, or a rejection if it exits first. */
  waitForLine(ready: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

export function spawnGuarded(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): GuardedChild {
  const child = spawn(process.execPath, [guardScript, command, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
  let buffered = '';
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      lines.push(line);
      for (const listener of listeners) listener(line);
    }
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-4000)));
  return {
    child,
    waitForLine(ready, timeoutMs = 60_000) {
      const found = lines.find(ready);
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`no answer from ${command} after ${timeoutMs} ms: ${stderr}`)), timeoutMs);
        const onExit = (code: number | null) => done(new Error(`${command} exited (${code}) before it was ready: ${stderr.trim()}`));
        const listener = (line: string) => ready(line) && done(undefined, line);
        function done(error?: Error, line?: string) {
          clearTimeout(timer);
          listeners.delete(listener);
          child.off('exit', onExit);
          if (error) reject(error);
          else resolve(line as string);
        }
        listeners.add(listener);
        child.once('exit', onExit);
      });
    },
    stop() {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.stdin?.end();
      });
    },
  };
}
