// `ovhflow doctor` and `GET /v1/doctor`: whether this installation can work, one check at a time, each with a verdict
// and, when it fails, what to do. Temporal's checks run where the command runs; each OVH account's are answered by a
// worker (the only process holding OVH credentials), through a short `doctorAccount` workflow.

export interface DoctorCheck {
  /** What is checked, e.g. `Temporal reachable`, `account default: rights`. */
  name: string;
  ok: boolean;
  /** What was found. */
  verdict: string;
  /** When it fails: what to do. */
  fix?: string;
}

export interface DoctorReport {
  ok: boolean;
  checks: DoctorCheck[];
}

export const DOCTOR_WORKFLOW_PREFIX = 'doctor/';

/** Past this, OVH refuses signatures (its tolerance is a few minutes; ovhflow corrects drift, a large one is a sign). */
export const MAX_CLOCK_DRIFT_SECONDS = 60;
