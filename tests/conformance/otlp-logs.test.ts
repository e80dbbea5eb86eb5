// Conformance of the log records' encodings: nixotel's own protobuf encoder (src/export/otlp-log-protobuf.ts)
// decoded with the official logs/v1 message definitions (byte-exact re-encoding: no unknown or mistyped
// field, fields in the official order), and its JSON line (src/logs/log-chunk.ts) checked against the
// OTLP/JSON rules; both say the same of every record, for edge values and for a real run's records.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { SeverityNumber } from "@opentelemetry/api-logs";
import { describe, expect, test } from "vitest";
import { lineOf, logChunks, recordsChunk, type LogChunk } from "../../src/logs/log-chunk.js";
import type { LogRecordData } from "../../src/logs/model.js";
import { parseOtlpLogLine } from "../../src/logs/otlp-logs.js";
import { baseEnv, nixotel, type FlakeCopy } from "../runner/support/fixture.js";
import { useFixtureAndReceiver } from "../runner/support/fixture-and-receiver.js";
import type { OtlpReceiver } from "../support/otlp-receiver.js";
import { decodeOfficialLogs, plainValue, type OfficialLogs } from "./support/official-otlp.js";
import { jsonViolations } from "./support/otlp-json-rules.js";

const TRACE = "0af7651916cd43dd8448eb211c80319c";
const shared = { "cicd.pipeline.task.name": "web", "nixos.test.subtest": "boot" };
const record = (body: string, severity: LogRecordData["severity"], timeNs: bigint, spanId = "b7ad6b7169203331"): LogRecordData => ({
  timeNs,
  severity,
  body,
  attributes: shared,
  traceId: TRACE,
  spanId,
});
const EDGE_RECORDS: LogRecordData[] = [
  record("web: waiting for unit multi-user.target", "INFO", 1_700_000_000_123_456_789n),
  record("", "WARN", 0n),
  record('quotes " and \\ backslashes, a tab\t, a NUL \u0000 and a line\nbreak', "ERROR", 2n ** 63n - 1n),
  record("unicode: čšž 日本 🚀 and a lone surrogate \ud800", "INFO", 18_446_744_073_709_551_615n, "00f067aa0ba902b7"),
  record("x".repeat(20_000), "INFO", 5n), // a body whose length takes three varint bytes
  { ...record("a line of another span, no attributes", "INFO", 6n), attributes: {} },
  { ...record("a record read back without ids", "INFO", 7n), traceId: "", spanId: "" },
];
const RESOURCE = { "service.name": "nixos-integration-tests", "host.name": "ci-7", "process.pid": 4242, "vcs.dirty": false };

const hexOf = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString("hex");
const kvs = (list: { key: string; value: Record<string, unknown> }[] = []) =>
  Object.fromEntries(list.map((kv) => [kv.key, plainValue(kv.value)]));

/** What both encodings say of a record, in one plain shape. */
function plainOfficial(logs: OfficialLogs) {
  return logs.records.map((r) => ({
    time: String(r.timeUnixNano),
    observed: String(r.observedTimeUnixNano),
    severityNumber: r.severityNumber,
    severityText: r.severityText,
    body: r.body ? plainValue(r.body) : undefined,
    attributes: kvs(r.attributes),
    flags: r.flags,
    traceId: hexOf(r.traceId),
    spanId: hexOf(r.spanId),
  }));
}
const expected = (records: readonly LogRecordData[]) =>
  records.map((r) => ({
    time: String(r.timeNs),
    observed: String(r.timeNs),
    severityNumber: SeverityNumber[r.severity],
    severityText: r.severity,
    // protobuf carries UTF-8: a lone surrogate becomes U+FFFD, as in any protobuf encoder.
    body: Buffer.from(r.body, "utf8").toString("utf8"),
    attributes: r.attributes,
    flags: 1,
    traceId: r.traceId,
    spanId: r.spanId,
  }));

describe("log records with edge values", () => {
  test("the protobuf request decodes with the official logs definitions, byte for byte, and says what the records say", () => {
    const [chunk] = logChunks(EDGE_RECORDS, RESOURCE) as [LogChunk];
    const decoded = decodeOfficialLogs(chunk.protobuf());
    expect(decoded.scopes).toEqual(["nixotel"]);
    expect(kvs(decoded.resource)).toEqual({ ...RESOURCE, "process.pid": "4242" }); // int64 as its exact decimal
    expect(plainOfficial(decoded)).toEqual(expected(EDGE_RECORDS));
  });

  test("the JSON line follows the OTLP/JSON rules and reads back to the same records", () => {
    const [chunk] = logChunks(EDGE_RECORDS.slice(0, -1), RESOURCE) as [LogChunk];
    const line = lineOf(chunk);
    expect(chunk.json().at(-1)).toBe(0x0a); // the logs.jsonl line ends in its newline
    expect(jsonViolations(JSON.parse(line))).toEqual([]);
    const back = parseOtlpLogLine(line);
    expect(back.records.map((r) => ({ ...r, body: Buffer.from(r.body, "utf8").toString("utf8") }))).toEqual(
      EDGE_RECORDS.slice(0, -1).map((r) => ({ ...r, body: Buffer.from(r.body, "utf8").toString("utf8") })),
    );
    expect(back.resource).toMatchObject({ "service.name": "nixos-integration-tests", "host.name": "ci-7" });
  });

  test("a chunk read back from its line (a spooled one) is sent as the same protobuf request", () => {
    const records = EDGE_RECORDS.slice(0, 3);
    const [chunk] = logChunks(records, { "service.name": "s" }) as [LogChunk];
    const { records: back, resource } = parseOtlpLogLine(lineOf(chunk));
    const again = recordsChunk(back, resource, lineOf(chunk));
    expect(Buffer.from(again.json())).toEqual(Buffer.from(chunk.json()));
    expect(Buffer.from(again.protobuf())).toEqual(Buffer.from(chunk.protobuf()));
  });
});

describe("a real run's log records over http/protobuf", () => {
  let flake: FlakeCopy;
  let receiver: OtlpReceiver;
  useFixtureAndReceiver("logs", (copy, started) => ([flake, receiver] = [copy, started]));

  test("every request decodes with the official definitions and holds exactly logs.jsonl's records", async () => {
    const env = baseEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf" });
    const result = await nixotel(["run", "chatty", "failing", "--flake", flake.ref, "--out", "out"], { cwd: flake.dir, env });
    expect(result.code, result.stderr).toBe(1);
    const runs = join(flake.dir, "out", "runs");
    const [id] = await readdir(runs);
    const lines = (await readFile(join(runs, id!, "logs.jsonl"), "utf8")).split("\n").filter(Boolean);
    for (const line of lines) expect(jsonViolations(JSON.parse(line))).toEqual([]);
    const stored = lines.flatMap((l) => parseOtlpLogLine(l).records);
    const sent = receiver.requests.filter((r) => r.path === "/v1/logs").map((r) => decodeOfficialLogs(r.body));
    expect(stored.length).toBeGreaterThan(10);
    expect(sent.flatMap(plainOfficial)).toEqual(expected(stored));
  });
});
