// The page's history section, as data for templates/report/history.hbs: per check of this run, a
// sparkline of its last runs (bar height = build time, colour = outcome, this run marked) and what
// `nixotel history` says of it (pass rate, proven flaky). Shown only when other runs are known.
import { analyseHistory } from "../../history/analyse.js";
import type { CheckRecord, RunRecord } from "../../runs/record.js";
import { formatDuration } from "../summary-text.js";

/** Bars in a sparkline: the most recent runs of the check. */
export const SPARK_RUNS = 30;
const BAR = 6;
const STEP = 8;
const HEIGHT = 24;

const outcomeOf = (check: CheckRecord) => (check.cached ? "cached" : check.status);

function sparkline(points: { run: RunRecord; check: CheckRecord }[], currentRunId: string) {
  const longest = Math.max(1, ...points.map((p) => p.check.durationMs));
  return {
    width: points.length * STEP,
    height: HEIGHT,
    bars: points.map(({ run, check }, i) => {
      // A cached result took no build time: a stub bar, so the run still shows.
      const h = check.cached ? 3 : Math.max(2, Math.round((check.durationMs / longest) * (HEIGHT - 2)));
      const time = check.cached ? "cached" : formatDuration(check.durationMs);
      return {
        x: i * STEP,
        y: HEIGHT - h,
        w: BAR,
        h,
        outcome: outcomeOf(check),
        current: run.runId === currentRunId,
        title: `${run.runId}${run.vcs?.revision ? ` (${run.vcs.revision.slice(0, 12)})` : ""}: ${check.status}, ${time}`,
      };
    }),
  };
}

/** `runs` oldest first; only runs up to this one count (a report of an old run shows its past). */
export function historyView(record: RunRecord, runs: readonly RunRecord[]) {
  const past = runs
    .filter((r) => r.startedAt <= record.startedAt && r.runId !== record.runId)
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  if (!past.length) return null;
  const all = [...past, record];
  const names = record.checks.map((c) => c.name);
  const analysed = new Map(analyseHistory(all, names).map((h) => [h.name, h]));
  const rows = record.checks.map((check) => {
    const points = all.flatMap((run) => run.checks.filter((c) => c.name === check.name).map((c) => ({ run, check: c }))).slice(-SPARK_RUNS);
    const h = analysed.get(check.name);
    return {
      suite: check.suite,
      name: check.name,
      runs: h?.runs ?? points.length,
      passRate: h ? `${Math.round(h.passRate * 100)}%` : "",
      provenFlaky: (h?.provenFlakyDrvs.length ?? 0) > 0,
      median: h?.medianMs != null ? formatDuration(h.medianMs) : "—",
      spark: sparkline(points, record.runId),
    };
  });
  return { runs: all.length, sparkRuns: SPARK_RUNS, rows };
}
