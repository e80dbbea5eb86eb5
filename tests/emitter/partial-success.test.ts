// An OTLP partial success is read whatever its JSON layout: a refused span never counts as delivered.
// Real answers from the receiver; the matcher is the emitter's own (no jq or python in a test VM).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./emitter-harness.js";

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.close());

async function verdict(): Promise<"refused" | "delivered"> {
  const result = await h.emit(["--strict", "x", "passed"], { OTEL_EXPORTER_OTLP_TIMEOUT: "30000" });
  expect(h.receiver.requests).toHaveLength(1); // a partial success is never retried
  if (result.exitCode === 0) return "delivered";
  expect(result.stderr).toContain("the collector rejected it (partial success): ");
  return "refused";
}

describe("the receiver's partial-success modes", () => {
  it.each([
    [1, false, "refused"],
    [1, true, "refused"], // pretty-printed, CRLF, `"rejectedSpans" : 1`
    ["3", true, "refused"],
    [0, true, "delivered"],
    ["0", false, "delivered"],
  ] as const)("rejectedSpans %j, pretty %s: %s", async (rejectedSpans, pretty, expected) => {
    h.receiver.setDefault({ kind: "partialSuccess", rejectedSpans, pretty });
    expect(await verdict()).toBe(expected);
  });
});

describe("answers written by hand", () => {
  it.each([
    ['{"partialSuccess":{"rejectedSpans":"1"}}', "refused"],
    ['{ "partialSuccess" : { "rejectedSpans" : 2 } }', "refused"],
    ['{\n\t"partialSuccess": {\n\t\t"rejectedSpans":\n\t\t\t"12",\n\t\t"errorMessage": "too old"\n\t}\n}', "refused"],
    ['{"partialSuccess":{"rejected_spans":1}}', "refused"], // proto field name, which receivers also accept
    ['{"partialSuccess":{"errorMessage":"x","rejectedSpans":"10"}}', "refused"],
    ['{"partialSuccess":{}}', "delivered"],
    ['{"partialSuccess":{"rejectedSpans":"0","errorMessage":"\\"rejectedSpans\\": 1 in a message is text"}}', "delivered"],
    ['{"partialSuccess":{"rejectedSpans" : 0}}', "delivered"],
    ["{}", "delivered"],
    ["", "delivered"],
  ])("%j: %s", async (body, expected) => {
    h.receiver.setDefault({ kind: "answer", status: 200, body });
    expect(await verdict()).toBe(expected);
  });
});
