// From a run's builds and what nix said to run.json's `timing`: names, ms from the run's start, remote
// builds kept off the slots, and the unknowns said.
import { describe, expect, it } from "vitest";
import type { BuildActivity } from "../nix/builds.js";
import { runTiming, type TimingFacts } from "./run-timing.js";

const S = 1_000_000_000n;
const RUN_START = 1_700_000_000n * S;
const build = (drvPath: string, start: number, end: number, machine = ""): BuildActivity => ({
  drvPath,
  machine,
  startNs: RUN_START + BigInt(start) * S,
  endNs: RUN_START + BigInt(end) * S,
  phases: [],
  lines: [],
  failed: false,
});
const DEP = "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-nixos-system-machine.drv";
const CHECK = "/nix/store/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb-vm-test-run-nginx.drv";
const REMOTE = "/nix/store/cccccccccccccccccccccccccccccccc-vm-test-run-other.drv";

const facts = (overrides: Partial<TimingFacts> = {}): TimingFacts => ({
  startNs: RUN_START,
  buildStartNs: RUN_START + 2n * S,
  endNs: RUN_START + 12n * S,
  builds: [build(DEP, 2, 6), build(CHECK, 6, 11), build(REMOTE, 2, 4, "ssh://builder")],
  checkNames: new Map([
    [CHECK, "nginx"],
    [REMOTE, "other"],
  ]),
  inputs: { value: new Map([[CHECK, [DEP]]]) },
  maxJobs: { value: 1 },
  maxJobsFrom: "nix",
  substitutions: [],
  ...overrides,
});

describe("run.json's timing", () => {
  it("names the path's builds as people know them, in ms from the run's start", () => {
    const { criticalPath } = runTiming(facts());
    expect(criticalPath).toEqual({
      edges: "derivations",
      steps: [
        { kind: "wait", reason: "evaluation", startMs: 0, durationMs: 2000 },
        { kind: "build", name: "nixos-system-machine", drvPath: DEP, check: false, startMs: 2000, durationMs: 4000 },
        { kind: "build", name: "nginx", drvPath: CHECK, check: true, startMs: 6000, durationMs: 5000 },
        { kind: "wait", reason: "after", startMs: 11000, durationMs: 1000 },
      ],
      pathMs: 11000,
      wallMs: 12000,
    });
  });

  it("counts only local builds on the slots, and the remote ones apart", () => {
    expect(runTiming(facts()).slots).toEqual({
      maxJobs: 1,
      maxJobsFrom: "nix",
      fromMs: 2000,
      toMs: 11000,
      allBusyMs: 9000,
      meanRunning: 1,
      peak: 1,
      steps: [
        [2000, 1],
        [11000, 0],
      ],
      remoteBuilds: 1,
    });
  });

  it("says what nix could not tell", () => {
    const timing = runTiming(facts({ inputs: { problem: "store gone" }, maxJobs: { problem: "no config" } }));
    expect(timing.criticalPath).toMatchObject({ edges: "unknown", edgesProblem: "store gone" });
    expect(timing.criticalPath?.steps.flatMap((s) => (s.kind === "build" ? [s.name] : []))).toEqual(["nginx"]);
    expect(timing.slots).toMatchObject({ maxJobs: null, maxJobsProblem: "no config", allBusyMs: 0 });
  });

  it("is empty when nothing was built", () => {
    expect(runTiming(facts({ builds: [] }))).toEqual({});
  });
});
