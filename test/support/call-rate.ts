// How fast calls reached the simulator, read from its request log (each call's arrival time, refused ones included):
// what the rate-limit tests and bench:rate-across-workers measure an account's limit against.
import type { RecordedRequest } from '../../src/simulator/index.js';

export interface CallRate {
  /** Calls that arrived in [fromMs, toMs), refused ones included. */
  calls: number;
  perSecond: number;
  /** Of those, refused with 429. */
  refused: number;
  /** The most calls that arrived in any window of `windowMs` starting inside [fromMs, toMs). */
  maxInWindow: number;
  windowMs: number;
}

/** Arrival times (ms since the epoch) of the calls in the log, sorted. */
export function arrivals(requests: readonly RecordedRequest[]): number[] {
  return requests.map((r) => Date.parse(r.at)).sort((a, b) => a - b);
}

export function callRate(requests: readonly RecordedRequest[], fromMs: number, toMs: number, windowMs = 1000): CallRate {
  const inRange = requests.filter((r) => {
    const at = Date.parse(r.at);
    return at >= fromMs && at < toMs;
  });
  const times = arrivals(inRange);
  let maxInWindow = 0;
  let end = 0;
  for (let start = 0; start < times.length; start += 1) {
    while (end < times.length && (times[end] as number) < (times[start] as number) + windowMs) end += 1;
    maxInWindow = Math.max(maxInWindow, end - start);
  }
  return {
    calls: inRange.length,
    perSecond: inRange.length / ((toMs - fromMs) / 1000),
    refused: inRange.filter((r) => r.status === 429).length,
    maxInWindow,
    windowMs,
  };
}

/**
 * The first moment at or after `fromMs` from which every `windowMs` window (until `toMs`) holds at least
 * `perSecond` × window calls: when a rate was reached and kept. `undefined`: never.
 */
export function rateReachedAt(requests: readonly RecordedRequest[], fromMs: number, toMs: number, perSecond: number, windowMs = 2000): number | undefined {
  const times = arrivals(requests).filter((at) => at >= fromMs && at < toMs);
  const needed = perSecond * (windowMs / 1000);
  const stepMs = 100;
  let reached: number | undefined;
  for (let start = fromMs; start + windowMs <= toMs; start += stepMs) {
    const count = times.filter((at) => at >= start && at < start + windowMs).length;
    if (count >= needed) reached ??= start;
    else reached = undefined;
  }
  return reached;
}
