// When a wait first looks at an OVH task: the schedule (every 2 s for four checks, then doubling to the cap) and what
// a worker learns of how long tasks of a kind take. Pure functions; the end-to-end effect (calls and wall time per
// site against the plain script) is `npm run bench:peer`.
import { describe, expect, it } from 'vitest';
import { TaskDurationMemory } from '../../src/activities/task-durations.js';
import { DEFAULT_POLL_SCHEDULE, secondsUntilNextCheck } from '../../src/shared/hosting-tasks.js';

describe('the poll schedule of a wait', () => {
  it('checks every initial interval four times, then doubles up to the cap', () => {
    const gaps = Array.from({ length: 12 }, (_, i) => secondsUntilNextCheck(DEFAULT_POLL_SCHEDULE, i + 1));
    expect(gaps).toEqual([2, 2, 2, 2, 4, 8, 16, 32, 64, 120, 120, 120]);
  });

  it('honours a schedule with its own steady checks', () => {
    const poll = { initialIntervalSeconds: 1, backoffCoefficient: 3, maximumIntervalSeconds: 20, steadyChecks: 1 };
    expect([1, 2, 3, 4].map((n) => secondsUntilNextCheck(poll, n))).toEqual([1, 3, 9, 20]);
  });
});

describe('what a worker learns of task durations', () => {
  it('starts from the initial interval when it knows nothing', () => {
    expect(new TaskDurationMemory().firstCheckSeconds('database:present', DEFAULT_POLL_SCHEDULE)).toBe(2);
  });

  it('learns the middle between the last "still running" and the first "done" check, and checks just after it next time', () => {
    const memory = new TaskDurationMemory();
    memory.stillRunning('module:present', 'w1', 2, 1, DEFAULT_POLL_SCHEDULE);
    memory.stillRunning('module:present', 'w1', 4, 2, DEFAULT_POLL_SCHEDULE);
    memory.done('module:present', 'w1', 6);
    expect(memory.firstCheckSeconds('module:present', DEFAULT_POLL_SCHEDULE)).toBeCloseTo(5.25);
    // Kinds are learned separately.
    expect(memory.firstCheckSeconds('database:present', DEFAULT_POLL_SCHEDULE)).toBe(2);
  });

  it("uses OVH's own start and done dates when the task said how long it took", () => {
    const memory = new TaskDurationMemory();
    memory.done('module:present', 'w1', 8.1, 6);
    expect(memory.firstCheckSeconds('module:present', DEFAULT_POLL_SCHEDULE)).toBeCloseTo(6.25);
  });

  it('converges on a steady duration: first checks that hit probe a little earlier, a miss pulls the estimate back up', () => {
    const memory = new TaskDurationMemory();
    const real = 4;
    let checks = 0;
    for (let wait = 0; wait < 20; wait++) {
      const id = `w${wait}`;
      let at = memory.firstCheckSeconds('db', DEFAULT_POLL_SCHEDULE);
      for (let n = 1; ; n++) {
        checks += 1;
        if (at >= real) {
          memory.done('db', id, at);
          break;
        }
        at += memory.stillRunning('db', id, at, n, DEFAULT_POLL_SCHEDULE);
      }
    }
    // After the first few waits, each takes one or two checks and its first check lands within a second of the end.
    const first = memory.firstCheckSeconds('db', DEFAULT_POLL_SCHEDULE);
    expect(first).toBeGreaterThan(real - 1);
    expect(first).toBeLessThan(real + 1);
    expect(checks).toBeLessThan(20 * 2);
  });

  it('one unusually slow task moves the estimate little (median of the recent waits)', () => {
    const memory = new TaskDurationMemory();
    for (const [i, exact] of [3, 3, 3, 30, 3].entries()) memory.done('k', `w${i}`, exact + 0.5, exact);
    expect(memory.firstCheckSeconds('k', DEFAULT_POLL_SCHEDULE)).toBeCloseTo(3.25);
  });
});
