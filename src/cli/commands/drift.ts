// `ovhflow drift report [SCHEDULE]`: the latest drift report of a drift schedule (`ovhflow schedule drift FILE`) —
// what differed from the fleet file when its newest completed check ran. Read from Temporal only: the report is that
// run's result, so this asks OVH nothing.
import type { Command } from 'commander';
import { renderPlan } from '../../fleet/plan.js';
import { latestDriftReport, NotADriftScheduleError, type LatestDrift } from '../../schedules/drift.js';
import { ScheduleNotFoundError } from '../../schedules/nightly.js';
import { SCHEDULE_ID } from '../../shared/backups.js';
import { DEFAULT_DRIFT_SCHEDULE_ID, driftHeadline } from '../../shared/fleet-drift.js';
import { withRuns } from '../context.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { printJson } from '../output.js';

function renderLatest(latest: LatestDrift): string {
  const lines: string[] = [];
  if (latest.running) lines.push(`a newer check is running: ${latest.running}`);
  for (const run of latest.notCompleted) lines.push(`a newer check did not complete (${run.status}): ${run.workflowId}`);
  const report = latest.report;
  if (!report) return `${[...lines, `no completed drift check yet for ${latest.scheduleId}: run one now with \`ovhflow schedule trigger ${latest.scheduleId}\``].join('\n')}\n`;
  lines.push(`drift report of ${latest.scheduleId}${report.source ? ` (${report.source})` : ''}, checked ${report.checkedAt} by ${latest.workflowId ?? '?'}`);
  lines.push(driftHeadline(report));
  return `${lines.join('\n')}\n${renderPlan(report)}`;
}

export function registerDriftCommands(program: Command): void {
  const drift = program.command('drift').description('what differs from the fleet file, as the drift schedule last saw it');
  drift
    .command('report [scheduleId]')
    .description(`the latest report of a drift schedule (default ${DEFAULT_DRIFT_SCHEDULE_ID}): per site, what differs from the file`)
    .option('--json', 'machine-readable: { scheduleId, workflowId, report: { summary, sites, services, failures, … } }')
    .action(async (id: string | undefined, flags: { json?: boolean }) => {
      const scheduleId = id ?? DEFAULT_DRIFT_SCHEDULE_ID;
      if (!SCHEDULE_ID.test(scheduleId)) throw new UsageError(`schedule id "${scheduleId.slice(0, 100)}": use 1 to 100 letters, digits, ".", "_" or "-"`);
      const latest = await withRuns(async (runs) => {
        try {
          return await latestDriftReport(runs.client, scheduleId);
        } catch (error) {
          if (error instanceof ScheduleNotFoundError) throw new UsageError(`no schedule with id "${scheduleId}" (create it with \`ovhflow schedule drift FILE --id ${scheduleId}\`)`);
          if (error instanceof NotADriftScheduleError) throw new UsageError(error.message);
          throw error;
        }
      });
      if (flags.json) printJson(latest);
      else process.stdout.write(renderLatest(latest));
      // No report to show is not a drift: a script tells the two apart by the exit code.
      process.exitCode = latest.report ? EXIT.ok : EXIT.runFailed;
    });
}
