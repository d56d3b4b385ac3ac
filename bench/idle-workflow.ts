// A workflows entry holding only a run that waits (one timer) and imports nothing of ovhflow: what one cached
// workflow costs a worker on its own, for bench:memory's comparison (`--workflow bare`).
import { sleep } from '@temporalio/workflow';

export async function benchIdle(hours: number): Promise<void> {
  await sleep(`${hours} hours`);
}
