// Taking one dump of one database, as backupDatabase, nightlyDumps' children and restoreDatabase's safety step all do:
// snapshot the dumps that exist, ensure the dump (adopting an earlier attempt's), wait for its task, then verify it.
import { workflowInfo } from '@temporalio/workflow';
import type { DumpInfo } from '../shared/backups.js';
import { DEFAULT_POLL_SCHEDULE, DEFAULT_STEP_DEADLINE_MINUTES, type RunSettings } from '../shared/hosting-tasks.js';
import type { StepHandle } from './run-control.js';
import { ovh, waitingActivities } from './activity-options.js';

/** Dump listings start this long before the run: it only narrows OVH's answer, "new" is decided by the snapshot. */
const LISTING_MARGIN_MS = 60 * 60 * 1000;

export interface DumpTarget {
  serviceName: string;
  databaseName: string;
  sendEmail: boolean;
}

export class DumpTaker {
  private readonly since = new Date(workflowInfo().runStartTime.getTime() - LISTING_MARGIN_MS).toISOString();
  private preexisting?: number[];
  private dumpId?: number;
  private tries = 0;

  constructor(
    private readonly target: DumpTarget,
    private readonly settings: RunSettings,
  ) {}

  private waiting() {
    return waitingActivities(this.settings.stepDeadlineMinutes ?? DEFAULT_STEP_DEADLINE_MINUTES, this.settings.poll);
  }

  /** Starts the dump (or adopts this run's earlier one) and waits for its OVH task. */
  async dump(step: StepHandle): Promise<{ adopted: boolean }> {
    this.tries += 1;
    const { serviceName, databaseName, sendEmail } = this.target;
    // Taken once per run, before the first write: everything listed here is somebody else's dump.
    this.preexisting ??= await ovh.listRecentDumps({ serviceName, databaseName, since: this.since });
    const ensured = await ovh.ensureDatabaseDump({
      serviceName,
      databaseName,
      sendEmail,
      since: this.since,
      preexisting: this.preexisting,
      checkExisting: this.tries > 1,
    });
    this.dumpId = ensured.dumpId;
    if (ensured.adopted) step.note(`found dump ${ensured.dumpId} from an earlier attempt of this run: not dumping twice`);
    if (ensured.taskId !== undefined) {
      step.waitingFor({ id: ensured.taskId, function: 'dump/create' });
      await this.waiting().waitForHostingTask({
        serviceName,
        taskId: ensured.taskId,
        resource: { kind: 'database', name: databaseName },
        expect: 'present',
        // Checks when dumps recently took (an activity input: older runs replay unchanged).
        poll: this.settings.poll ?? DEFAULT_POLL_SCHEDULE,
      });
    }
    return { adopted: ensured.adopted };
  }

  /** The run's new dump, checked: created, with a download link. */
  async verify(): Promise<DumpInfo> {
    const { serviceName, databaseName } = this.target;
    return this.waiting().verifyNewDump({
      serviceName,
      databaseName,
      since: this.since,
      preexisting: this.preexisting ?? [],
      ...(this.dumpId !== undefined ? { dumpId: this.dumpId } : {}),
    });
  }
}
