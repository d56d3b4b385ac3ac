// The chaos suite, short: 20 provisionings and 10 backups while the worker is killed with SIGKILL every few seconds,
// the Temporal dev server (this test's own, file-backed) restarts once, and the simulator injects 5xx, resets (half
// after the write was applied), 429 bursts and cancelled tasks that a scripted operator retries. Every run completes,
// the simulator holds no duplicate and no orphan, and no write was repeated for a step that had succeeded. The full
// version is `npm run chaos` (bench/chaos.ts). Faults are seeded; what is asserted holds whatever the timing.
import { describe, expect, it } from 'vitest';
import { FULL_CHAOS, printChaosReport, runChaos } from '../../bench/chaos.js';

describe('chaos, short', () => {
  it('20 provisionings and 10 backups survive worker kills, a Temporal restart and a hostile OVH, doing nothing twice', async () => {
    const lines: string[] = [];
    const report = await runChaos({
      ...FULL_CHAOS,
      provisionings: 20,
      backups: 10,
      seed: 11,
      killAfterSeconds: [3, 6],
      chaosSeconds: 40,
      temporalRestartAtSeconds: 20,
      startOverSeconds: 10,
      deadlineSeconds: 140,
      log: (line) => lines.push(line),
    });
    printChaosReport(report, (line) => lines.push(line));
    console.log(lines.join('\n'));
    expect(report.problems).toEqual([]);
    expect(report.runs.completed).toBe(30);
    // The chaos really happened.
    expect(report.chaos.workerKills).toBeGreaterThanOrEqual(3);
    expect(report.chaos.temporalRestarts).toBe(1);
    expect(report.faults.status5xx + report.faults.resetBefore + report.faults.resetAfter).toBeGreaterThan(0);
  }, 180_000);
});
