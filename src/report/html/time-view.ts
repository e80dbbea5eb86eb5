// The report's "where the time went" section as data for templates/report/time.hbs: each check's time
// by kind (one stacked bar) and the run's slowest driver actions. Values stay raw: the template escapes them.
import type { RunView } from "../../runs/read-view.js";
import type { TimeBreakdown } from "../../runs/time-breakdown.js";

const KINDS = [
  ["boot", "bootMs", "VM boot"],
  ["waiting", "waitingMs", "waiting"],
  ["commands", "commandsMs", "commands"],
  ["rest", "restMs", "the rest"],
] as const;

const share = (ms: number, total: number) => (total > 0 ? ((ms / total) * 100).toFixed(1) : "0.0");

const parts = (time: TimeBreakdown) =>
  KINDS.map(([kind, key, label]) => ({ kind, label, durationMs: time[key], share: share(time[key], time.totalMs) }));

export function timeView(view: RunView) {
  const checks = view.checks.flatMap((check) =>
    check.time ? [{ suite: check.record.suite, name: check.record.name, totalMs: check.time.totalMs, parts: parts(check.time) }] : [],
  );
  return {
    shown: checks.length > 0 || view.slowestActions.length > 0,
    legend: KINDS.map(([kind, , label]) => ({ kind, label })),
    checks,
    actions: view.slowestActions.map((a) => ({ ...a, target: a.target || "—" })),
  };
}
