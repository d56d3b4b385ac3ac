// The OVH API simulator in its own process, for the benchmarks and the chaos suite: the options come as JSON in
// argv[2], one JSON line on stdout says where it listens, and closing stdin (or SIGTERM) stops it. Like `ovhflow sim`,
// but with every startSimulator option (task-duration tables, request-log size).
import { startSimulator, type SimulatorOptions } from '../src/simulator/index.js';

const options = JSON.parse(process.argv[2] ?? '{}') as SimulatorOptions;
const simulator = await startSimulator({ port: 0, host: '127.0.0.1', ...options });
process.stdout.write(`${JSON.stringify({ url: simulator.url, host: simulator.host, port: simulator.port, caFile: simulator.caFile, caPem: simulator.caPem, credentials: simulator.credentials, services: simulator.services })}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  void simulator.stop().then(() => process.exit(0));
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
