// Log records as OTLP requests: chunks of at most LOG_CHUNK_SIZE records of one resource, each with its
// ExportLogsServiceRequest in the OTLP/JSON form encoded once, straight from the plain records into
// UTF-8. Those bytes are the logs.jsonl line, the spool line and the http/json body; the protobuf body is
// encoded from the same records (src/export/otlp-log-protobuf.ts). Layout as the SDK's serializers write
// it: one resourceLogs, one scopeLogs (nixotel), and per record time and observed time (when nix reported
// the line), severity, body, attributes, trace flags (sampled) and the hex trace and span ids.
import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { toKeyValues } from "../export/otlp-request.js";
import { Writer } from "../export/otlp-protobuf.js";
import { SCOPE, type Attributes } from "../spans/model.js";
import { SEVERITY_NUMBER, type LogRecordData, type Severity } from "./model.js";

/** Records per request line and per OTLP request. */
export const LOG_CHUNK_SIZE = 1024;

/** One request: its records, their resource, and its OTLP JSON line as UTF-8, ending in a newline (the
 * logs.jsonl line as it is; the http/json body without the newline). */
export type LogChunk = LogRecordData[] & { readonly resource: Attributes; readonly json: Uint8Array };

const SAMPLED = 1;
const bytes = (text: string) => new Uint8Array(Buffer.from(text, "utf8"));

// The parts of a record's JSON that repeat are made once: what follows the times, by severity, and a
// record's end (attributes, ids), by its attributes object (shared by the records of one span,
// src/logs/records.ts) and its ids.
const AFTER_TIMES: Record<Severity, string> = {
  INFO: `","severityNumber":${SEVERITY_NUMBER.INFO},"severityText":"INFO","body":{"stringValue":`,
  WARN: `","severityNumber":${SEVERITY_NUMBER.WARN},"severityText":"WARN","body":{"stringValue":`,
  ERROR: `","severityNumber":${SEVERITY_NUMBER.ERROR},"severityText":"ERROR","body":{"stringValue":`,
};
const END = bytes("]}]}]}\n");

const keyValuesJson = (attributes: Attributes) => JSON.stringify(toKeyValues(attributes));

/** A record's part that depends only on its attributes object (shared by the records of one span,
 * src/logs/records.ts) and its ids, made once for each: its JSON end here, its protobuf fields 6–10 in
 * src/export/otlp-log-protobuf.ts. Give a fresh one to each request. */
export function perSpanPart(make: (r: LogRecordData) => Uint8Array): (r: LogRecordData) => Uint8Array {
  const byAttributes = new WeakMap<object, Map<string, Uint8Array>>();
  return (r) => {
    let parts = byAttributes.get(r.attributes);
    if (!parts) byAttributes.set(r.attributes, (parts = new Map()));
    const key = `${r.traceId}/${r.spanId}`;
    let part = parts.get(key);
    if (!part) parts.set(key, (part = make(r)));
    return part;
  };
}

/** `},"attributes":[…],…,"spanId":"…"}`. Ids of records read back from a file (flush) are whatever the
 * file said: quoted, never pasted in. */
const recordEnd = (r: LogRecordData) =>
  bytes(
    `},"attributes":${keyValuesJson(r.attributes)},"droppedAttributesCount":0,"flags":${SAMPLED}` +
      `${r.traceId ? `,"traceId":${JSON.stringify(r.traceId)}` : ""}${r.spanId ? `,"spanId":${JSON.stringify(r.spanId)}` : ""}}`,
  );

/** The ExportLogsServiceRequest of records of one resource, as one JSON line ending in a newline. */
export function encodeOtlpLogLine(records: readonly LogRecordData[], resource: Attributes): Uint8Array {
  const w = new Writer(records.length * 512);
  w.utf8(
    `{"resourceLogs":[{"resource":{"attributes":${keyValuesJson(resource)},"droppedAttributesCount":0},` +
      `"scopeLogs":[{"scope":${JSON.stringify({ name: SCOPE.name })},"logRecords":[`,
  );
  const endOf = perSpanPart(recordEnd);
  records.forEach((r, i) => {
    const time = r.timeNs.toString();
    w.utf8(
      `${i > 0 ? "," : ""}{"timeUnixNano":"${time}","observedTimeUnixNano":"${time}${AFTER_TIMES[r.severity]}${JSON.stringify(r.body)}`,
    );
    w.raw(endOf(r));
  });
  w.raw(END);
  return w.finish();
}

/** A chunk of records; `line`: its JSON line when it is known already (read from a file). */
export const logChunk = (records: LogRecordData[], resource: Attributes, line?: string): LogChunk =>
  Object.assign(records, { resource, json: line === undefined ? encodeOtlpLogLine(records, resource) : bytes(`${line}\n`) });

/** Records of one resource in requests of at most LOG_CHUNK_SIZE. */
export function logChunks(records: readonly LogRecordData[], resource: Attributes): LogChunk[] {
  const chunks: LogChunk[] = [];
  for (let i = 0; i < records.length; i += LOG_CHUNK_SIZE) chunks.push(logChunk(records.slice(i, i + LOG_CHUNK_SIZE), resource));
  return chunks;
}

/** The http/json body: the line without its newline, the same bytes. */
export const jsonBody = (chunk: LogChunk) => chunk.json.subarray(0, chunk.json.length - 1);

/** The chunk's JSON line (without the newline): the spool's and rejected.jsonl's form. */
export const lineOf = (chunk: LogChunk) => Buffer.from(chunk.json.buffer, chunk.json.byteOffset, chunk.json.length - 1).toString("utf8");

/** Appends the chunks' lines to `file` (logs.jsonl), creating it: whole lines, one write each. */
export async function appendLogChunks(file: string, chunks: readonly LogChunk[]): Promise<void> {
  if (chunks.length === 0) return;
  await mkdir(dirname(file), { recursive: true });
  for (const chunk of chunks) await appendFile(file, chunk.json);
}
