// The span tree the reports are drawn from: roles read from attributes, order, subtests, and the
// spans of a cached check (recorded days earlier) moved under their check instead of stretching time.
import { describe, expect, it } from "vitest";
import { buildTrace, durationMs, subtestsOf, type TraceNode } from "../../src/runs/read-trace.js";
import { runView } from "../../src/runs/read-view.js";
import { HOSTILE_NAME, HOSTILE_SUBTEST, mixedRun } from "./support/scenario-mixed.js";
import { largeRun } from "./support/scenario-large.js";

const byName = (nodes: TraceNode[], name: string) => nodes.filter((n) => n.span.name === name);

describe("buildTrace on the mixed run", () => {
  const { spans } = mixedRun();
  const trace = buildTrace(spans);

  it("gives every span a role from its attributes", () => {
    const role = (name: string) => byName(trace.nodes, name).map((n) => n.role);
    expect(role("nixotel run")).toEqual(["run"]);
    expect(role("test.nginx.startup")).toEqual(["check", "test"]); // the check, then the prelude's test span
    expect(role("build nginx-1.27.3")).toEqual(["build"]);
    expect(role("build vm-test-run-startup")).toEqual(["build"]);
    expect(role("subtest: machine boots")).toEqual(["subtest"]);
    expect(role("test.nginx.curl-index")).toEqual(["test"]); // emit_test_span.sh
    expect(role("load fixtures")).toEqual(["test"]); // otel_span
  });

  it("lists parents before children, siblings by start time", () => {
    expect(trace.nodes).toHaveLength(spans.length);
    const seen = new Set<string>();
    for (const node of trace.nodes) {
      if (node.span.parentSpanId) expect(seen.has(node.span.parentSpanId)).toBe(true);
      seen.add(node.span.spanId);
      const starts = node.children.map((c) => c.startMs);
      expect(starts).toEqual([...starts].sort((a, b) => a - b));
    }
    expect(trace.endMs).toBeCloseTo(96.4 * 1000, 3);
  });

  it("moves the cached check's earlier spans under it, keeping their durations", () => {
    const [check] = byName(trace.nodes, "test.postgres.replication");
    const moved = check!.children[0]!;
    expect(moved.shifted).toBe(true);
    expect(moved.startMs).toBeCloseTo(check!.startMs, 3);
    expect(durationMs(moved)).toBeCloseTo(42_500, 3);
    expect(moved.children.map((c) => [c.shifted, Math.round(c.startMs - moved.startMs)])).toEqual([
      [true, 200],
      [true, 18_100],
    ]);
    expect(trace.nodes.filter((n) => !n.shifted).every((n) => n.startMs >= 0)).toBe(true);
  });

  it("flattens subtests below a check as `outer › inner`, through the prelude's test span", () => {
    const [check] = byName(trace.nodes, "test.nginx.startup");
    expect(subtestsOf(check!).map((s) => s.name)).toEqual([
      "machine boots",
      "nginx serves the index",
      "nginx serves the index › TLS handshake",
    ]);
    const [broken] = byName(trace.nodes, "test.nginx.broken-login");
    expect(subtestsOf(broken!).map((s) => [s.name, s.failed])).toEqual([
      ["login page loads", false],
      ["admin can log in", true],
    ]);
  });
});

describe("runView", () => {
  it("takes subtests from run.json, else from the spans; log tails likewise", () => {
    const { record, spans } = mixedRun();
    const hostile = record.checks.find((c) => c.name === HOSTILE_NAME)!;
    const broken = record.checks.find((c) => c.name === "broken-login")!;
    broken.logTail = []; // as when the runner kept it only on the span
    const view = runView(record, spans);
    expect(view.checks.find((c) => c.record === hostile)!.subtests.map((s) => s.name)).toEqual([HOSTILE_SUBTEST]);
    expect(view.checks.find((c) => c.record === broken)!.logTail.at(-1)).toMatch(/failed with exit code 1$/);
    expect(view.counts).toEqual({ passed: 3, failed: 1, cancelled: 0, cached: 1, spans: 27 });
    expect(view.slowest[0]!.span.name).toBe("test.nginx.broken-login");
  });

  it("reads a run with no spans from run.json alone", () => {
    const view = runView(mixedRun().record, undefined);
    expect(view.trace).toBeUndefined();
    expect(view.checks.map((c) => c.subtests.length)).toEqual([3, 2, 0, 0]);
  });
});

describe("a large run", () => {
  it("keeps every span of 5001 and attaches orphans as roots", () => {
    const { spans } = largeRun(100);
    spans.push({ ...spans[5]!, spanId: "ffffffffffffffff", parentSpanId: "eeeeeeeeeeeeeeee", name: "orphan" });
    const trace = buildTrace(spans);
    expect(trace.nodes).toHaveLength(5002);
    expect(trace.roots.map((r) => [r.span.name, r.role])).toEqual([
      ["nixotel run", "run"],
      ["orphan", "test"],
    ]);
  });
});
