// The critical path on fixed times: chains, diamonds, ties, missing edges, overlapping builds, and what
// the waits between builds are called.
import { describe, expect, it } from "vitest";
import { criticalPath, type PathInput, type PathStep, type TimedBuild } from "./critical-path.js";

const S = 1_000_000_000n; // one second in ns
const build = (id: string, start: number, end: number, local = true): TimedBuild => ({
  id,
  name: id,
  startNs: BigInt(start) * S,
  endNs: BigInt(end) * S,
  local,
});
const input = (builds: TimedBuild[], edges: Record<string, string[]> | undefined, extra: Partial<PathInput> = {}): PathInput => ({
  startNs: 0n,
  buildStartNs: 0n,
  endNs: BigInt(Math.max(0, ...builds.map((b) => Number(b.endNs / S)))) * S,
  builds,
  inputsOf: edges ? new Map(Object.entries(edges)) : undefined,
  maxJobs: 4,
  substitutions: [],
  ...extra,
});
const names = (steps: PathStep[] | undefined) => (steps ?? []).flatMap((s) => (s.kind === "build" ? [s.build.id] : []));
const shape = (steps: PathStep[] | undefined) =>
  (steps ?? []).map((s) => (s.kind === "build" ? s.build.id : `${s.reason} ${Number((s.endNs - s.startNs) / S)}s`));

describe("the chain of builds", () => {
  it("follows a dependency chain back from the build that ended last", () => {
    const builds = [build("dep", 0, 4), build("check", 4, 10), build("lone", 0, 3)];
    expect(names(criticalPath(input(builds, { check: ["dep"] }))?.steps)).toEqual(["dep", "check"]);
  });

  it("takes, of a diamond's two sides, the input that ended last", () => {
    // base → left → top and base → right → top: right ended later, so top waited for it.
    const builds = [build("base", 0, 2), build("left", 2, 5), build("right", 2, 7), build("top", 7, 9)];
    const edges = { top: ["left", "right"], left: ["base"], right: ["base"] };
    expect(names(criticalPath(input(builds, edges))?.steps)).toEqual(["base", "right", "top"]);
  });

  it("breaks ties the same way every time: the longer build, then the id", () => {
    const tiedEnds = [build("b", 1, 5), build("a", 2, 5), build("c", 0, 5)];
    expect(names(criticalPath(input(tiedEnds, {}))?.steps)).toEqual(["c"]);
    const tiedAll = [build("y", 0, 5), build("x", 0, 5), build("top", 5, 6)];
    expect(names(criticalPath(input(tiedAll, { top: ["y", "x"] }))?.steps)).toEqual(["x", "top"]);
    expect(names(criticalPath(input([...tiedAll].reverse(), { top: ["x", "y"] }))?.steps)).toEqual(["x", "top"]);
  });

  it("is the last build alone when the edges are unknown, and says so", () => {
    const path = criticalPath(input([build("dep", 0, 4), build("check", 4, 10)], undefined));
    expect(names(path?.steps)).toEqual(["check"]);
    expect(path?.edgesKnown).toBe(false);
  });

  it("ignores edges to derivations that were not built in the run (cached, substituted) and unknown ids", () => {
    const builds = [build("check", 3, 10)];
    const path = criticalPath(input(builds, { check: ["cached-dep", "/nix/store/unknown.drv"] }));
    expect(names(path?.steps)).toEqual(["check"]);
    expect(path?.edgesKnown).toBe(true);
  });

  it("keeps builds that overlap their input (stamps read late) and never loops on a cycle", () => {
    const overlapping = [build("dep", 0, 5), build("check", 4, 10)];
    expect(names(criticalPath(input(overlapping, { check: ["dep"] }))?.steps)).toEqual(["dep", "check"]);
    const cycle = [build("a", 0, 5), build("b", 5, 10)];
    expect(names(criticalPath(input(cycle, { a: ["b"], b: ["a"] }))?.steps)).toEqual(["a", "b"]);
  });

  it("has no path when nothing was built", () => {
    expect(criticalPath(input([], {}))).toBeUndefined();
  });
});

describe("the waits on the path", () => {
  it("names evaluation before the first build and the time after the last", () => {
    const builds = [build("dep", 3, 5), build("check", 5, 9)];
    const path = criticalPath(input(builds, { check: ["dep"] }, { buildStartNs: 3n * S, endNs: 10n * S }));
    expect(shape(path?.steps)).toEqual(["evaluation 3s", "dep", "check", "after 1s"]);
  });

  it("calls a wait with every slot taken a wait for a slot", () => {
    // One slot: check's dependency ended at 2, but `other` held the slot until 6.
    const builds = [build("dep", 0, 2), build("other", 2, 6), build("check", 6, 9)];
    const path = criticalPath(input(builds, { check: ["dep"] }, { maxJobs: 1 }));
    expect(shape(path?.steps)).toEqual(["dep", "slot 4s", "check"]);
  });

  it("does not count a remote build as holding a local slot", () => {
    const builds = [build("dep", 0, 2), build("other", 2, 6, false), build("check", 6, 9)];
    const path = criticalPath(input(builds, { check: ["dep"] }, { maxJobs: 1 }));
    expect(shape(path?.steps)).toEqual(["dep", "nix 4s", "check"]);
  });

  it("calls a wait spent substituting a substitution, and anything else nix's own", () => {
    const builds = [build("dep", 0, 2), build("check", 6, 9)];
    const substitutions = [{ startNs: 2n * S, endNs: 5n * S }];
    expect(shape(criticalPath(input(builds, { check: ["dep"] }, { substitutions }))?.steps)).toEqual(["dep", "substitution 4s", "check"]);
    expect(shape(criticalPath(input(builds, { check: ["dep"] }))?.steps)).toEqual(["dep", "nix 4s", "check"]);
  });

  it("with --max-jobs unknown never claims a slot wait", () => {
    const builds = [build("dep", 0, 2), build("other", 2, 6), build("check", 6, 9)];
    const path = criticalPath(input(builds, { check: ["dep"] }, { maxJobs: undefined }));
    expect(shape(path?.steps)).toEqual(["dep", "nix 4s", "check"]);
  });
});
