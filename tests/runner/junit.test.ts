// JUnit from a run record: escaping, invalid XML characters, cached and cancelled checks, and where
// each fact the check carries ends up. Validity against the consumers' schemas: tests/report/junit-schemas.test.ts.
import { expect, test } from "vitest";
import { junitXml, xmlEscape } from "../../src/report/junit.js";
import { junitRecord as record } from "../report/support/junit-record.js";

test("escapes markup and drops characters XML cannot hold", () => {
  expect(xmlEscape(`<a href="x">&'\u0000\u001b`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
});

test("one testsuite per suite, one testcase per check; cached, cancelled and failed are marked", () => {
  const xml = junitXml(record);
  expect(xml).toMatch(/<testsuites [^>]*tests="3" failures="1" errors="0" time="1.500">/);
  expect(xml).toContain('<testsuite name="web" tests="2" failures="1" errors="0" skipped="0" time="1.500">');
  expect(xml).toContain('<testsuite name="d&quot;b&apos;&lt;&amp;" tests="1" failures="0" errors="0" skipped="1" time="0.000">');
  expect(xml).toContain('<testcase name="a&lt;b" classname="web" time="1.500">');
  expect(xml).toContain("bad [31mthing[0m &amp; bell</failure>");
  expect(xml).toContain('<skipped message="cancelled before it finished"/>');
  expect(xml).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f]/);
});

test("the check's facts are kept in its system-out, the run's as suite properties", () => {
  const xml = junitXml(record);
  expect(xml).toContain(
    [
      "<system-out>nix.attr: checks.x.a",
      "nix.cached: false",
      "nix.drv_path: /nix/store/aaaa-vm-test-run-a.drv",
      "nix.out_path: /nix/store/bbbb-vm-test-run-a",
      "telemetry problem: build log:3: not JSON: Unexpected token</system-out>",
    ].join("\n"),
  );
  expect(xml).toContain("<system-out>nix.attr: checks.x.c\nnix.cached: true (nothing was built)\nsubtest pass: boot (0.250s)</system-out>");
  for (const property of [
    ["nixotel.run.id", "20260101T000000Z-abcdef"],
    ["nixotel.run.started_at", "2026-01-01T00:00:00.000Z"],
    ["trace_id", "0".repeat(32)],
    ["nix.flake", "."],
  ])
    expect(xml.split(`<property name="${property[0]}" value="${property[1]}"/>`)).toHaveLength(3); // in both suites
});
