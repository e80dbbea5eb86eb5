// Parenting: --parent, then $TRACEPARENT, then the file the testScript prelude keeps ($NIXOTEL_TRACEPARENT_FILE).
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./emitter-harness.js";

const FLAG = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
const ENV = "00-11111111111111111111111111111111-2222222222222222-00";
const FILE = "00-33333333333333333333333333333333-4444444444444444-01";

let h: Harness;
let file: string;
beforeEach(async () => {
  h = await startHarness();
  file = join(h.dir, "nixotel-traceparent");
});
afterEach(async () => h.close());

function parentOf(): [string, string | undefined] {
  const span = h.onlySpan();
  return [span.traceId, span.parentSpanId];
}

describe("where the parent comes from", () => {
  it("--parent joins its trace under its span, and the printed traceparent keeps its flags", async () => {
    const result = await h.emit(["--parent", ENV, "--print-traceparent", "x", "passed"]);
    const span = h.onlySpan();
    expect([span.traceId, span.parentSpanId]).toEqual(["11111111111111111111111111111111", "2222222222222222"]);
    expect(span.spanId).not.toBe("2222222222222222");
    expect(result.stdout).toBe(`00-11111111111111111111111111111111-${span.spanId}-00\n`);
  });

  it("reads $TRACEPARENT when no --parent is given", async () => {
    await h.emit(["x", "passed"], { TRACEPARENT: ENV });
    expect(parentOf()).toEqual(["11111111111111111111111111111111", "2222222222222222"]);
  });

  it("reads the first line of $NIXOTEL_TRACEPARENT_FILE (trimmed, CRLF or no newline) when neither is given", async () => {
    await writeFile(file, ` ${FILE}\r\nignored second line\n`);
    await h.emit(["x", "passed"], { NIXOTEL_TRACEPARENT_FILE: file });
    expect(parentOf()).toEqual(["33333333333333333333333333333333", "4444444444444444"]);
  });

  it("prefers --parent over $TRACEPARENT over the file", async () => {
    await writeFile(file, FILE);
    await h.emit(["--parent", FLAG, "a", "passed"], { TRACEPARENT: ENV, NIXOTEL_TRACEPARENT_FILE: file });
    await h.emit(["b", "passed"], { TRACEPARENT: ENV, NIXOTEL_TRACEPARENT_FILE: file });
    expect(h.requests().map((r) => r.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.parentSpanId)).toEqual([
      "b7ad6b7169203331",
      "2222222222222222",
    ]);
  });

  it("chains: a span printed with --print-traceparent parents the next one", async () => {
    const first = await h.emit(["--print-traceparent", "outer", "passed"]);
    await h.emit(["--parent", first.stdout.trim(), "inner", "passed"]);
    const [outer, inner] = h.requests().map((r) => r.resourceSpans[0]!.scopeSpans[0]!.spans[0]!);
    expect(inner!.traceId).toBe(outer!.traceId);
    expect(inner!.parentSpanId).toBe(outer!.spanId);
  });
});

describe("what is not a parent", () => {
  it("starts a new trace, silently, when the file is missing or empty", async () => {
    expect((await h.emit(["a", "passed"], { NIXOTEL_TRACEPARENT_FILE: file })).stderr).toBe("");
    await writeFile(file, "\n");
    expect((await h.emit(["b", "passed"], { NIXOTEL_TRACEPARENT_FILE: file })).stderr).toBe("");
    expect(h.requests().map((r) => r.resourceSpans[0]!.scopeSpans[0]!.spans[0]!.parentSpanId)).toEqual([undefined, undefined]);
  });

  it("warns about an invalid $TRACEPARENT and falls back to the file", async () => {
    await writeFile(file, FILE);
    const result = await h.emit(["x", "passed"], { TRACEPARENT: "garbage", NIXOTEL_TRACEPARENT_FILE: file });
    expect(result).toMatchObject({ exitCode: 0 });
    expect(result.stderr).toContain("ignoring TRACEPARENT=garbage");
    expect(parentOf()[1]).toBe("4444444444444444");
  });

  it.each([
    ["upper case", "00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-01"],
    ["zero trace id", "00-00000000000000000000000000000000-b7ad6b7169203331-01"],
    ["zero span id", "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01"],
    ["version ff", "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"],
    ["version 00 with a fifth field", `${FLAG}-extra`],
    ["short span id", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333-01"],
  ])("warns about a file holding a traceparent with %s and starts a new trace", async (_why, value) => {
    await writeFile(file, value);
    const result = await h.emit(["x", "passed"], { NIXOTEL_TRACEPARENT_FILE: file });
    expect(result.stderr).toContain("from NIXOTEL_TRACEPARENT_FILE: not a W3C traceparent");
    expect(parentOf()[1]).toBeUndefined();
  });

  it("accepts a future version with extra fields, as W3C asks", async () => {
    await h.emit(["--parent", "cc-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-what-the-future-holds", "x", "passed"]);
    expect(parentOf()[1]).toBe("b7ad6b7169203331");
  });
});
