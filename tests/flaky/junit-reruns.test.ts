// JUnit for retried and quarantined checks: Surefire's flakyFailure/rerunFailure elements, valid
// against both schemas nixotel's JUnit is held to (tests/report/junit-schemas).
import { describe, expect, test } from "vitest";
import { junitXml } from "../../src/report/junit.js";
import { makeRunRecord } from "../../src/runs/summary.js";
import type { CheckRecord } from "../../src/runs/record.js";
import { SUREFIRE_SCHEMA, XUNIT_SCHEMA, suiteDocuments, validate } from "../report/support/junit-schemas.js";

const attempt = (n: number, status: "pass" | "fail", tail: string) => ({ attempt: n, status, durationMs: 100, logTail: [tail] });
const base = { attr: "checks.x.c", suite: "web", cached: false, durationMs: 100, subtests: [] };
const checks: CheckRecord[] = [
  {
    ...base,
    name: "flaky",
    status: "pass",
    logTail: [],
    flaky: true,
    attempts: [attempt(1, "fail", "port <80> timed out"), attempt(2, "pass", "")],
  },
  {
    ...base,
    name: "broken",
    status: "fail",
    errorType: "test_failed",
    logTail: ["third"],
    flaky: false,
    attempts: [attempt(1, "fail", "first"), attempt(2, "fail", "second"), attempt(3, "fail", "third")],
  },
  { ...base, name: "parked", status: "fail", errorType: "test_failed", logTail: ["nope"], quarantine: "https://example.org/issues/1" },
];
const record = makeRunRecord({
  runId: "20260101T000000Z-abcdef",
  traceId: "0".repeat(32),
  command: "run",
  flake: ".",
  system: "x86_64-linux",
  startedAt: "2026-01-01T00:00:00.000Z",
  endedAt: "2026-01-01T00:00:05.000Z",
  result: "failure",
  checks,
  builds: [],
  export: { endpoint: null, protocol: null, delivered: false, spooled: 0, spans: 0 },
});
const xml = junitXml(record);

describe("JUnit for flaky and quarantined checks", () => {
  test("a flaky pass has a flakyFailure per failed build; a failure every build has rerunFailures", () => {
    expect(xml).toContain(
      '<flakyFailure message="flaky failed on build 1" type="test_failed"><stackTrace>port &lt;80&gt; timed out</stackTrace></flakyFailure>',
    );
    expect(xml.match(/<rerunFailure message="broken failed on build \d"/g)).toHaveLength(2);
    expect(xml).toContain('<skipped message="quarantined: https://example.org/issues/1"/>');
    expect(xml).toMatch(/<testsuites [^>]*failures="1"/);
  });

  test("validates against xunit's junit-10 schema and, suite by suite, Surefire's", async () => {
    expect(await validate(xml, XUNIT_SCHEMA)).toEqual({ valid: true, errors: "" });
    for (const document of suiteDocuments(xml)) expect(await validate(document, SUREFIRE_SCHEMA)).toEqual({ valid: true, errors: "" });
  });
});
