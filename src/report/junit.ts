// JUnit XML from a run record: one testcase per check (classname = suite), subtests as properties
// and system-out lines, failures with the log tail, time = real build time, cached marked.
import type { CheckRecord, RunRecord } from "../runs/record.js";

// XML 1.0 forbids most control characters even when escaped: drop them.
const INVALID_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export const xmlEscape = (text: string) =>
  text
    .replace(INVALID_XML, "")
    .replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c] ?? c);

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function testcase(check: CheckRecord): string {
  const properties = [
    ["nix.attr", check.attr],
    ["nix.cached", String(check.cached)],
    ...(check.drvPath ? [["nix.drv_path", check.drvPath]] : []),
    ...(check.outPath ? [["nix.out_path", check.outPath]] : []),
    ...check.subtests.map((s) => [`subtest: ${s.name}`, `${s.status} in ${seconds(s.durationMs)}s`]),
  ];
  const lines = [
    `    <testcase name="${xmlEscape(check.name)}" classname="${xmlEscape(check.suite)}" time="${seconds(check.durationMs)}">`,
  ];
  lines.push("      <properties>");
  for (const [name, value] of properties)
    lines.push(`        <property name="${xmlEscape(name ?? "")}" value="${xmlEscape(value ?? "")}"/>`);
  lines.push("      </properties>");
  if (check.quarantine !== undefined && check.status === "fail") {
    lines.push(`      <skipped message="${xmlEscape(`quarantined: ${check.quarantine}`)}"/>`);
    lines.push(...rerunElements(check, "flakyFailure"));
  } else if (check.status === "fail") {
    const type = check.errorType ?? "test_failed";
    lines.push(
      `      <failure message="${xmlEscape(`${check.name} failed: ${type}`)}" type="${xmlEscape(type)}">${xmlEscape(check.logTail.join("\n"))}</failure>`,
    );
    lines.push(...rerunElements(check, "rerunFailure"));
  } else if (check.status === "cancelled") {
    lines.push(`      <skipped message="cancelled before it finished"/>`);
  } else lines.push(...rerunElements(check, "flakyFailure"));
  const out = [
    check.cached ? "cached: nothing was built" : undefined,
    ...check.subtests.map((s) => `subtest ${s.status}: ${s.name} (${seconds(s.durationMs)}s)`),
  ].filter((l): l is string => l !== undefined);
  if (out.length) lines.push(`      <system-out>${xmlEscape(out.join("\n"))}</system-out>`);
  lines.push("    </testcase>");
  return lines.join("\n");
}

/** Maven Surefire's rerun elements: each failed build before the last, with its log tail. A check that
 * passed on a retry carries `flakyFailure`s; one that failed every build carries `rerunFailure`s after
 * its `failure` (which holds the last build's tail). */
function rerunElements(check: CheckRecord, element: "flakyFailure" | "rerunFailure"): string[] {
  const failed = (check.attempts ?? []).slice(0, -1).filter((a) => a.status === "fail");
  const type = check.errorType ?? "test_failed";
  return failed.map(
    (a) =>
      `      <${element} message="${xmlEscape(`${check.name} failed on build ${a.attempt}`)}" type="${xmlEscape(type)}">` +
      `<stackTrace>${xmlEscape(a.logTail.join("\n"))}</stackTrace></${element}>`,
  );
}

export function junitXml(record: RunRecord): string {
  const suites = new Map<string, CheckRecord[]>();
  for (const check of record.checks) suites.set(check.suite, [...(suites.get(check.suite) ?? []), check]);
  // A quarantined check that failed is reported skipped (with why), so it does not fail JUnit readers.
  const statusOf = (c: CheckRecord) => (c.quarantine !== undefined && c.status === "fail" ? "cancelled" : c.status);
  const count = (checks: CheckRecord[], status: CheckRecord["status"]) => checks.filter((c) => statusOf(c) === status).length;
  const time = (checks: CheckRecord[]) => seconds(checks.reduce((sum, c) => sum + c.durationMs, 0));
  const body = [...suites].map(([suite, checks]) =>
    [
      `  <testsuite name="${xmlEscape(suite)}" tests="${checks.length}" failures="${count(checks, "fail")}" errors="0" skipped="${count(checks, "cancelled")}" time="${time(checks)}" timestamp="${record.startedAt}">`,
      ...checks.map(testcase),
      "  </testsuite>",
    ].join("\n"),
  );
  const all = record.checks;
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="nixotel ${record.command} ${xmlEscape(record.flake)}" tests="${all.length}" failures="${count(all, "fail")}" errors="0" skipped="${count(all, "cancelled")}" time="${time(all)}">`,
    ...body,
    `</testsuites>`,
    "",
  ].join("\n");
}
