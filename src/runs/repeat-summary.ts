// What `run --repeat N` found about one check, from its repetitions: the pass rate with its Wilson
// interval, the duration distribution of the check and of each subtest, and the flaky step — the
// innermost subtest that failed in each failing repetition — with its error messages grouped.
import { isDriverFailure } from "../ingest/driver-log.js";
import type { RepeatSummaryRecord, RepetitionRecord, SubtestRecord } from "./record.js";
import { distributionOf, wilsonInterval } from "./stats.js";

/** The failed subtests no failed subtest lies inside (`a › b` failing makes `a`'s failure its consequence). */
function innermostFailures(subtests: readonly SubtestRecord[]): SubtestRecord[] {
  const failed = subtests.filter((s) => s.status === "fail");
  return failed.filter((s) => !failed.some((other) => other.name.startsWith(`${s.name} › `)));
}

/** Why a repetition failed outside any subtest: the driver's last verdict line, else the log's last line. */
function messageOutsideSubtests(repetition: RepetitionRecord): string {
  const tail = repetition.logTail;
  return tail.findLast(isDriverFailure) ?? tail.at(-1) ?? repetition.errorType ?? "failed";
}

/** The error a subtest failed with, without the driver's `Test "NAME" failed with error: "…"` around it. */
function errorOf(subtest: SubtestRecord): string {
  const error = subtest.error ?? "failed";
  const leaf = subtest.name.split(" › ").at(-1) ?? subtest.name;
  const wrapper = `Test "${leaf}" failed with error: `;
  if (!error.startsWith(wrapper)) return error;
  const inner = error.slice(wrapper.length);
  return inner.length >= 2 && inner.startsWith('"') && inner.endsWith('"') ? inner.slice(1, -1) : inner;
}

interface Failure {
  subtest: string | null;
  message: string;
  repetition: number;
}

function failuresOf(repetition: RepetitionRecord): Failure[] {
  const inner = innermostFailures(repetition.subtests);
  if (!inner.length) return [{ subtest: null, message: messageOutsideSubtests(repetition), repetition: repetition.repetition }];
  return inner.map((s) => ({ subtest: s.name, message: errorOf(s), repetition: repetition.repetition }));
}

function groupFailures(failures: readonly Failure[]): RepeatSummaryRecord["failures"] {
  const bySubtest = new Map<string | null, Failure[]>();
  for (const f of failures) bySubtest.set(f.subtest, [...(bySubtest.get(f.subtest) ?? []), f]);
  const groups = [...bySubtest].map(([subtest, list]) => {
    const counts = new Map<string, number>();
    for (const f of list) counts.set(f.message, (counts.get(f.message) ?? 0) + 1);
    return {
      subtest,
      repetitions: [...new Set(list.map((f) => f.repetition))].sort((a, b) => a - b),
      errors: [...counts].map(([message, count]) => ({ message, count })).sort((a, b) => b.count - a.count),
    };
  });
  return groups.sort((a, b) => b.repetitions.length - a.repetitions.length);
}

function subtestDistributions(judged: readonly RepetitionRecord[]): RepeatSummaryRecord["subtests"] {
  const byName = new Map<string, SubtestRecord[]>();
  for (const r of judged) for (const s of r.subtests) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  return [...byName].map(([name, seen]) => ({
    name,
    runs: seen.length,
    failed: seen.filter((s) => s.status === "fail").length,
    durationMs: distributionOf(seen.map((s) => s.durationMs))!,
  }));
}

export function repeatSummaryOf(repetitions: readonly RepetitionRecord[]): RepeatSummaryRecord {
  const judged = repetitions.filter((r) => r.status !== "cancelled");
  const passed = judged.filter((r) => r.status === "pass").length;
  return {
    runs: judged.length,
    passed,
    passRate: judged.length ? passed / judged.length : 0,
    interval: wilsonInterval(passed, judged.length),
    durationMs: distributionOf(judged.filter((r) => r.durationMs > 0).map((r) => r.durationMs)),
    subtests: subtestDistributions(judged),
    failures: groupFailures(judged.filter((r) => r.status === "fail").flatMap(failuresOf)),
  };
}
