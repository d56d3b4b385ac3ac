// X-Ovh-QueryId values in OVH's format (`EU.ext-3.65e35d7b.2743956.409faf75...`): region and front, the time in
// hex, a counter and a random tail. The `SIM` region makes a simulated answer obvious in logs.
import { randomBytes } from 'node:crypto';

let counter = 0;

export function newQueryId(now: number): string {
  counter = (counter + 1) % 10_000_000;
  return `SIM.ext-1.${Math.floor(now / 1000).toString(16)}.${counter}.${randomBytes(16).toString('hex')}`;
}
