// A check's build times against the window before (`history --last N`: the last N runs against the N
// runs before them): slower or faster, by how much.
import { quantile } from "../runs/stats.js";

export interface Trend {
  /** Runs of the check in the previous window. */
  previousRuns: number;
  previousMedianMs: number | null;
  previousP95Ms: number | null;
  /** Relative change, e.g. 0.25 for 25% slower; null when either window has no built run. */
  medianChange: number | null;
  p95Change: number | null;
}

const change = (now: number | null, before: number | null) =>
  now === null || before === null || before === 0 ? null : Math.round((now / before - 1) * 1000) / 1000;

export function trendOf(
  now: { medianMs: number | null; p95Ms: number | null },
  previousDurations: readonly number[],
  previousRuns: number,
): Trend {
  const previousMedianMs = quantile(previousDurations, 0.5);
  const previousP95Ms = quantile(previousDurations, 0.95);
  return {
    previousRuns,
    previousMedianMs,
    previousP95Ms,
    medianChange: change(now.medianMs, previousMedianMs),
    p95Change: change(now.p95Ms, previousP95Ms),
  };
}
