// Build slot use on fixed times: running builds against --max-jobs.
import { describe, expect, it } from "vitest";
import { slotUsage } from "./build-slots.js";

const S = 1_000_000_000n;
const at = (start: number, end: number) => ({ startNs: BigInt(start) * S, endNs: BigInt(end) * S });

describe("slot usage", () => {
  it("measures how long every slot was taken, the mean in use and the peak", () => {
    // Two slots over 0..10: both busy 2..6 (4s); 12 slot-seconds used.
    const usage = slotUsage([at(0, 6), at(2, 6), at(6, 8)], 0n, 2);
    expect(usage).toMatchObject({ maxJobs: 2, fromNs: 0n, toNs: 8n * S, allBusyNs: 4n * S, usedNs: 12n * S, peak: 2 });
    expect(usage?.steps.map((s) => [Number(s.atNs / S), s.count])).toEqual([
      [0, 1],
      [2, 2],
      [6, 1],
      [8, 0],
    ]);
  });

  it("starts the window when nix began building, so an idle start counts as idle", () => {
    const usage = slotUsage([at(4, 8)], 2n * S, 1);
    expect(usage).toMatchObject({ fromNs: 2n * S, toNs: 8n * S, allBusyNs: 4n * S });
  });

  it("builds over the slots (a preferLocalBuild with --max-jobs 0) still count as running", () => {
    const usage = slotUsage([at(0, 4), at(0, 4), at(0, 4)], 0n, 2);
    expect(usage).toMatchObject({ allBusyNs: 4n * S, peak: 3, usedNs: 12n * S });
  });

  it("is undefined when nothing was built here, and claims no full slots when --max-jobs is unknown", () => {
    expect(slotUsage([], 0n, 2)).toBeUndefined();
    expect(slotUsage([at(1, 1)], 0n, 2)).toBeUndefined();
    expect(slotUsage([at(0, 4)], 0n, undefined)).toMatchObject({ allBusyNs: 0n, peak: 1 });
  });
});
