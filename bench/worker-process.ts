// A worker in its own process, exactly as `ovhflow worker` runs it (configuration from the environment), for the
// benchmarks and the chaos suite to measure, kill and restart. Started by bench/harness.ts (startWorkerProcess).
import { main } from '../src/cli/main.js';

process.exitCode = await main(['node', 'ovhflow', 'worker']);
