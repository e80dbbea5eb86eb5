// `nixotel report RUN` without --html: the run in a terminal — counts, checks with their subtests,
// failing log tails, and where the time went.
import type { CheckView, RunView } from "../runs/read-view.js";
import { durationMs } from "../runs/read-trace.js";

const TAIL_LINES = 20;

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor(s / 60) % 60).padStart(2, "0")}m`;
}

/** Names come from test authors and builds: no control character reaches the terminal. */
const plain = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, "�");

const MARK = { pass: "PASS", fail: "FAIL", cancelled: "STOP" } as const;

function checkLines(check: CheckView, width: number): string[] {
  const { record } = check;
  const name = plain(`${record.suite}.${record.name}`).padEnd(width);
  const time = record.cached ? "cached" : formatDuration(record.durationMs);
  const lines = [`  ${MARK[record.status]}  ${name}  ${time.padStart(7)}${record.errorType ? `  ${plain(record.errorType)}` : ""}`];
  for (const subtest of check.subtests) {
    lines.push(
      `          ${subtest.failed ? "✗" : "✓"} ${plain(subtest.name).padEnd(width - 4)}  ${formatDuration(subtest.durationMs).padStart(7)}`,
    );
  }
  return lines;
}

function failureLines(view: RunView): string[] {
  const failed = view.checks.filter((c) => c.record.status === "fail");
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
  const width = Math.min(48, Math.max(0, ...record.checks.map((c) => c.suite.length + c.name.length + 1)));
  const lines = [
    `Run ${plain(record.runId)} · ${record.result} · ${plain(record.flake)} ${plain(record.system)}`,
    `Started ${started}, took ${formatDuration(view.elapsedMs)} · ${record.checks.length} checks: ${tally.join(", ")} · ${counts.spans} spans`,
    "",
    "Checks",
    ...(record.checks.length ? view.checks.flatMap((c) => checkLines(c, width)) : ["  (no checks)"]),
    ...failureLines(view),
    ...slowestLines(view),
    "",
    view.trace ? `Trace ${record.traceId}: ${spansPath}` : `No spans recorded for this run (${spansPath} is missing).`,
  ];
  return `${lines.join("\n")}\n`;
}
