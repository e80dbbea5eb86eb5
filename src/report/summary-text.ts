// `nixotel report RUN` without --html: the run in a terminal — counts, failing log tails, checks with
// their subtests (only failing checks' on large runs), and where the time went.
import type { CheckView, RunView } from "../runs/read-view.js";
import { durationMs } from "../runs/read-trace.js";
import { flakyNote } from "./flaky-note.js";
import { plain } from "./plain.js";
import { repeatLines } from "./repeat-text.js";
import { timeLines } from "./time-text.js";
import { timingLines } from "./timing-text.js";

const TAIL_LINES = 20;

/** A duration in the unit that fits it after rounding (999.6 ms is "1.0s", not "1000ms"). */
export function formatDuration(ms: number): string {
  if (Math.round(ms) < 1000) return `${Math.round(ms)}ms`;
  if (Math.round(ms / 100) < 600) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor(s / 60) % 60).padStart(2, "0")}m`;
}

const MARK = { pass: "PASS", fail: "FAIL", cancelled: "STOP" } as const;
/** Above this many checks, passing checks are listed without their subtests (a count line says so). */
export const COLLAPSE_SUBTESTS_ABOVE = 20;
/** Durations line up after the longest name up to this column; longer names push their own right. */
const NAME_COLUMN_MAX = 64;
const CHECK_INDENT = "  ";
const SUBTEST_INDENT = "        ";

interface Row {
  prefix: string;
  name: string;
  time: string;
  suffix?: string;
}

function checkRows(check: CheckView, withSubtests: boolean): Row[] {
  const { record } = check;
  const rows: Row[] = [
    {
      prefix: `${CHECK_INDENT}${MARK[record.status]}  `,
      name: plain(`${record.suite}.${record.name}`),
      time: record.cached ? "cached" : formatDuration(record.durationMs),
      ...(record.errorType || flakyNote(record) ? { suffix: `${plain(record.errorType ?? "")}${flakyNote(record)}`.trim() } : {}),
    },
  ];
  if (withSubtests)
    for (const subtest of check.subtests)
      rows.push({
        prefix: `${SUBTEST_INDENT}${subtest.failed ? "✗" : "✓"} `,
        name: plain(subtest.name),
        time: formatDuration(subtest.durationMs),
      });
  return rows;
}

/** Every row's duration in one column, after the longest prefix + name (checks and subtests alike)
 * that fits NAME_COLUMN_MAX; a longer name is not cut, its duration just comes after it. */
function alignedLines(rows: Row[]): string[] {
  const widths = rows.map((r) => r.prefix.length + r.name.length).filter((w) => w <= NAME_COLUMN_MAX);
  const column = Math.max(0, ...widths);
  return rows.map((r) => `${r.prefix}${r.name.padEnd(column - r.prefix.length)}  ${r.time.padStart(7)}${r.suffix ? `  ${r.suffix}` : ""}`);
}

function checkLines(view: RunView): string[] {
  if (!view.checks.length) return ["  (no checks)"];
  const collapse = view.checks.length > COLLAPSE_SUBTESTS_ABOVE;
  const shown = (check: CheckView) => !collapse || check.record.status !== "pass";
  const lines = alignedLines(view.checks.flatMap((check) => checkRows(check, shown(check))));
  const hidden = view.checks.filter((c) => !shown(c) && c.subtests.length);
  if (hidden.length) {
    const subtests = hidden.reduce((sum, c) => sum + c.subtests.length, 0);
    lines.push(
      `  (${subtests} subtests of ${hidden.length} passing checks not listed: more than ${COLLAPSE_SUBTESTS_ABOVE} checks; the --html report has them all)`,
    );
  }
  return lines;
}

function failureLines(failed: CheckView[]): string[] {
  if (!failed.length) return [];
  const lines = ["", "Failures"];
  for (const check of failed) {
    lines.push(
      `  ${plain(`${check.record.suite}.${check.record.name}`)}${check.record.errorType ? ` (${plain(check.record.errorType)})` : ""}`,
    );
    const tail = check.logTail.slice(-TAIL_LINES);
    if (!tail.length) lines.push("    (no log lines recorded)");
    for (const line of tail) lines.push(`    │ ${plain(line)}`);
  }
  return lines;
}

/** In-test telemetry a check wrote that could not be read (run.json `problems`): never silently gone. */
function problemLines(view: RunView): string[] {
  const withProblems = view.checks.filter((c) => c.record.problems?.length);
  if (!withProblems.length) return [];
  const lines = ["", "Unreadable telemetry"];
  for (const check of withProblems) {
    lines.push(`  ${plain(`${check.record.suite}.${check.record.name}`)}`);
    for (const problem of check.record.problems ?? []) lines.push(`    ${plain(problem)}`);
  }
  return lines;
}

/** The critical path and the build slots (run.json `timing`), when the run built anything. */
function timingSection(view: RunView): string[] {
  const lines = timingLines(view.record.timing);
  return lines.length ? ["", "Where the build time went", ...lines.map((line) => `  ${line}`)] : [];
}

function slowestLines(view: RunView): string[] {
  if (!view.slowest.length) return [];
  return [
    "",
    "Slowest spans",
    ...view.slowest.map((n) => `  ${formatDuration(durationMs(n)).padStart(7)}  ${n.role.padEnd(7)}  ${plain(n.span.name)}`),
  ];
}

export function summaryText(view: RunView, spansPath: string): string {
  const { record, counts } = view;
  const started = record.startedAt.replace("T", " ").replace(/\.\d+Z$|Z$/, " UTC");
  const tally = [
    `${counts.passed} passed`,
    `${counts.failed} failed`,
    ...(counts.cancelled ? [`${counts.cancelled} cancelled`] : []),
    `${counts.cached} cached`,
  ];
  const failed = view.checks.filter((c) => c.record.status === "fail");
  // Failures right under the counts: on a large run the check list would push them out of sight.
  const lines = [
    `Run ${plain(record.runId)} · ${view.incomplete ? "incomplete" : record.result} · ${plain(record.flake)} ${plain(record.system)}`,
    ...(view.incomplete ? [plain(view.incomplete.note)] : []),
    `Started ${started}, took ${formatDuration(view.elapsedMs)} · ${record.checks.length} checks: ${tally.join(", ")} · ${counts.spans} spans`,
    ...failureLines(failed),
    "",
    "Checks",
    ...checkLines(view),
    ...repeatLines(record.checks),
    ...problemLines(view),
    ...timingSection(view),
    ...slowestLines(view),
    ...timeLines(view),
    "",
    ...(failed.length ? [`Failed: ${failed.map((c) => plain(`${c.record.suite}.${c.record.name}`)).join(", ")}`] : []),
    view.trace ? `Trace ${record.traceId}: ${spansPath}` : `No spans recorded for this run (${spansPath} is missing).`,
  ];
  return `${lines.join("\n")}\n`;
}
