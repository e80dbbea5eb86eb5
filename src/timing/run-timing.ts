// A run's builds and the facts gathered about them → run.json's `timing`: the critical path and the build
// slots, in ms from the run's start. Pure; src/pipeline/gather-timing.ts asks nix for the facts.
import { drvName } from "../nix/activity.js";
import type { BuildActivity } from "../nix/builds.js";
import type { CriticalPathRecord, SlotsRecord, TimingRecord } from "../runs/timing-record.js";
import { slotUsage } from "./build-slots.js";
import { criticalPath, type TimedBuild } from "./critical-path.js";
import type { Interval } from "./intervals.js";

/** A fact nix was asked for: its answer, or why there is none. */
export type Asked<T> = { value: T } | { problem: string };

export interface TimingFacts {
  startNs: bigint;
  buildStartNs: bigint;
  endNs: bigint;
  /** The builds of the run's `nix build` (cached checks are none; retries are after it). */
  builds: readonly Readonly<BuildActivity>[];
  /** A check's derivation → the check's name. */
  checkNames: ReadonlyMap<string, string>;
  /** Built derivation → the built derivations it needed. */
  inputs: Asked<ReadonlyMap<string, readonly string[]>>;
  maxJobs: Asked<number>;
  /** Whether --max-jobs was the run's flag, or nix's own setting. */
  maxJobsFrom: "--max-jobs" | "nix";
  substitutions: readonly { startNs: bigint; endNs?: bigint }[];
}

const msBetween = (fromNs: bigint, toNs: bigint) => (toNs > fromNs ? Number((toNs - fromNs) / 1000n) / 1000 : 0);

function timedBuilds(facts: TimingFacts): TimedBuild[] {
  return facts.builds.map((build) => ({
    id: build.drvPath,
    name: facts.checkNames.get(build.drvPath) ?? drvName(build.drvPath),
    startNs: build.startNs,
    endNs: build.endNs ?? build.startNs,
    local: build.machine === "",
  }));
}

function pathRecord(
  facts: TimingFacts,
  builds: TimedBuild[],
  substitutions: Interval[],
  maxJobs: number | undefined,
): CriticalPathRecord | undefined {
  const inputsOf = "value" in facts.inputs ? facts.inputs.value : undefined;
  const path = criticalPath({ ...facts, builds, inputsOf, maxJobs, substitutions });
  if (!path) return undefined;
  const at = (ns: bigint) => msBetween(facts.startNs, ns);
  const lastBuild = path.steps.findLast((s) => s.kind === "build");
  return {
    edges: path.edgesKnown ? "derivations" : "unknown",
    ...("problem" in facts.inputs ? { edgesProblem: facts.inputs.problem } : {}),
    steps: path.steps.map((step) =>
      step.kind === "build"
        ? {
            kind: "build",
            name: step.build.name,
            drvPath: step.build.id,
            check: facts.checkNames.has(step.build.id),
            startMs: at(step.build.startNs),
            durationMs: msBetween(step.build.startNs, step.build.endNs),
          }
        : { kind: "wait", reason: step.reason, startMs: at(step.startNs), durationMs: msBetween(step.startNs, step.endNs) },
    ),
    pathMs: lastBuild?.kind === "build" ? at(lastBuild.build.endNs) : 0,
    wallMs: at(facts.endNs),
  };
}

function slotsRecord(facts: TimingFacts, builds: TimedBuild[], maxJobs: number | undefined): SlotsRecord | undefined {
  const usage = slotUsage(
    builds.filter((b) => b.local),
    facts.buildStartNs,
    maxJobs,
  );
  if (!usage) return undefined;
  const at = (ns: bigint) => msBetween(facts.startNs, ns);
  const windowNs = usage.toNs - usage.fromNs;
  return {
    maxJobs: maxJobs ?? null,
    maxJobsFrom: facts.maxJobsFrom,
    ...("problem" in facts.maxJobs ? { maxJobsProblem: facts.maxJobs.problem } : {}),
    fromMs: at(usage.fromNs),
    toMs: at(usage.toNs),
    allBusyMs: msBetween(0n, usage.allBusyNs),
    meanRunning: windowNs > 0n ? Math.round(Number((usage.usedNs * 1000n) / windowNs)) / 1000 : 0,
    peak: usage.peak,
    steps: usage.steps.map((s) => [at(s.atNs), s.count]),
    remoteBuilds: builds.filter((b) => !b.local).length,
  };
}

export function runTiming(facts: TimingFacts): TimingRecord {
  const builds = timedBuilds(facts);
  const maxJobs = "value" in facts.maxJobs ? facts.maxJobs.value : undefined;
  const substitutions = facts.substitutions.map((s) => ({ startNs: s.startNs, endNs: s.endNs ?? s.startNs }));
  const path = pathRecord(facts, builds, substitutions, maxJobs);
  const slots = slotsRecord(facts, builds, maxJobs);
  return { ...(path ? { criticalPath: path } : {}), ...(slots ? { slots } : {}) };
}
