// Per check across runs: pass rate, proven flaky (one derivation both passed and failed: only the
// environment changed) vs changed (the outcome changed together with the derivation), durations, the
// run where the current failing streak began, and quarantined checks that have been passing long enough.
import type { CheckRecord, RunRecord } from "../runs/record.js";
import { quantile } from "../runs/stats.js";

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
  /** When the latest run failed: the first run of that failing streak. */
  failingSince?: { runId: string; startedAt: string };
  quarantine?: string;
  readyToUnquarantine: boolean;
}

interface Seen {
  run: RunRecord;
  check: CheckRecord;
}

/** pass/fail per derivation, counting each build of a retried check. */
function verdictsByDrv(seen: readonly Seen[]): Map<string, Set<string>> {
  const byDrv = new Map<string, Set<string>>();
  for (const { check } of seen) {
    if (!check.drvPath) continue;
    const statuses = check.attempts?.map((a) => a.status) ?? [check.status];
    const set = byDrv.get(check.drvPath) ?? new Set<string>();
    for (const status of statuses) set.add(status);
    byDrv.set(check.drvPath, set);
  }
  return byDrv;
}

function historyOf(name: string, seen: readonly Seen[]): CheckHistory {
  const judged = seen.filter((s) => s.check.status !== "cancelled");
  const passed = judged.filter((s) => s.check.status === "pass").length;
  const provenFlakyDrvs = [...verdictsByDrv(judged)].filter(([, set]) => set.has("pass") && set.has("fail")).map(([drv]) => drv);
  let changedWithDrv = 0;
  for (let i = 1; i < judged.length; i++) {
    const [before, after] = [judged[i - 1]!.check, judged[i]!.check];
    if (before.status !== after.status && before.drvPath !== after.drvPath) changedWithDrv++;
  }
  const built = judged.filter((s) => !s.check.cached).map((s) => s.check.durationMs);
  let streak = judged.length;
  while (streak > 0 && judged[streak - 1]!.check.status === "fail") streak--;
  const first = streak < judged.length ? judged[streak]!.run : undefined;
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
    medianMs: quantile(built, 0.5),
    p95Ms: quantile(built, 0.95),
    ...(first ? { failingSince: { runId: first.runId, startedAt: first.startedAt } } : {}),
    ...(quarantine !== undefined ? { quarantine } : {}),
    readyToUnquarantine: quarantine !== undefined && passingRun >= UNQUARANTINE_AFTER,
  };
}

/** Runs oldest first; only the checks named (all when none), over the last `last` runs. */
export function analyseHistory(runs: readonly RunRecord[], names: readonly string[], last?: number): CheckHistory[] {
  const window = last === undefined ? runs : runs.slice(-last);
  const byCheck = new Map<string, Seen[]>();
  for (const run of window)
    for (const check of run.checks) {
      if (names.length && !names.includes(check.name)) continue;
      byCheck.set(check.name, [...(byCheck.get(check.name) ?? []), { run, check }]);
    }
  return [...byCheck].sort(([a], [b]) => a.localeCompare(b)).map(([name, seen]) => historyOf(name, seen));
}
