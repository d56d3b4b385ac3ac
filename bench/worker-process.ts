// A worker in its own process, exactly as `ovhflow worker` runs it (configuration from the environment), for the
// benchmarks and the chaos suite to measure, kill and restart. Started by bench/harness.ts (startWorkerProcess).
// When the parent goes away (its end of stdin closes), the worker shuts down gracefully instead of lingering.
import { main } from '../src/cli/main.js';

process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.resume();
process.exitCode = await main(['node', 'ovhflow', 'worker']);
process.stdin.destroy();
