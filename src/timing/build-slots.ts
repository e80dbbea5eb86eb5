// How busy nix's local build slots (--max-jobs) were while it built: a step function of running builds,
// how long every slot was taken, and the mean in use. Only local builds hold a slot (a remote builder's
// build and a substitution do not count; a cached check is no build at all). Pure.
import { occupancy, occupiedNs, timeWhere, type Interval, type Step } from "./intervals.js";

export interface SlotUsage {
  /** --max-jobs as nix had it; undefined when not known. */
  maxJobs: number | undefined;
  /** From when nix began building to when the last local build ended. */
  fromNs: bigint;
  toNs: bigint;
  /** How long every slot was taken (0 when maxJobs is unknown or 0). */
  allBusyNs: bigint;
  /** Slot-nanoseconds in use: divided by the window, the mean number of builds running. */
  usedNs: bigint;
  /** The most builds running at once. */
  peak: number;
  /** Running local builds over time. */
  steps: Step[];
}

export function slotUsage(localBuilds: readonly Interval[], buildStartNs: bigint, maxJobs: number | undefined): SlotUsage | undefined {
  const builds = localBuilds.filter((b) => b.endNs > b.startNs);
  if (!builds.length) return undefined;
  const steps = occupancy(builds);
  const firstStart = builds.reduce((min, b) => (b.startNs < min ? b.startNs : min), builds[0]!.startNs);
  const fromNs = buildStartNs < firstStart ? buildStartNs : firstStart;
  const toNs = builds.reduce((max, b) => (b.endNs > max ? b.endNs : max), 0n);
  const allBusyNs = maxJobs ? timeWhere(steps, fromNs, toNs, (count) => count >= maxJobs) : 0n;
  return {
    maxJobs,
    fromNs,
    toNs,
    allBusyNs,
    usedNs: occupiedNs(steps, fromNs, toNs),
    peak: steps.reduce((max, s) => Math.max(max, s.count), 0),
    steps,
  };
}
