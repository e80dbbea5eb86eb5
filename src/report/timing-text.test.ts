// The critical path and build slots in words, from fixed run.json `timing` records.
import { describe, expect, it } from "vitest";
import type { TimingRecord } from "../runs/timing-record.js";
import { criticalPathLine, slotsLine, timingLines } from "./timing-text.js";

const build = (name: string, startMs: number, durationMs: number, check = true) =>
  ({ kind: "build", name, drvPath: `/nix/store/x-${name}.drv`, check, startMs, durationMs }) as const;
const wait = (reason: "evaluation" | "slot" | "substitution" | "nix" | "after", startMs: number, durationMs: number) =>
  ({ kind: "wait", reason, startMs, durationMs }) as const;

const timing = (overrides: Partial<TimingRecord> = {}): TimingRecord => ({
  criticalPath: {
    edges: "derivations",
    steps: [
      wait("evaluation", 0, 12_000),
      build("nixos-system-machine", 12_000, 252_000, false),
      wait("nix", 264_000, 200),
      wait("slot", 264_200, 30_000),
      build("nginx", 294_200, 363_000),
      wait("after", 657_200, 2_800),
    ],
    pathMs: 657_200,
    wallMs: 660_000,
  },
  slots: {
    maxJobs: 2,
    maxJobsFrom: "--max-jobs",
    fromMs: 12_000,
    toMs: 657_200,
    allBusyMs: 600_000,
    meanRunning: 1.93,
    peak: 2,
    steps: [
      [12_000, 2],
      [657_200, 0],
    ],
    remoteBuilds: 0,
  },
  ...overrides,
});

describe("the critical path line", () => {
  it("chains the builds with the waits worth naming, and what it adds up to of the run", () => {
    expect(criticalPathLine(timing())).toBe(
      "critical path: evaluation 12.0s → nixos-system-machine 4m 12s → waited for a build slot 30.0s → nginx 6m 03s = 10m 57s of 11m 00s",
    );
  });

  it("says when the edges were unknown, and why", () => {
    const path = {
      ...timing().criticalPath!,
      edges: "unknown" as const,
      edgesProblem: "store unreachable",
      steps: [build("nginx", 0, 5000)],
    };
    expect(criticalPathLine(timing({ criticalPath: path }))).toMatch(
      /\(dependency edges unknown: store unreachable; the last build alone\)$/,
    );
  });

  it("is absent when nothing was built", () => {
    expect(timingLines({})).toEqual([]);
    expect(timingLines(undefined)).toEqual([]);
  });
});

describe("the build slots line", () => {
  it("says how busy the slots were and that more would help when the path waited for one", () => {
    expect(slotsLine(timing())).toBe(
      "build slots: 2 (--max-jobs), all busy 93% of 10m 45s building; 1.9 running on average, peak 2; the critical path waited 30.0s for a slot: more slots (--max-jobs, remote builders) would shorten it",
    );
  });

  it("says more slots would not help when nothing on the path waited for one", () => {
    const path = {
      ...timing().criticalPath!,
      steps: timing().criticalPath!.steps.filter((s) => s.kind === "build" || s.reason !== "slot"),
    };
    expect(slotsLine(timing({ criticalPath: path }))).toMatch(
      /nothing on the critical path waited for a slot: more slots would not shorten this run$/,
    );
  });

  it("names remote builds and an unknown --max-jobs", () => {
    const slots = {
      ...timing().slots!,
      maxJobs: null,
      maxJobsFrom: "nix" as const,
      maxJobsProblem: "nix show-config failed",
      remoteBuilds: 3,
    };
    expect(slotsLine(timing({ slots }))).toBe(
      "build slots: --max-jobs unknown (nix show-config failed); 1.9 running on average, peak 2; 3 built on remote builders (no local slot)",
    );
  });
});
