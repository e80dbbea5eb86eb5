// `nixotel history` in a terminal: one line per check, then what stands out (proven flaky, failing
// since, ready to un-quarantine).
import { formatDuration } from "../report/summary-text.js";
import { plain } from "../report/plain.js";
import type { CheckHistory } from "./analyse.js";
import type { RunRef } from "./streak.js";

const duration = (ms: number | null) => (ms === null ? "-" : formatDuration(ms));

const short = (revision: string) => plain(revision.slice(0, 12));
const atRevision = (ref: RunRef) => (ref.revision ? ` at ${short(ref.revision)}` : "");

/** `failing since run X (time) at <rev>; last passed at <rev> (run Y)`: git bisect's bad and good. */
function failingText(h: CheckHistory): string {
  const since = h.failingSince!;
  const good = h.lastPassed ? `; last passed in run ${plain(h.lastPassed.runId)}${atRevision(h.lastPassed)}` : "; never passed";
  return `failing since run ${plain(since.runId)} (${since.startedAt})${atRevision(since)}${good}`;
}

const signed = (change: number | null) => (change === null ? "" : ` (${change >= 0 ? "+" : ""}${Math.round(change * 100)}%)`);

/** `median 1.2s (+25%), p95 2.0s (+10%) against the 10 runs before` */
function trendText(h: CheckHistory): string {
  const t = h.trend!;
  return `median ${duration(t.previousMedianMs)} → ${duration(h.medianMs)}${signed(t.medianChange)}, p95 ${duration(t.previousP95Ms)} → ${duration(h.p95Ms)}${signed(t.p95Change)} against the ${t.previousRuns} run(s) before`;
}

function notes(h: CheckHistory): string[] {
  return [
    ...(h.provenFlakyDrvs.length
      ? [`PROVEN FLAKY: the same derivation both passed and failed (${h.provenFlakyDrvs.map(plain).join(", ")})`]
      : []),
    ...(h.changedWithDrv ? [`outcome changed with the derivation ${h.changedWithDrv} time(s)`] : []),
    ...(h.failingSince ? [failingText(h)] : []),
    ...(h.trend && (h.trend.medianChange || h.trend.p95Change) ? [trendText(h)] : []),
    ...(h.quarantine !== undefined ? [`quarantined: ${plain(h.quarantine)}`] : []),
    ...(h.readyToUnquarantine ? ["passing long enough: ready to un-quarantine (remove it from nixotel.json)"] : []),
  ];
}

export function historyText(histories: readonly CheckHistory[], runs: number): string {
  if (!histories.length) return `No checks found in ${runs} run(s). Run \`nixotel run\` first, or pass --from DIR.\n`;
  const width = Math.max(...histories.map((h) => h.name.length));
  const lines = [`${runs} run(s)`, `  ${"check".padEnd(width)}  runs  pass rate   median      p95`];
  for (const h of histories) {
    const rate = `${(h.passRate * 100).toFixed(0)}%`.padStart(9);
    lines.push(
      `  ${plain(h.name).padEnd(width)}  ${String(h.runs).padStart(4)}  ${rate}  ${duration(h.medianMs).padStart(7)}  ${duration(h.p95Ms).padStart(7)}`,
    );
    for (const note of notes(h)) lines.push(`  ${" ".repeat(width)}  ↳ ${note}`);
  }
  return `${lines.join("\n")}\n`;
}
