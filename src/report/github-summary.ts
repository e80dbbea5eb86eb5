// GitHub Actions' job summary ($GITHUB_STEP_SUMMARY, Markdown): the result, each failure with its log
// tail, the slowest checks, and where the trace and report are. Names come from test authors: every
// one is escaped for Markdown and HTML (GitHub renders both), log lines sit in a fence they cannot close.
import type { CheckRecord, RunRecord } from "../runs/record.js";
import { formatDuration } from "./summary-text.js";
import { plain } from "./plain.js";

export interface SummaryPlaces {
  /** The run's folder (run.json, spans.jsonl), as the job sees it. */
  runDir: string;
  spansFile: string;
  junitFile?: string;
}

const TAIL_LINES = 30;
const SLOWEST = 5;
const ICON = { success: "✅", failure: "❌", error: "⚠️", timeout: "⏱️", cancellation: "⏹️" } as const;

/** Text inside Markdown (a table cell, a list item): no HTML, no emphasis, no table or line breaks. */
export const markdownText = (text: string) =>
  plain(text)
    .replace(/[<>&]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;" })[c] ?? c)
    .replace(/[\\`*_{}[\]()#+!|~]/g, "\\$&");

/** A fence longer than any run of backticks in the text, so no log line can close it. */
function fenced(lines: readonly string[]): string[] {
  const longest = Math.max(2, ...lines.map((l) => Math.max(0, ...[...l.matchAll(/`+/g)].map((m) => m[0].length))));
  const fence = "`".repeat(longest + 1);
  return [`${fence}text`, ...lines.map(plain), fence];
}

const label = (check: CheckRecord) => markdownText(`${check.suite}.${check.name}`);

function failureSection(check: CheckRecord): string[] {
  const failedSubtests = check.subtests.filter((s) => s.status === "fail").map((s) => markdownText(s.name));
  const tail = check.logTail.slice(-TAIL_LINES);
  return [
    `<details open><summary><b>${label(check)}</b> — ${markdownText(check.errorType ?? "failed")}</summary>`,
    "",
    ...(failedSubtests.length ? [`Failed subtests: ${failedSubtests.join(", ")}`, ""] : []),
    ...(tail.length ? fenced(tail) : ["(no log lines recorded)"]),
    "",
    "</details>",
    "",
  ];
}

/** Checks that failed, then passed on a retry of the same derivation (`--retries`), and quarantined ones. */
function flakyLines(checks: readonly CheckRecord[]): string[] {
  const flaky = checks.filter((c) => c.flaky);
  const quarantined = checks.filter((c) => c.quarantine !== undefined && c.status === "fail");
  if (!flaky.length && !quarantined.length) return [];
  return [
    "### Flaky",
    "",
    ...flaky.map((c) => `- ${label(c)}: passed on attempt ${c.attempts?.length ?? 2} of the same derivation`),
    ...quarantined.map((c) => `- ${label(c)}: failed, quarantined (${markdownText(c.quarantine ?? "")}): does not fail the run`),
    "",
  ];
}

function slowestTable(checks: readonly CheckRecord[]): string[] {
  const built = checks.filter((c) => !c.cached && c.durationMs > 0).sort((a, b) => b.durationMs - a.durationMs);
  if (!built.length) return [];
  return [
    "### Slowest checks",
    "",
    "| check | result | time |",
    "| --- | --- | ---: |",
    ...built.slice(0, SLOWEST).map((c) => `| ${label(c)} | ${c.status} | ${formatDuration(c.durationMs)} |`),
    "",
  ];
}

export function githubSummary(record: RunRecord, places: SummaryPlaces): string {
  const count = (status: CheckRecord["status"]) => record.checks.filter((c) => c.status === status).length;
  const cached = record.checks.filter((c) => c.cached).length;
  const failed = record.checks.filter((c) => c.status === "fail");
  const elapsed = Math.max(0, Date.parse(record.endedAt) - Date.parse(record.startedAt));
  const tally = [`${count("pass")} passed`, `${count("fail")} failed`, ...(count("cancelled") ? [`${count("cancelled")} cancelled`] : [])];
  const lines = [
    `## ${ICON[record.result]} nixotel ${record.command}: ${record.result}`,
    "",
    `${record.checks.length} checks: ${tally.join(", ")}, ${cached} cached · ${formatDuration(elapsed)} · ${markdownText(record.flake)} ${markdownText(record.system)}`,
    "",
    ...(failed.length ? ["### Failures", "", ...failed.flatMap(failureSection)] : []),
    ...flakyLines(record.checks),
    ...slowestTable(record.checks),
    "### Where the run is",
    "",
    `- Trace \`${record.traceId}\`: ${markdownText(places.spansFile)}`,
    `- Run folder: ${markdownText(places.runDir)} (\`nixotel report ${record.runId} --html report.html\` makes the HTML report)`,
    ...(places.junitFile ? [`- JUnit: ${markdownText(places.junitFile)}`] : []),
    ...(record.export.endpoint
      ? [`- Sent to ${markdownText(record.export.endpoint)}: ${record.export.delivered ? "delivered" : "not delivered (spooled)"}`]
      : []),
    "",
  ];
  return `${lines.join("\n")}\n`;
}
