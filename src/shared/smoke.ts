// The smallest real run: proves a worker is polling and can execute an activity. `ovhflow dev` uses it as its
// readiness check, and the test suite uses it to prove the whole Temporal path end to end.

export interface SmokeTestInput {
  /** Any short text; echoed back by the activity so the caller can tell its run from another. */
  greeting: string;
}

export interface WorkerIdentity {
  taskQueue: string;
  workerIdentity: string;
  nodeVersion: string;
}

export interface SmokeTestResult {
  greeting: string;
  answeredBy: WorkerIdentity;
  /** Activity attempts it took, so a caller can see a retry happened. */
  attempts: number;
}
