// The driver's JUnit file against the subtests nixotel knows. Samples: tests/e2e/junit-samples, written by
// the real junit_xml library the way the driver's JunitXMLLogger writes them (make_samples.py there).
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Subtest } from "./driver-log.js";
import { crossCheckSpans, crossCheckSubtests, JUNIT_FAILED, withDriverJunit } from "./junit-crosscheck.js";
import { parseDriverJunit } from "./junit-xml.js";
import type { SpanData } from "../spans/model.js";
import { statusOf, UNSET_STATUS } from "../spans/vocabulary.js";
import { bareSpan } from "../../tests/support/bare-span.js";

const samples = join(import.meta.dirname, "../../tests/e2e/junit-samples");
const sample = (name: string) => readFile(join(samples, name), "utf8");
const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

// What nixpkgs' newest driver (test_reporter.py, junitparser) writes: its golden file's shape.
const JUNITPARSER = `<?xml version="1.0" encoding="utf-8"?>
<testsuites tests="2" failures="1" errors="0" skipped="0" time="3.5">
\t<testsuite name="NixOS integration test" tests="2" errors="0" failures="1" skipped="0" time="3.5">
\t\t<testcase name="boots" time="3.25"/>
\t\t<testcase name="answers" time="0.25">
\t\t\t<failure message="test case failed"/>
\t\t</testcase>
\t</testsuite>
</testsuites>
`;

describe("parseDriverJunit", () => {
  it("reads the 24.11 logger's file: flat cases, entities decoded, no times, main included", async () => {
    expect(parseDriverJunit(await sample("driver-24.11-failed.xml"))).toEqual([
      { name: "main", failed: false },
      { name: "collector is listening", failed: false },
      { name: "span is emitted", failed: false },
      { name: 'inner <check> & "quotes"', failed: false },
      { name: "span is received", failed: true, message: "test case failed" },
    ]);
  });

  it("reads times and self-closing cases", async () => {
    expect(parseDriverJunit(await sample("driver-timed-passed.xml"))).toContainEqual({
      name: "machine boots",
      failed: false,
      seconds: 12.25,
    });
    expect(parseDriverJunit(JUNITPARSER)).toEqual([
      { name: "boots", failed: false, seconds: 3.25 },
      { name: "answers", failed: true, seconds: 0.25, message: "test case failed" },
    ]);
  });

  it("says why a file is not a driver JUnit file", () => {
    expect(() => parseDriverJunit("<html></html>")).toThrow("no <testsuite> element");
    expect(() => parseDriverJunit('<testsuite><testcase time="1"/></testsuite>')).toThrow("without a name");
  });
});

const TRACE = "a".repeat(32);
function preludeSpan(
  name: string,
  spanId: string,
  parent: string | undefined,
  failed = false,
  extra: Record<string, string> = {},
): SpanData {
  return bareSpan({
    traceId: TRACE,
    spanId,
    ...(parent ? { parentSpanId: parent } : {}),
    name,
    startNs: 1_000n,
    endNs: 2_000n,
    attributes: { "test.case.name": name, ...extra },
    status: failed ? statusOf("fail", "AssertionError: no") : UNSET_STATUS,
    resource: { "service.name": "nixos-integration-tests" },
    scope: { name: "nixotel.prelude", version: "1" },
  });
}
// A subtest span as the prelude records it: `subtest: NAME`, the subtest in `nixos.test.subtest`.
const subtestSpan = (name: string, spanId: string, parent: string, failed = false): SpanData => ({
  ...preludeSpan(`subtest: ${name}`, spanId, parent, failed),
  attributes: {
    "nixos.test.subtest": name,
    "test.case.name": name,
    "test.suite.name": "alloy",
    "test.case.result.status": failed ? "fail" : "pass",
  },
});
const named = (spans: readonly SpanData[], name: string) => spans.find((s) => s.name === name);

const root = preludeSpan("test.web.alloy", "1".repeat(16), undefined, false, { "nixotel.source": "prelude", "test.case.name": "alloy" });
const prelude = [
  root,
  subtestSpan("collector is listening", "2".repeat(16), root.spanId),
  subtestSpan("span is emitted", "3".repeat(16), root.spanId),
  subtestSpan('inner <check> & "quotes"', "4".repeat(16), "3".repeat(16)),
  subtestSpan("span is received", "5".repeat(16), root.spanId, false), // the JUnit file says it failed
  { ...preludeSpan("first request", "6".repeat(16), "2".repeat(16)), attributes: { port: 80 } }, // an otel_span
];

