// The terminal summary stays readable: failures before the check list, durations in one column,
// and on large runs only failing checks list their subtests.
import { describe, expect, it } from "vitest";
import { COLLAPSE_SUBTESTS_ABOVE, summaryText } from "../../src/report/summary-text.js";
import { runView } from "../../src/runs/read-view.js";
import { largeRun } from "./support/scenario-large.js";
import { HOSTILE_NAME, mixedRun } from "./support/scenario-mixed.js";
import type { FixtureRun } from "./support/write-run.js";

const summaryOf = (run: FixtureRun) => summaryText(runView(run.record, run.spans), "runs/x/spans.jsonl");
const checkRowPattern = /^ {2}(PASS|FAIL|STOP) {2}| {8}[✓✗] /;
const DURATION = /(\d+(?:\.\d)?(?:ms|s)|\d+m \d\ds|cached)(?= {2}\S|$)/;

/** The lines of the Checks section that are rows (a check or one of its subtests). */
const checkRows = (text: string) => {
  const section = text.split("\nChecks\n")[1]!.split("\n\n")[0]!;
  return section.split("\n").filter((line) => checkRowPattern.test(line));
};

describe("the terminal summary", () => {
  it("lists the telemetry a check wrote that could not be read", () => {
    const run = mixedRun();
    run.record.checks[0]!.problems = ["$out/otel/a.jsonl:3: not an OTLP JSON line"];
    const text = summaryOf(run);
    expect(text).toContain(
      `\nUnreadable telemetry\n  ${run.record.checks[0]!.suite}.${run.record.checks[0]!.name}\n    $out/otel/a.jsonl:3: not an OTLP JSON line\n`,
    );
  });

  it("shows the failures right after the counts, before the check list", () => {
    const text = summaryOf(mixedRun());
    const lines = text.split("\n");
    expect(lines[1]).toContain("4 checks: 3 passed, 1 failed");
    expect(lines.slice(2, 5)).toEqual(["", "Failures", "  nginx.broken-login (test_failed)"]);
    expect(text.indexOf("\nFailures\n")).toBeLessThan(text.indexOf("\nChecks\n"));
    expect(text).toMatch(/\nFailed: nginx\.broken-login\nTrace /); // the last thing on screen too
  });

  // Small runs: the mixed one, and one whose subtest names are longer than its check names.
  it.each([
    ["mixed", mixedRun],
    ["short check names", () => largeRun(3)],
  ])("puts every duration of checks and subtests in one column (%s)", (_, run) => {
    const rows = checkRows(summaryOf(run())).filter((line) => !line.includes("suite</b>")); // the hostile name is longer than the column
    expect(rows.length).toBeGreaterThanOrEqual(10);
    const ends = rows.map((line) => {
      const match = DURATION.exec(line);
      expect(match, line).not.toBeNull();
      return match!.index + match![0].length;
    });
    expect(new Set(ends).size, rows.join("\n")).toBe(1);
  });

  it("lets a name longer than the column push only its own duration", () => {
    const text = summaryOf(mixedRun());
    const hostile = checkRows(text).find((line) => line.includes("suite</b>"))!;
    expect(hostile).toMatch(/onerror="window.__pwned=2"> {2} +5\.0s$/);
    expect(HOSTILE_NAME.length).toBeGreaterThan(64);
  });

  it(`lists every subtest up to ${COLLAPSE_SUBTESTS_ABOVE} checks`, () => {
    const run = largeRun(COLLAPSE_SUBTESTS_ABOVE);
    const rows = checkRows(summaryOf(run));
    expect(rows.filter((r) => /^ {8}[✓✗]/.test(r))).toHaveLength(COLLAPSE_SUBTESTS_ABOVE * 12); // 6 subtests, 6 nested
    expect(summaryOf(run)).not.toContain("not listed");
  });

  it("above that, lists the subtests of failing checks only, and says how many it left out", () => {
    const run = largeRun(100);
    const text = summaryOf(run);
    const rows = checkRows(text);
    expect(rows.filter((r) => /^ {2}(PASS|FAIL)/.test(r))).toHaveLength(100);
    expect(rows.filter((r) => /^ {8}[✓✗]/.test(r))).toHaveLength(6 * 12); // the 6 failing checks' subtests
    let owner = "";
    for (const row of rows) {
      if (!row.startsWith("        ")) owner = row;
      else expect(owner, row).toMatch(/^ {2}FAIL/);
    }
    expect(text).toContain(`  (${94 * 12} subtests of 94 passing checks not listed: more than 20 checks; the --html report has them all)`);
    expect(text.split("\n").length).toBeLessThan(250); // was over 1300 lines
  });
});
