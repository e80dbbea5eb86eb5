// The prelude with values no receiver would take as they are (NaN, ±Infinity, ints beyond int64, lone
// surrogates, objects whose str() raises) and with steps of finish() that fail: every line it writes is
// strict OTLP JSON, what had to change is noted, and nothing stops the rest (nor the timeout's kill).
import { SpanStatusCode } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import { parseOtlpJsonLine } from "../../src/ingest/otlp-json.js";
import { jsonViolations } from "../conformance/support/otlp-json-rules.js";
import { startReceiver } from "../support/otlp-receiver.js";
import { attr, byName, bySubtest, cleanupStandinRuns, runStandin, spansOf } from "./standin.js";

afterEach(cleanupStandinRuns);

const HOSTILE = `
class Unprintable:
    def __str__(self) -> str:
        raise RuntimeError("no")

with subtest("lone \\udfff surrogate"):
    with otel_span("hostile \\ud800", nan=float("nan"), inf=float("inf"), ninf=float("-inf"), huge=2**70,
                   low=-(2**63), lone="a\\ud800b", pair="\\ud83d\\ude00", obj=Unprintable(), **{"k\\udc80": 1}):
        pass
`;

describe("hostile attribute values", () => {
  it("are written as values every receiver takes, with a note where one had to change", async () => {
    const run = await runStandin(HOSTILE);
    expect(run.exitCode, run.stderr).toBe(0);
    const span = byName(run.spans, "hostile \ufffd");
    expect([attr(span, "nan"), attr(span, "inf"), attr(span, "ninf")]).toEqual(["NaN", "Infinity", "-Infinity"]);
    expect(span.attributes.find((a) => a.key === "huge")?.value).toEqual({ stringValue: String(2n ** 70n) });
    expect(span.attributes.find((a) => a.key === "low")?.value).toEqual({ intValue: String(-(2n ** 63n)) });
    expect([attr(span, "lone"), attr(span, "pair"), attr(span, "k\ufffd")]).toEqual(["a\ufffdb", "\u{1f600}", "1"]);
    expect(attr(span, "obj")).toBe("<Unprintable: str() failed: RuntimeError>");
    expect(attr(span, "nixotel.prelude.notes")).toEqual({
      values: [{ stringValue: `huge: ${2n ** 70n} is beyond int64, recorded as a string` }],
    });
    expect(bySubtest(run.spans, "lone \ufffd surrogate").status).toEqual({ code: SpanStatusCode.OK });
  });

  it("leave only strict OTLP JSON lines, which the runner reads without a problem", async () => {
    const run = await runStandin(HOSTILE);
    const requests = [...(run.files["prelude.jsonl"] ?? []), ...run.stderrRequests];
    expect(requests).toHaveLength(6); // three spans, in $out/otel and on stderr
    for (const request of requests) {
      expect(jsonViolations(request)).toEqual([]);
      expect(parseOtlpJsonLine(JSON.stringify(request)).problems).toEqual([]);
    }
  });
});

describe("finish() when a step fails", () => {
  it("writes a span it cannot encode with ids, name and times, and still sends the rest live", async () => {
    const receiver = await startReceiver();
    try {
      const script = `with otel_span("broken"):\n    setattr(_nixotel_current().stack[-1], "to_otlp", lambda: 1 / 0)\nwith subtest("fine"):\n    pass\n`;
      const run = await runStandin(script, { env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stderr).toContain("nixotel: span 'broken' written without its attributes: ZeroDivisionError: division by zero");
      const broken = byName(run.spans, "broken");
      expect(attr(broken, "nixotel.prelude.error")).toBe("ZeroDivisionError('division by zero')");
      expect(broken.parentSpanId).toBe(byName(run.spans, "test.prelude.demo").spanId);
      const sent = receiver.jsonBodies().flatMap(spansOf);
      expect(sent.map((s) => s.name).sort()).toEqual(["broken", "subtest: fine", "test.prelude.demo"]);
    } finally {
      await receiver.close();
    }
  });

  it("goes on to the live export when writing $out/otel raises", async () => {
    const receiver = await startReceiver();
    try {
      const script = `def _refuse(*args: object) -> None:\n    raise LookupError("disk says no")\nglobals()["_nixotel_write"] = _refuse\nwith subtest("fine"):\n    pass\n`;
      const run = await runStandin(script, { env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });
      expect(run.exitCode, run.stderr).toBe(0);
      expect(run.stderr).toContain("nixotel: could not write the spans: LookupError: disk says no");
      expect(receiver.jsonBodies().flatMap(spansOf)).toHaveLength(2);
    } finally {
      await receiver.close();
    }
  });

  it("on the global timeout, the driver's kill comes even when finish() raises", async () => {
    const script = `import time\nsetattr(_nixotel_current(), "finish", lambda reason="": 1 / 0)\nwith subtest("hangs"):\n    time.sleep(40)\n`;
    const run = await runStandin(script, { globalTimeout: 1 });
    expect(run.signal).toBe("SIGTERM");
    expect(run.stderr).toContain("timeout reached; test terminating...");
  });
});
