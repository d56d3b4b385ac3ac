/** The task queue ovhflow's workers poll unless configured otherwise. */
export const DEFAULT_TASK_QUEUE = 'ovhflow';
