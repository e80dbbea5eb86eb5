// Per check across runs: pass rate, proven flaky (one derivation both passed and failed: only the
// environment changed) vs changed (the outcome changed together with the derivation), durations, the
// run where the current failing streak began, and quarantined checks that have been passing long enough.
import type { CheckRecord, RunRecord } from "../runs/record.js";
import { quantile } from "../runs/stats.js";
import { failingStreak, type RunRef } from "./streak.js";
import { trendOf, type Trend } from "./trend.js";

export { quantile };

/** A quarantined check passing this many runs in a row is pointed out as ready to un-quarantine. */
export const UNQUARANTINE_AFTER = 5;

export interface CheckHistory {
  name: string;
  runs: number;
  passed: number;
  failed: number;
  passRate: number;
  /** Derivations that both passed and failed (across runs, or across the builds of one --retries run). */
  provenFlakyDrvs: string[];
  /** Runs whose outcome differed from the run before, with a different derivation. */
  changedWithDrv: number;
  medianMs: number | null;
  p95Ms: number | null;
  /** When the latest run failed: the first run of that failing streak (over every run, not only the
   * window), and the last run that passed before it; each with its git revision when recorded. */
  failingSince?: RunRef;
  lastPassed?: RunRef;
  /** With --last N: durations against the N runs before the window. */
  trend?: Trend;
  quarantine?: string;
  readyToUnquarantine: boolean;
}

export interface Seen {
  run: RunRecord;
  check: CheckRecord;
}

/** Every verdict a run gave the check's derivation: each build of a retried check, each repetition of a
 * repeated one (a repetition is the check's derivation plus an inert tag: src/nix/repetitions.ts). */
const statusesOf = (check: CheckRecord) =>
  check.repetitions?.map((r) => r.status) ?? check.attempts?.map((a) => a.status) ?? [check.status];

/** pass/fail per derivation, counting each build of a retried check and each repetition. */
function verdictsByDrv(seen: readonly Seen[]): Map<string, Set<string>> {
  const byDrv = new Map<string, Set<string>>();
  for (const { check } of seen) {
    if (!check.drvPath) continue;
    const statuses = statusesOf(check);
    const set = byDrv.get(check.drvPath) ?? new Set<string>();
    for (const status of statuses) set.add(status);
    byDrv.set(check.drvPath, set);
  }
  return byDrv;
}

/** A built check's duration; a repeated check's, each repetition nix built. */
const durationsOf = (check: CheckRecord) =>
  check.repetitions
    ? check.repetitions.filter((r) => r.status !== "cancelled" && r.durationMs > 0).map((r) => r.durationMs)
    : [check.durationMs];

const judgedOf = (seen: readonly Seen[]) => seen.filter((s) => s.check.status !== "cancelled");
const builtDurations = (judged: readonly Seen[]) => judged.filter((s) => !s.check.cached).flatMap((s) => durationsOf(s.check));

/** The window's figures; `all` (every run of the check) for the failing streak, `previous` for the trend. */
function historyOf(name: string, seen: readonly Seen[], all: readonly Seen[], previous: readonly Seen[] | undefined): CheckHistory {
  const judged = judgedOf(seen);
  const passed = judged.filter((s) => s.check.status === "pass").length;
  const provenFlakyDrvs = [...verdictsByDrv(judged)].filter(([, set]) => set.has("pass") && set.has("fail")).map(([drv]) => drv);
  let changedWithDrv = 0;
  for (let i = 1; i < judged.length; i++) {
    const [before, after] = [judged[i - 1]!.check, judged[i]!.check];
    if (before.status !== after.status && before.drvPath !== after.drvPath) changedWithDrv++;
  }
  const built = builtDurations(judged);
  const durations = { medianMs: quantile(built, 0.5), p95Ms: quantile(built, 0.95) };
  const previousJudged = previous ? judgedOf(previous) : undefined;
  let passingRun = 0;
  while (passingRun < judged.length && judged[judged.length - 1 - passingRun]!.check.status === "pass") passingRun++;
  const quarantine = judged.at(-1)?.check.quarantine;
  return {
    name,
    runs: judged.length,
    passed,
    failed: judged.length - passed,
    passRate: judged.length ? passed / judged.length : 0,
    provenFlakyDrvs,
    changedWithDrv,
    ...durations,
    ...failingStreak(judgedOf(all)),
    ...(previousJudged ? { trend: trendOf(durations, builtDurations(previousJudged), previousJudged.length) } : {}),
    ...(quarantine !== undefined ? { quarantine } : {}),
    readyToUnquarantine: quarantine !== undefined && passingRun >= UNQUARANTINE_AFTER,
  };
}

function byCheck(runs: readonly RunRecord[], names: readonly string[]): Map<string, Seen[]> {
  const seen = new Map<string, Seen[]>();
  for (const run of runs)
    for (const check of run.checks) {
      if (names.length && !names.includes(check.name)) continue;
      seen.set(check.name, [...(seen.get(check.name) ?? []), { run, check }]);
    }
  return seen;
}

/** Runs oldest first; only the checks named (all when none), over the last `last` runs (the window),
 * with the trend against the `last` runs before it. */
export function analyseHistory(runs: readonly RunRecord[], names: readonly string[], last?: number): CheckHistory[] {
  const window = last === undefined ? runs : runs.slice(-last);
  const previous =
    last === undefined ? undefined : byCheck(runs.slice(Math.max(0, runs.length - 2 * last), Math.max(0, runs.length - last)), names);
  const all = byCheck(runs, names);
  return [...byCheck(window, names)]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, seen]) => historyOf(name, seen, all.get(name) ?? seen, previous ? (previous.get(name) ?? []) : undefined));
}
