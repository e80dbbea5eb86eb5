// run.json's `timing` in words, for the run's summary and `nixotel report`: the critical path as a chain
// with the waits worth naming, and how busy the build slots were with a verdict on whether more would help.
import type { TimingRecord, WaitReason } from "../runs/timing-record.js";
import { plain } from "./plain.js";
import { formatDuration } from "./summary-text.js";

/** Waits shorter than this (and shorter than 5% of the run) are nix's bookkeeping, not worth a step. */
const NOTABLE_WAIT_MS = 1000;

const WAIT_WORDS: Record<WaitReason, string> = {
  evaluation: "evaluation",
  slot: "waited for a build slot",
  substitution: "substituting",
  nix: "nix's own work",
  after: "after the builds",
};

type Steps = NonNullable<TimingRecord["criticalPath"]>["steps"];

const slotWaitMs = (steps: Steps) => steps.reduce((sum, s) => (s.kind === "wait" && s.reason === "slot" ? sum + s.durationMs : sum), 0);

export function criticalPathLine(timing: TimingRecord | undefined): string | undefined {
  const path = timing?.criticalPath;
  if (!path) return undefined;
  const notable = (ms: number) => ms >= NOTABLE_WAIT_MS || ms >= path.wallMs * 0.05;
  const parts = path.steps.flatMap((step) => {
    if (step.kind === "build") return [`${plain(step.name)} ${formatDuration(step.durationMs)}`];
    if (step.reason === "after") return [];
    return step.reason === "evaluation" || notable(step.durationMs)
      ? [`${WAIT_WORDS[step.reason]} ${formatDuration(step.durationMs)}`]
      : [];
  });
  const unknown =
    path.edges === "unknown"
      ? ` (dependency edges unknown${path.edgesProblem ? `: ${plain(path.edgesProblem)}` : ""}; the last build alone)`
      : "";
  return `critical path: ${parts.join(" → ")} = ${formatDuration(path.pathMs)} of ${formatDuration(path.wallMs)}${unknown}`;
}

function verdict(steps: Steps): string {
  const waited = slotWaitMs(steps);
  if (waited > 0)
    return `the critical path waited ${formatDuration(waited)} for a slot: more slots (--max-jobs, remote builders) would shorten it`;
  return "nothing on the critical path waited for a slot: more slots would not shorten this run";
}

export function slotsLine(timing: TimingRecord | undefined): string | undefined {
  const slots = timing?.slots;
  if (!slots) return undefined;
  const windowMs = Math.max(0, slots.toMs - slots.fromMs);
  const usage = `${slots.meanRunning.toFixed(1)} running on average, peak ${slots.peak}`;
  const remote = slots.remoteBuilds ? `; ${slots.remoteBuilds} built on remote builders (no local slot)` : "";
  if (slots.maxJobs === null)
    return `build slots: --max-jobs unknown${slots.maxJobsProblem ? ` (${plain(slots.maxJobsProblem)})` : ""}; ${usage}${remote}`;
  const busy = windowMs > 0 ? Math.round((slots.allBusyMs / windowMs) * 100) : 0;
  return `build slots: ${slots.maxJobs} (${slots.maxJobsFrom}), all busy ${busy}% of ${formatDuration(windowMs)} building; ${usage}${remote}; ${verdict(timing?.criticalPath?.steps ?? [])}`;
}

/** The two lines, where the run has them. */
export const timingLines = (timing: TimingRecord | undefined): string[] =>
  [criticalPathLine(timing), slotsLine(timing)].flatMap((l) => (l ? [l] : []));
