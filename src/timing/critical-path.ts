// The run's critical path: the chain of builds that determined its wall time, read from when each build
// started and ended and which builds each one needed (its input derivations built in the same run).
// Pure: the pipeline gathers the facts (src/pipeline/gather-timing.ts), reports show the result.
import { occupancy, timeWhere, type Interval, type Step } from "./intervals.js";

export interface TimedBuild extends Interval {
  /** Unique within the run: the derivation path. */
  id: string;
  /** What a person calls it: the check's name, or the derivation's name for a dependency. */
  name: string;
  /** Built on this machine (a remote builder's build holds no local slot). */
  local: boolean;
}

/** What a stretch of the path between builds was spent on. */
export type WaitReason =
  /** Evaluating the checks and asking the store what is cached, before nix could build anything. */
  | "evaluation"
  /** Every build slot (--max-jobs) was taken by another build. */
  | "slot"
  /** nix was substituting paths from a binary cache. */
  | "substitution"
  /** None of the above: nix's own work between builds (scheduling, cache queries, copying). */
  | "nix"
  /** After the last build: reading results, retries, writing the record. */
  | "after";

export type PathStep = { kind: "build"; build: TimedBuild } | { kind: "wait"; reason: WaitReason; startNs: bigint; endNs: bigint };

export interface PathInput {
  /** The run's start, the moment nix began building (evaluation done), the run's end. */
  startNs: bigint;
  buildStartNs: bigint;
  endNs: bigint;
  builds: readonly TimedBuild[];
  /** Build id → ids of the builds it needed; undefined when the edges could not be read. */
  inputsOf: ReadonlyMap<string, readonly string[]> | undefined;
  /** nix's --max-jobs (local build slots); undefined when not known. */
  maxJobs: number | undefined;
  substitutions: readonly Interval[];
}

export interface CriticalPath {
  /** Waits and builds, first to last, covering the run from its start to its end. */
  steps: PathStep[];
  /** False when no dependency edges were known: the path is the last build alone. */
  edgesKnown: boolean;
}

const byTime = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/** The build that ended last; on a tie the one that started first (it holds more of the time), then by id. */
function latest(builds: readonly TimedBuild[]): TimedBuild | undefined {
  return [...builds].sort((a, b) => byTime(b.endNs, a.endNs) || byTime(a.startNs, b.startNs) || a.id.localeCompare(b.id))[0];
}

/** From the build that ended last, back through the input that ended last, to a build that needed none. */
function chainOf(input: PathInput): TimedBuild[] {
  const byId = new Map(input.builds.map((b) => [b.id, b]));
  let current = latest(input.builds);
  const chain: TimedBuild[] = [];
  while (current && !chain.includes(current)) {
    chain.unshift(current);
    const inputs = (input.inputsOf?.get(current.id) ?? []).flatMap((id) => byId.get(id) ?? []);
    current = latest(inputs.filter((b) => !chain.includes(b)));
  }
  return chain;
}

/** What [fromNs, toNs) was spent on: whichever of full slots and substitutions covered more of it. */
function reasonOf(
  local: readonly Step[],
  substituting: readonly Step[],
  slots: number | undefined,
  fromNs: bigint,
  toNs: bigint,
): WaitReason {
  const slotsFull = slots !== undefined && slots > 0 ? timeWhere(local, fromNs, toNs, (count) => count >= slots) : 0n;
  const fetching = timeWhere(substituting, fromNs, toNs, (count) => count > 0);
  if (slotsFull > 0n && slotsFull >= fetching) return "slot";
  return fetching > 0n ? "substitution" : "nix";
}

export function criticalPath(input: PathInput): CriticalPath | undefined {
  const chain = chainOf(input);
  if (!chain.length) return undefined;
  const steps: PathStep[] = [];
  const wait = (reason: WaitReason, startNs: bigint, endNs: bigint) => {
    if (endNs > startNs) steps.push({ kind: "wait", reason, startNs, endNs });
  };
  const local = occupancy(input.builds.filter((b) => b.local));
  const substituting = occupancy(input.substitutions);
  const first = chain[0]!;
  const buildStart = input.buildStartNs < first.startNs ? input.buildStartNs : first.startNs;
  wait("evaluation", input.startNs, buildStart);
  let cursor = buildStart > input.startNs ? buildStart : input.startNs;
  for (const build of chain) {
    if (build.startNs > cursor) wait(reasonOf(local, substituting, input.maxJobs, cursor, build.startNs), cursor, build.startNs);
    steps.push({ kind: "build", build });
    if (build.endNs > cursor) cursor = build.endNs;
  }
  wait("after", cursor, input.endNs);
  return { steps, edgesKnown: input.inputsOf !== undefined };
}
