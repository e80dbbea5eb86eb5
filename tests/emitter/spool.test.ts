// The spool under concurrency: one file per span, written under a hidden name and renamed into place,
// so emitters running at once never tear or mix a line, however long.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { attr, HOST, startHarness, type ExportRequest, type Harness } from "./emitter-harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.close());

describe("concurrent emitters", () => {
  it("40 emitters at once with 8 KiB names (twice the stdio buffer): 40 whole lines, none torn, no scratch left", async () => {
    const names = Array.from({ length: 40 }, (_, i) => `${String(i).padStart(2, "0")}-${"n".repeat(8 * 1024)}`);
    const env = { OTEL_TRACES_EXPORTER: "none" }; // the spool alone: no receiver to serialise them
    const results = await Promise.all(names.map((name) => h.emit(["--strict", name, "passed"], env)));
    expect(results.map((r) => [r.exitCode, r.stderr])).toEqual(names.map(() => [0, ""]));
    const names40 = await h.spoolNames();
    expect(names40).toHaveLength(40);
    expect(names40.every((n) => n.startsWith(`${HOST}.`) && n.endsWith(".jsonl"))).toBe(true); // no `.…tmp`
    const spooled = (await h.spoolLines()).map((line) => JSON.parse(line) as ExportRequest);
    const spans = spooled.map((request) => request.resourceSpans[0]!.scopeSpans[0]!.spans[0]!);
    expect(spans.map((span) => attr(span.attributes, "test.case.name")?.stringValue).sort()).toEqual(names);
  }, 120_000);
});
