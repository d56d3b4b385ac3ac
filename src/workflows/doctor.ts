// doctorAccount: `ovhflow doctor`'s checks of one OVH account, answered on a worker because only workers hold OVH
// credentials. Reads only: one local activity.
import type { DoctorCheck } from '../shared/doctor.js';
import { lookup } from './activity-options.js';

export async function doctorAccount(args: { account: string }): Promise<DoctorCheck[]> {
  return lookup.checkAccountHealth(args);
}
