// How a check's records are cut into requests: at most LOG_CHUNK_RECORDS, and about LOG_CHUNK_BYTES of
// OTLP/JSON, each request a whole JSON line holding its records in order.
import { describe, expect, it } from "vitest";
import { LOG_CHUNK_BYTES, LOG_CHUNK_RECORDS, logChunks } from "./log-chunk.js";
import type { LogRecordData } from "./model.js";
import { parseOtlpLogLine } from "./otlp-logs.js";

const record = (i: number, body: string): LogRecordData => ({
  timeNs: BigInt(i),
  severity: "INFO",
  body,
  attributes: { "cicd.pipeline.task.name": "web" },
  traceId: "0af7651916cd43dd8448eb211c80319c",
  spanId: "b7ad6b7169203331",
});
const bodiesOf = (line: Uint8Array) => parseOtlpLogLine(Buffer.from(line).toString("utf8").trimEnd()).records.map((r) => r.body);

describe("logChunks", () => {
  it("cuts at LOG_CHUNK_RECORDS records", () => {
    const records = Array.from({ length: LOG_CHUNK_RECORDS + 1 }, (_, i) => record(i, `line ${i}`));
    const chunks = logChunks(records, { "service.name": "s" });
    expect(chunks.map((c) => c.length)).toEqual([LOG_CHUNK_RECORDS, 1]);
    expect(chunks.flatMap((c) => bodiesOf(c.json()))).toEqual(records.map((r) => r.body));
  });

  it("cuts at about LOG_CHUNK_BYTES of JSON, a record longer than that on its own", () => {
    const third = "x".repeat(Math.floor(LOG_CHUNK_BYTES / 3));
    const records = [record(0, third), record(1, third), record(2, "x".repeat(LOG_CHUNK_BYTES + 1)), record(3, "after")];
    const chunks = logChunks(records, { "service.name": "s" });
    expect(chunks.map((c) => c.length)).toEqual([2, 1, 1]);
    expect(chunks[0]!.json().length).toBeLessThanOrEqual(LOG_CHUNK_BYTES); // a third more would not fit
    expect(chunks.flatMap((c) => bodiesOf(c.json()))).toEqual(records.map((r) => r.body));
  });
});