describe("crossCheckSpans", () => {
  it("fails a subtest the JUnit file marks failed, with a mismatch event, and leaves the rest as they were", async () => {
    const checked = crossCheckSpans(prelude, parseDriverJunit(await sample("driver-24.11-failed.xml")), 0n);
    const received = named(checked, "subtest: span is received")!;
    expect(received.status).toEqual({ code: 2, message: JUNIT_FAILED });
    expect(received.attributes).toMatchObject({ "test.case.result.status": "fail", "nixotel.junit.result": "fail" });
    expect(received.events).toEqual([
      { name: "nixotel.junit.mismatch", timeNs: 2_000n, attributes: { "nixotel.junit.result": "fail", "nixotel.span.result": "pass" } },
    ]);
    expect(named(checked, "subtest: span is emitted")).toMatchObject({
      status: { code: 0 },
      events: [],
      attributes: { "nixotel.junit.result": "pass" },
    });
    expect(named(checked, "first request")?.attributes).toEqual({ port: 80 }); // not a subtest
    expect(named(checked, "test.web.alloy")?.attributes["nixotel.junit.mismatches"]).toBe(1);
    expect(checked.some((s) => s.name === "subtest: main")).toBe(false); // the driver's case for lines outside subtests
    expect(checked).toHaveLength(prelude.length);
    expect(prelude[4]!.status).toEqual({ code: 0 }); // the input is not changed
  });

  it("keeps a failed span failed when the JUnit file says pass, and says so", () => {
    const spans = [root, subtestSpan("boots", "2".repeat(16), root.spanId, true)];
    const [, boots] = crossCheckSpans(spans, [{ name: "boots", failed: false }], 0n);
    expect(boots!.status).toEqual({ code: 2, message: "AssertionError: no" });
    expect(boots!.events[0]?.attributes).toEqual({ "nixotel.junit.result": "pass", "nixotel.span.result": "fail" });
  });

  it("adds a span under the test span for a testcase no span has", async () => {
    const checked = crossCheckSpans(prelude.slice(0, 2), parseDriverJunit(await sample("driver-timed-passed.xml")), 0n);
    const cleanup = named(checked, "subtest: cleanup")!;
    expect(cleanup).toMatchObject({
      traceId: TRACE,
      parentSpanId: root.spanId,
      startNs: 1_000n,
      endNs: 1_000n + 125_000_000n,
      // One rule for every passed span (src/spans/vocabulary.ts statusOf): a JUnit pass is OK.
      status: statusOf("pass"),
      scope: { name: "nixotel.junit" },
    });
    expect(cleanup.attributes).toEqual({
      "nixos.test.subtest": "cleanup",
      "test.case.name": "cleanup",
      "test.suite.name": "alloy",
      "test.case.result.status": "pass",
      "nixotel.role": "subtest",
      "nixotel.source": "junit",
      "nixotel.junit.result": "pass",
    });
    expect(checked.map((s) => s.name)).toEqual([
      "test.web.alloy",
      "subtest: collector is listening",
      "subtest: machine boots",
      "subtest: span is recorded",
      "subtest: cleanup",
    ]);
    expect(checked[0]!.attributes["nixotel.junit.mismatches"]).toBe(3);
  });

  it("matches subtests by their nixos.test.subtest attribute, not by a custom span's plain name", () => {
    const custom = { ...preludeSpan("boots", "2".repeat(16), root.spanId, true), attributes: {} }; // an otel_span named like a case
    const checked = crossCheckSpans([root, custom], [{ name: "boots", failed: false }], 0n);
    expect(checked[1]).toEqual(custom);
    expect(checked.map((s) => s.name)).toEqual(["test.web.alloy", "boots", "subtest: boots"]);
    expect(checked[2]!.attributes["nixos.test.subtest"]).toBe("boots");
  });
});

describe("crossCheckSubtests (driver log lines, no prelude)", () => {
  const logged: Subtest[] = [
    {
      name: "boots",
      startNs: 0n,
      endNs: 5n,
      status: "pass",
      children: [{ name: "answers", startNs: 1n, endNs: 2n, status: "pass", children: [] }],
    },
  ];
  it("fails a nested subtest the JUnit file marks failed and adds missing ones", () => {
    const checked = crossCheckSubtests(
      logged,
      [...parseDriverJunit(JUNITPARSER), { name: "late", failed: false, seconds: 1 }],
      10_000_000_000n,
    );
    expect(checked[0]!.children[0]).toMatchObject({ name: "answers", status: "fail", error: JUNIT_FAILED });
    expect(checked[1]).toEqual({ name: "late", startNs: 9_000_000_000n, endNs: 10_000_000_000n, status: "pass", children: [] });
    expect(logged[0]!.children[0]!.status).toBe("pass");
  });
});

describe("withDriverJunit", () => {
  it("reads <out>/junit.xml when present, reports a broken one as a problem, and changes nothing without one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "nixotel-junit-"));
    dirs.push(dir);
    const outcome = {
      startNs: 0n,
      endNs: 1n,
      subtests: [],
      ingested: { spans: prelude, problems: [], source: "out" as const },
      problems: [] as string[],
    };
    expect(await withDriverJunit(outcome, dir)).toBe(outcome);
    await writeFile(join(dir, "junit.xml"), await sample("driver-24.11-failed.xml"));
    const checked = await withDriverJunit(outcome, dir);
    expect(named(checked.ingested?.spans ?? [], "subtest: span is received")?.status.code).toBe(2);
    await writeFile(join(dir, "junit.xml"), "not xml");
    expect((await withDriverJunit(outcome, dir)).problems).toEqual([`${join(dir, "junit.xml")}: no <testsuite> element: not a JUnit file`]);
    // Also when the test recorded no spans (subtests from log lines): the problem is not dropped.
    expect((await withDriverJunit({ startNs: 0n, endNs: 1n, subtests: [], problems: [] }, dir)).problems).toHaveLength(1);
  });
});
