import { describe, expect, it } from "vitest";
import { assignShards } from "./shard.js";

const parts = (assigned: Map<string, number>, count: number) =>
  Array.from({ length: count }, (_, i) => [...assigned].filter(([, s]) => s === i).map(([n]) => n));

describe("assignShards", () => {
  it("without durations, deals the sorted names round-robin", () => {
    expect(parts(assignShards(["d", "b", "a", "c", "e"], 2, new Map()), 2)).toEqual([
      ["a", "c", "e"],
      ["b", "d"],
    ]);
  });

  it("with durations, gives the longest first to the least loaded shard", () => {
    const durations = new Map([
      ["vm-big", 600_000],
      ["vm-mid", 300_000],
      ["vm-mid2", 290_000],
      ["small", 10_000],
    ]);
    // 600 | 300 + 290 + 10: the big one alone, the rest together.
    expect(parts(assignShards([...durations.keys()], 2, durations), 2)).toEqual([["vm-big"], ["vm-mid", "vm-mid2", "small"]]);
  });

  it("a check without history counts as the median, and every name lands in exactly one shard", () => {
    const durations = new Map([
      ["a", 100],
      ["b", 200],
      ["c", 300],
    ]);
    const names = ["a", "b", "c", "new-1", "new-2"];
    const assigned = assignShards(names, 3, durations);
    expect([...assigned.keys()].sort()).toEqual(names);
    expect(parts(assigned, 3).flat().sort()).toEqual(names);
    // The same input, the same split: shards compute it independently.
    expect(assignShards([...names].reverse(), 3, durations)).toEqual(assigned);
  });

  it("more shards than checks leaves some shards empty", () => {
    expect(parts(assignShards(["a"], 3, new Map()), 3)).toEqual([["a"], [], []]);
  });
});
