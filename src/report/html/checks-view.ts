// The parts of the page that need no script, as data for templates/report/*.hbs: checks with their
// subtests, failures with their log tails, slowest spans. Values stay raw: the templates escape them.
import type { CheckView, RunView } from "../../runs/read-view.js";
import { durationMs } from "../../runs/read-trace.js";
import { COLLAPSE_SUBTESTS_ABOVE } from "../summary-text.js";
import type { PageRole } from "./page-data.js";
import { pageRoleOf } from "./page-role.js";

const TAIL_LINES = 40;
const OPEN_FAILURES = 2;
const anchorOf = (index: number) => `failure-${index}`;

/** The words the legend and the slowest table use for each role. */
export const ROLE_LABELS: Record<PageRole, string> = {
  run: "run",
  phase: "run phase",
  check: "check",
  build: "build",
  subtest: "subtest",
  test: "in-test",
  action: "driver action",
};

const subtestViews = (check: CheckView) =>
  check.subtests.map((subtest) => ({
    name: subtest.name,
    failed: subtest.failed,
    durationMs: subtest.durationMs,
    indentEm: Math.round((1.2 + (subtest.name.split(" › ").length - 1) * 1.2) * 10) / 10,
  }));

function checkRow(check: CheckView, failureIndex: number, fold: boolean) {
  const { record } = check;
  const failedSubtests = check.subtests.filter((s) => s.failed).length;
  const errorText = record.errorType ?? (record.status === "fail" ? "log" : null);
  return {
    status: record.status,
    suite: record.suite,
    name: record.name,
    attr: record.attr,
    cached: record.cached,
    durationMs: record.durationMs,
    subtestCount: check.subtests.length,
    subtestsPassed: check.subtests.length ? `${check.subtests.length - failedSubtests}/${check.subtests.length}` : "",
    folded: fold && check.subtests.length > 0,
    subtests: subtestViews(check),
    error: errorText ? { text: errorText, anchor: anchorOf(failureIndex) } : null,
  };
}

export function checksView(view: RunView) {
  let failures = 0;
  // Same rule as the terminal: on a large run only the checks that did not pass show their subtests.
  const large = view.checks.length > COLLAPSE_SUBTESTS_ABOVE;
  return {
    large,
    collapseAbove: COLLAPSE_SUBTESTS_ABOVE,
    rows: view.checks.map((check) =>
      checkRow(check, check.record.status === "fail" ? failures++ : -1, large && check.record.status === "pass"),
    ),
  };
}

/** Failing checks with their log tails; the first few open, the rest one line each. */
export const failuresView = (view: RunView) =>
  view.checks
    .filter((check) => check.record.status === "fail")
    .map((check, i) => ({
      anchor: anchorOf(i),
      open: i < OPEN_FAILURES,
      suite: check.record.suite,
      name: check.record.name,
      errorType: check.record.errorType ?? null,
      source: check.record.drvPath ?? check.record.attr,
      lineCount: Math.min(TAIL_LINES, check.logTail.length),
      logText: check.logTail.slice(-TAIL_LINES).join("\n"),
    }));

export function slowestView(view: RunView) {
  const total = view.trace?.endMs || 1;
  return view.slowest.map((node) => {
    const ms = durationMs(node);
    const role = pageRoleOf(node);
    return {
      durationMs: ms,
      role,
      roleLabel: ROLE_LABELS[role],
      name: node.span.name,
      share: Math.max(0.5, Math.min(100, (ms / total) * 100)).toFixed(1),
    };
  });
}
