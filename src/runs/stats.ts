// Small statistics for flaky tests: quantiles by nearest rank, a duration distribution, and a pass
// rate's confidence interval (Wilson's score interval, which stays inside 0–100% and is honest for
// few runs and for rates near 0 or 1, unlike the normal approximation).

/** The q-quantile by nearest rank; null for no values. */
export function quantile(values: readonly number[], q: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export interface Distribution {
  minMs: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

/** min, median, p95 and max of some durations; null for none. */
export function distributionOf(durations: readonly number[]): Distribution | null {
  if (!durations.length) return null;
  return {
    minMs: Math.min(...durations),
    medianMs: quantile(durations, 0.5)!,
    p95Ms: quantile(durations, 0.95)!,
    maxMs: Math.max(...durations),
  };
}

export interface Interval {
  /** The confidence level, e.g. 0.95. */
  level: number;
  low: number;
  high: number;
}

/** z for a two-sided 95% interval. */
const Z95 = 1.959963984540054;

/** Wilson's score interval for `passed` of `runs` at 95%; 0–1 (nothing known) for no runs. */
export function wilsonInterval(passed: number, runs: number): Interval {
  if (runs === 0) return { level: 0.95, low: 0, high: 1 };
  const p = passed / runs;
  const z2 = Z95 * Z95;
  const denominator = 1 + z2 / runs;
  const centre = (p + z2 / (2 * runs)) / denominator;
  const half = (Z95 / denominator) * Math.sqrt((p * (1 - p)) / runs + z2 / (4 * runs * runs));
  // Rounded to 4 places (0.01%): run.json stays readable, and 0 or 1 is exact at the ends.
  const round = (x: number) => Math.round(Math.min(1, Math.max(0, x)) * 10_000) / 10_000;
  return { level: 0.95, low: round(centre - half), high: round(centre + half) };
}
