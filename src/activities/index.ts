// Every activity the worker registers, built from their dependencies. Workflows import only the *type*.
import { createSmokeActivities, type SmokeActivityDeps } from './smoke.js';

export type ActivityDeps = SmokeActivityDeps;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createSmokeActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
