// The baseline's one activity: it does nothing, so a baseline run measures Temporal and the worker alone.
export function createBenchActivities() {
  return {
    async noop(_step: number): Promise<number> {
      return 1;
    },
  };
}

export type BenchActivities = ReturnType<typeof createBenchActivities>;
