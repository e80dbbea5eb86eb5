// The seed's usage and every option of emit_test_span.sh, checked on what a real receiver got.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { attr, HOST, startHarness, type Harness } from "./emitter-harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.close());

describe("seed usage: NAME passed|failed [DURATION_MS]", () => {
  it("sends test.NAME with status OK, the test attributes and the given duration, ending now", async () => {
    const before = BigInt(Date.now()) * 1_000_000n;
    const result = await h.emit(["nginx-startup", "passed", "1500"]);
    const after = BigInt(Date.now()) * 1_000_000n;

    expect(result).toMatchObject({ exitCode: 0, stderr: "" });
    expect(h.receiver.requests[0]!.path).toBe("/v1/traces");
    expect(h.receiver.requests[0]!.headers["content-type"]).toBe("application/json");
    const span = h.onlySpan();
    expect(span.name).toBe("test.nginx-startup");
    expect(span.status.code).toBe(1);
    expect(span.kind).toBe(1);
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(span.parentSpanId).toBeUndefined();
    const end = BigInt(span.endTimeUnixNano);
    expect(end - BigInt(span.startTimeUnixNano)).toBe(1_500_000_000n);
    expect(end >= before && end <= after).toBe(true);
    expect(span.attributes).toEqual([
      { key: "test.case.name", value: { stringValue: "nginx-startup" } },
      { key: "test.case.result.status", value: { stringValue: "pass" } },
      { key: "test.name", value: { stringValue: "nginx-startup" } },
      { key: "test.result", value: { stringValue: "passed" } },
    ]);
  });

  it("marks a failed test with status ERROR and fail, and defaults the duration to 0", async () => {
    expect((await h.emit(["db", "failed"])).exitCode).toBe(0);
    const span = h.onlySpan();
    expect(span.status.code).toBe(2);
    expect(span.startTimeUnixNano).toBe(span.endTimeUnixNano);
    expect(attr(span.attributes, "test.case.result.status")).toEqual({ stringValue: "fail" });
    expect(attr(span.attributes, "test.result")).toEqual({ stringValue: "failed" });
  });

  it("spools exactly the request body, one line per span, in $NIXOTEL_SPOOL_DIR/<hostname>.<span id>.jsonl", async () => {
    await h.emit(["one", "passed"]);
    await h.emit(["two", "failed"]);
    const spanIds = h.requests().map((r) => r.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.spanId);
    expect(await h.spoolNames()).toEqual(spanIds.map((id) => `${HOST}.${id}.jsonl`).sort());
    expect((await h.spoolLines()).map((line) => `${line}\n`).join("")).toBe(h.bodiesText());
  });
});

describe("options", () => {
  it("--suite names the span test.SUITE.NAME and sets test.suite.name and test.suite", async () => {
    await h.emit(["--suite", "web", "nginx", "passed"]);
    const span = h.onlySpan();
    expect(span.name).toBe("test.web.nginx");
    expect(attr(span.attributes, "test.suite.name")).toEqual({ stringValue: "web" });
    expect(attr(span.attributes, "test.suite")).toEqual({ stringValue: "web" });
  });

  it("--attr types canonical int64 as int, true/false as bool and everything else as string", async () => {
    const attrs = [
      "n=42",
      "neg=-7",
      "zero=0",
      "max=9223372036854775807",
      "min=-9223372036854775808",
      "over=9223372036854775808",
      "lead=007",
      "ver=1.5",
      "t=true",
      "f=false",
      "T=True",
      "s=hello",
      "eq=a=b",
      "empty=",
    ];
    await h.emit([...attrs.flatMap((a) => ["--attr", a]), "--attr-string", "forced=42", "x", "passed"]);
    const attributes = h.onlySpan().attributes;
    expect(Object.fromEntries(attributes.slice(4).map((a) => [a.key, a.value]))).toEqual({
      n: { intValue: "42" },
      neg: { intValue: "-7" },
      zero: { intValue: "0" },
      max: { intValue: "9223372036854775807" },
      min: { intValue: "-9223372036854775808" },
      over: { stringValue: "9223372036854775808" },
      lead: { stringValue: "007" },
      ver: { stringValue: "1.5" },
      t: { boolValue: true },
      f: { boolValue: false },
      T: { stringValue: "True" },
      s: { stringValue: "hello" },
      eq: { stringValue: "a=b" },
      empty: { stringValue: "" },
      forced: { stringValue: "42" },
    });
  });

  it("lets a user attribute replace a built-in one in place, and a repeated key keep its last value", async () => {
    await h.emit(["--attr", "test.case.name=renamed", "--attr", "k=1", "--attr=k=2", "x", "passed"]);
    const attributes = h.onlySpan().attributes;
    expect(attributes[0]).toEqual({ key: "test.case.name", value: { stringValue: "renamed" } });
    expect(attributes.filter((a) => a.key === "k")).toEqual([{ key: "k", value: { intValue: "2" } }]);
  });

  it.each([
    ["internal", 1],
    ["server", 2],
    ["client", 3],
    ["producer", 4],
    ["consumer", 5],
  ])("--kind %s is %i", async (kind, code) => {
    await h.emit(["--kind", kind, "x", "passed"]);
    expect(h.onlySpan().kind).toBe(code);
  });

  it("--start-ns and --end-ns set the times exactly; either with DURATION_MS gives the other", async () => {
    await h.emit(["--start-ns", "1700000000000000001", "--end-ns", "1700000000500000002", "a", "passed"]);
    await h.emit(["--start-ns=1700000000000000000", "b", "passed", "250"]);
    await h.emit(["--end-ns", "1700000000000000000", "c", "passed", "250"]);
    const spans = h.requests().map((r) => r.resourceSpans[0]!.scopeSpans[0]!.spans[0]!);
    expect(spans.map((s) => [s.startTimeUnixNano, s.endTimeUnixNano])).toEqual([
      ["1700000000000000001", "1700000000500000002"],
      ["1700000000000000000", "1700000000250000000"],
      ["1699999999750000000", "1700000000000000000"],
    ]);
  });

  it("--print-traceparent prints the new span's context; options may follow the positionals", async () => {
    const result = await h.emit(["x", "passed", "--print-traceparent"]);
    const span = h.onlySpan();
    expect(result.stdout).toBe(`00-${span.traceId}-${span.spanId}-01\n`);
  });

  it("--help prints the usage on stdout and exits 0 without sending", async () => {
    const result = await h.emit(["--help"]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain("Usage: emit_test_span.sh");
    expect(h.receiver.requests).toHaveLength(0);
  });

  it("--strict exits 0 when the span was delivered", async () => {
    expect(await h.emit(["--strict", "x", "passed"])).toMatchObject({ exitCode: 0, stderr: "" });
  });
});
