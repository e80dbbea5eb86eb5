// JUnit from a run record: escaping, invalid XML characters, cached and cancelled checks.
import { expect, test } from "vitest";
import { junitXml, xmlEscape } from "../../src/report/junit.js";
import { makeRunRecord } from "../../src/runs/summary.js";

const record = makeRunRecord({
  runId: "20260101T000000Z-abcdef",
  traceId: "0".repeat(32),
  command: "run",
  flake: ".",
  system: "x86_64-linux",
  startedAt: "2026-01-01T00:00:00.000Z",
  endedAt: "2026-01-01T00:00:05.000Z",
  result: "cancellation",
  checks: [
    {
      name: "a<b",
      attr: "checks.x.a",
      suite: "web",
      status: "fail",
      cached: false,
      durationMs: 1500,
      errorType: "test_failed",
      logTail: ["bad \x1b[31mthing\x1b[0m & \u0007bell"],
      subtests: [],
    },
    {
      name: "c",
      attr: "checks.x.c",
      suite: "web",
      status: "pass",
      cached: true,
      durationMs: 0,
      logTail: [],
      subtests: [{ name: "boot", status: "pass", durationMs: 250 }],
    },
    {
      name: "d",
      attr: "checks.x.d",
      suite: "db",
      status: "cancelled",
      cached: false,
      durationMs: 0,
      errorType: "cancelled",
      logTail: [],
      subtests: [],
    },
  ],
  builds: [],
  export: { endpoint: null, protocol: null, delivered: false, spooled: 0, spans: 9 },
});

test("escapes markup and drops characters XML cannot hold", () => {
  expect(xmlEscape(`<a href="x">&'\u0000\u001b`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
});

test("one testsuite per suite, one testcase per check; cached, cancelled and failed are marked", () => {
  const xml = junitXml(record);
  expect(xml).toMatch(/<testsuites [^>]*tests="3" failures="1" errors="0" skipped="1" time="1.500">/);
  expect(xml).toContain('<testsuite name="web" tests="2" failures="1"');
  expect(xml).toContain('<testcase name="a&lt;b" classname="web" time="1.500">');
  expect(xml).toContain("bad [31mthing[0m &amp; bell</failure>");
  expect(xml).toContain('<property name="nix.cached" value="true"/>');
  expect(xml).toContain('<property name="subtest: boot" value="pass in 0.250s"/>');
  expect(xml).toContain('<skipped message="cancelled before it finished"/>');
  expect(xml).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f]/);
});
