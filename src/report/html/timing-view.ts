// The page's "Where the build time went" section, as data for templates/report/timing.hbs: the critical
// path as one bar of its steps (widths by share of the run) and the build slots as a small step chart
// (inline SVG drawn here: no script, numbers only). Values stay raw: the template escapes them.
import type { RunView } from "../../runs/read-view.js";
import type { SlotsRecord, TimingRecord } from "../../runs/timing-record.js";
import { formatDuration } from "../summary-text.js";
import { criticalPathLine, slotsLine } from "../timing-text.js";

const STRIP_WIDTH = 1000;
const STRIP_HEIGHT = 48;
/** Room above the tallest bar, so the --max-jobs line at the top stays visible. */
const HEADROOM = 4;
/** A step narrower than this share of the run keeps its name to its tooltip. */
const LABEL_MIN_PERCENT = 8;
const round = (n: number) => Math.round(n * 100) / 100;

const WAIT_LABELS = { evaluation: "evaluation", slot: "slot wait", substitution: "substituting", nix: "nix", after: "after" } as const;

function pathSteps(timing: TimingRecord) {
  const path = timing.criticalPath;
  if (!path) return null;
  const wall = path.wallMs || 1;
  return path.steps.map((step) => {
    const label = step.kind === "build" ? step.name : WAIT_LABELS[step.reason];
    const widthPercent = round((step.durationMs / wall) * 100);
    return {
      kind: step.kind,
      reason: step.kind === "wait" ? step.reason : "build",
      label: widthPercent >= LABEL_MIN_PERCENT ? label : "",
      title: `${label}: ${formatDuration(step.durationMs)} at +${formatDuration(step.startMs)}`,
      widthPercent,
    };
  });
}

/** Running builds over the build window as bars, and the --max-jobs line they are measured against. */
function strip(slots: SlotsRecord) {
  const windowMs = Math.max(1, slots.toMs - slots.fromMs);
  const top = Math.max(1, slots.peak, slots.maxJobs ?? 0);
  const x = (ms: number) => round(((ms - slots.fromMs) / windowMs) * STRIP_WIDTH);
  const bars = slots.steps.flatMap(([atMs, running], i) => {
    const next = slots.steps[i + 1]?.[0] ?? slots.toMs;
    if (running === 0 || next <= atMs) return [];
    const height = round((running / top) * (STRIP_HEIGHT - HEADROOM));
    return [{ x: x(atMs), y: round(STRIP_HEIGHT - height), width: round(x(next) - x(atMs)), height, title: `${running} running` }];
  });
  const capY = slots.maxJobs ? round(STRIP_HEIGHT - (slots.maxJobs / top) * (STRIP_HEIGHT - HEADROOM)) : null;
  return {
    width: STRIP_WIDTH,
    height: STRIP_HEIGHT,
    bars,
    capY,
    maxJobs: slots.maxJobs,
    from: formatDuration(slots.fromMs),
    to: formatDuration(slots.toMs),
  };
}

export function timingView(view: RunView) {
  const timing = view.record.timing;
  if (!timing || (!timing.criticalPath && !timing.slots)) return null;
  return {
    pathLine: criticalPathLine(timing) ?? null,
    steps: pathSteps(timing),
    slotsLine: slotsLine(timing) ?? null,
    strip: timing.slots ? strip(timing.slots) : null,
  };
}
