// Every normal activity heartbeats while it runs, so a worker that dies mid-call is noticed at the heartbeat timeout
// (10 s, src/workflows/activity-options.ts) rather than at the activity's start-to-close timeout. The heartbeat says
// "this process is alive", which is what a crash detector needs; an OVH call itself has nothing to report.
import { Context } from '@temporalio/activity';

/** Well inside the 10 s heartbeat timeout (the SDK sends at most one heartbeat per 0.8 × timeout anyway). */
const HEARTBEAT_EVERY_MS = 3_000;

type AnyActivity = (...args: never[]) => Promise<unknown>;

export function withHeartbeats<T extends Record<string, AnyActivity>>(activities: T): T {
  const wrapped: Record<string, AnyActivity> = {};
  for (const [name, activity] of Object.entries(activities)) {
    wrapped[name] = async (...args: never[]) => {
      const context = Context.current();
      // Local activities have no heartbeat: their workflow task's timeout plays that part.
      if (context.info.isLocal) return activity(...args);
      // No heartbeat at the start: Temporal counts the heartbeat timeout from the attempt's start, so a first beat
      // detects nothing sooner, and it cost the server a write per activity (~1.4 ms; bench:feature-costs).
      const timer = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
      try {
        return await activity(...args);
      } finally {
        clearInterval(timer);
      }
    };
  }
  return wrapped as T;
}
