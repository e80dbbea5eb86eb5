// Time intervals as step functions: how many were open when, and how long a condition held in a window.
// Pure; times are unix nanoseconds, as everywhere else in the run.

export interface Interval {
  startNs: bigint;
  endNs: bigint;
}

/** A step of an occupancy function: from `atNs` on (until the next step), `count` intervals were open. */
export interface Step {
  atNs: bigint;
  count: number;
}

/** How many intervals were open over time: one step wherever the count changes, starting at 0. */
export function occupancy(intervals: readonly Interval[]): Step[] {
  const deltas = new Map<bigint, number>();
  for (const { startNs, endNs } of intervals) {
    if (endNs <= startNs) continue; // an instant holds no slot
    deltas.set(startNs, (deltas.get(startNs) ?? 0) + 1);
    deltas.set(endNs, (deltas.get(endNs) ?? 0) - 1);
  }
  const steps: Step[] = [];
  let count = 0;
  for (const atNs of [...deltas.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    count += deltas.get(atNs) ?? 0;
    if (steps.at(-1)?.count !== count) steps.push({ atNs, count });
  }
  return steps;
}

/** How long, within [fromNs, toNs), the occupancy satisfied `holds(count)`. */
export function timeWhere(steps: readonly Step[], fromNs: bigint, toNs: bigint, holds: (count: number) => boolean): bigint {
  let total = 0n;
  for (let i = -1; i < steps.length; i++) {
    const count = i < 0 ? 0 : steps[i]!.count;
    const start = i < 0 ? fromNs : steps[i]!.atNs;
    const end = steps[i + 1]?.atNs ?? toNs;
    const a = start > fromNs ? start : fromNs;
    const b = end < toNs ? end : toNs;
    if (b > a && holds(count)) total += b - a;
  }
  return total;
}

/** The integral of the occupancy over [fromNs, toNs): slot-nanoseconds in use. */
export function occupiedNs(steps: readonly Step[], fromNs: bigint, toNs: bigint): bigint {
  const peak = steps.reduce((max, s) => Math.max(max, s.count), 0);
  let total = 0n;
  for (let n = 1; n <= peak; n++) total += timeWhere(steps, fromNs, toNs, (count) => count >= n);
  return total;
}
