// JUnit XML from a run record, in the shape both strict consumers accept: Jenkins xunit's junit-10.xsd
// (the whole file) and Maven Surefire's surefire-test-report.xsd (each <testsuite>, which is all a
// Surefire file holds). So: no `skipped` on <testsuites>, no `timestamp` on <testsuite> (Surefire has
// none), <properties> only at suite level and before the testcases, and a testcase's children in
// Surefire's order (failure, skipped, system-out). One testcase per check (classname = suite); what
// is the run's goes to suite properties, what is the check's (attr, store paths, subtests) to its
// system-out as `key: value` lines. Tested against both schemas in tests/report/junit-schemas.test.ts.
import type { CheckRecord, RunRecord } from "../runs/record.js";

// XML 1.0 forbids most control characters even when escaped: drop them.
const INVALID_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export const xmlEscape = (text: string) =>
  text
    .replace(INVALID_XML, "")
    .replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] ?? c);

// Both schemas' SUREFIRE_TIME: digits and at most three decimals (Surefire's limit).
const seconds = (ms: number) => (ms / 1000).toFixed(3);

/** Attributes in the order given, values escaped. */
const attributes = (pairs: [string, string | number][]) => pairs.map(([name, value]) => ` ${name}="${xmlEscape(String(value))}"`).join("");

/** What the check's span carries beyond pass/fail, one `key: value` line each, for its system-out. */
function checkDetails(check: CheckRecord): string[] {
  return [
    `nix.attr: ${check.attr}`,
    `nix.cached: ${check.cached}${check.cached ? " (nothing was built)" : ""}`,
    ...(check.drvPath ? [`nix.drv_path: ${check.drvPath}`] : []),
    ...(check.outPath ? [`nix.out_path: ${check.outPath}`] : []),
    ...check.subtests.map((s) => `subtest ${s.status}: ${s.name} (${seconds(s.durationMs)}s)`),
    ...(check.problems ?? []).map((p) => `telemetry problem: ${p}`),
  ];
}

function testcase(check: CheckRecord): string {
  const lines = [
    `    <testcase${attributes([
      ["name", check.name],
      ["classname", check.suite],
      ["time", seconds(check.durationMs)],
    ])}>`,
  ];
  if (quarantinedFailure(check)) {
    // Surefire's order: reruns before skipped. Every build failed, so they are rerunFailures.
    lines.push(...rerunElements(check, "rerunFailure"));
    lines.push(`      <skipped${attributes([["message", `quarantined: ${check.quarantine}`]])}/>`);
  } else if (check.status === "fail") {
    const type = check.errorType ?? "test_failed";
    const failure = attributes([
      ["message", `${check.name} failed: ${type}`],
      ["type", type],
    ]);
    lines.push(`      <failure${failure}>${xmlEscape(check.logTail.join("\n"))}</failure>`);
    lines.push(...rerunElements(check, "rerunFailure"));
  } else if (check.status === "cancelled") {
    lines.push(`      <skipped message="cancelled before it finished"/>`);
  } else lines.push(...rerunElements(check, "flakyFailure"));
  lines.push(`      <system-out>${xmlEscape(checkDetails(check).join("\n"))}</system-out>`, "    </testcase>");
  return lines.join("\n");
}

/** A quarantined check that failed is reported skipped (with why), so it does not fail JUnit readers. */
const quarantinedFailure = (c: CheckRecord) => c.quarantine !== undefined && c.status === "fail";
const shownStatus = (c: CheckRecord) => (quarantinedFailure(c) ? "cancelled" : c.status);
const count = (checks: readonly CheckRecord[], status: CheckRecord["status"]) => checks.filter((c) => shownStatus(c) === status).length;

/** Maven Surefire's rerun elements: each failed build before the last, with its log tail. A check that
 * passed on a retry carries `flakyFailure`s; one that failed every build carries `rerunFailure`s after
 * its `failure` (which holds the last build's tail). */
function rerunElements(check: CheckRecord, element: "flakyFailure" | "rerunFailure"): string[] {
  const failed = (check.attempts ?? []).slice(0, -1).filter((a) => a.status === "fail");
  const type = check.errorType ?? "test_failed";
  return failed.map((a) => {
    const about = attributes([
      ["message", `${check.name} failed on build ${a.attempt}`],
      ["type", type],
    ]);
    return `      <${element}${about}><stackTrace>${xmlEscape(a.logTail.join("\n"))}</stackTrace></${element}>`;
  });
}
const totalTime = (checks: readonly CheckRecord[]) => seconds(checks.reduce((sum, c) => sum + c.durationMs, 0));

/** The run's facts, the same in every suite (each may end up in a file of its own). */
function runProperties(record: RunRecord): string[] {
  const properties: [string, string][] = [
    ["nixotel.run.id", record.runId],
    ["nixotel.run.started_at", record.startedAt],
    ["nixotel.run.result", record.result],
    ["trace_id", record.traceId],
    ["nix.flake", record.flake],
    ["nix.system", record.system],
  ];
  return [
    "    <properties>",
    ...properties.map(
      (p) =>
        `      <property${attributes([
          ["name", p[0]],
          ["value", p[1]],
        ])}/>`,
    ),
    "    </properties>",
  ];
}

function testsuite(record: RunRecord, suite: string, checks: readonly CheckRecord[]): string {
  const counts = attributes([
    ["name", suite],
    ["tests", checks.length],
    ["failures", count(checks, "fail")],
    ["errors", 0],
    ["skipped", count(checks, "cancelled")],
    ["time", totalTime(checks)],
  ]);
  return [`  <testsuite${counts}>`, ...runProperties(record), ...checks.map(testcase), "  </testsuite>"].join("\n");
}

export function junitXml(record: RunRecord): string {
  const suites = new Map<string, CheckRecord[]>();
  for (const check of record.checks) suites.set(check.suite, [...(suites.get(check.suite) ?? []), check]);
  const all = record.checks;
  const totals = attributes([
    ["name", `nixotel ${record.command} ${record.flake}`],
    ["tests", all.length],
    ["failures", count(all, "fail")],
    ["errors", 0],
    ["time", totalTime(all)],
  ]);
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites${totals}>`,
    ...[...suites].map(([suite, checks]) => testsuite(record, suite, checks)),
    `</testsuites>`,
    "",
  ].join("\n");
}
