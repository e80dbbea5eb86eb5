// Log records as OTLP requests: chunks of at most LOG_CHUNK_RECORDS records of one resource, each with its
// ExportLogsServiceRequest in the OTLP/JSON form, as UTF-8. Those bytes are the logs.jsonl line, the
// spool line and the http/json body; the protobuf body is made from the same parts when asked
// (src/export/otlp-log-protobuf.ts). A record's bytes are its line's part, encoded as the line came
// (src/logs/encoded-lines.ts), then its span's part (attributes, flags, ids), encoded once per span:
// composing a request only copies. Layout as the SDK's serializers write it: one resourceLogs, one
// scopeLogs (nixotel), and per record time and observed time, severity, body, attributes, trace flags
// (sampled) and the hex trace and span ids.
import { TraceFlags } from "@opentelemetry/api";
import { open, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { toKeyValues } from "../export/otlp-request.js";
import { encodeOtlpLogRequest } from "../export/otlp-log-protobuf.js";
import { SCOPE, type Attributes } from "../spans/model.js";
import { EncodedLines } from "./encoded-lines.js";
import type { LogRecordData } from "./model.js";
import type { PlacedRecords, RecordTail } from "./records.js";

/** At most so many records, and about so many bytes of OTLP/JSON, per request (and logs.jsonl line): few
 * requests for a long log, each well within a collector's limit (the OpenTelemetry Collector's and
 * Alloy's OTLP/HTTP receivers take 20 MiB by default). A record longer than that stands alone. */
export const LOG_CHUNK_RECORDS = 4096;
export const LOG_CHUNK_BYTES = 4 << 20;

/** One request: how many records, its OTLP JSON line as UTF-8 ending in a newline (the logs.jsonl line
 * as it is; the http/json body without the newline), and its protobuf body; each made when first asked. */
export interface LogChunk {
  readonly length: number;
  json(): Uint8Array;
  protobuf(): Uint8Array;
}

/** Records `from` to `to` of placed records, of one resource; `jsonBytes`: their JSON's bytes with a comma
 * after each, when counted already (placedChunks counts them to cut requests). */
export interface RecordRange {
  placed: PlacedRecords;
  from: number;
  to: number;
  resource: Attributes;
  jsonBytes?: number;
}

const COMMA = 0x2c;
const END = new Uint8Array(Buffer.from("]}]}]}\n", "utf8"));
const keyValuesJson = (attributes: Attributes) => JSON.stringify(toKeyValues(attributes));

const tailJson = new WeakMap<RecordTail, Uint8Array>();
/** `},"attributes":[…],…,"spanId":"…"}`, once per tail. Ids of records read back from a file (flush) are
 * whatever the file said: quoted, never pasted in. */
function recordEnd(tail: RecordTail): Uint8Array {
  let bytes = tailJson.get(tail);
  if (!bytes) {
    const { attributes, traceId, spanId } = tail;
    const text =
      `},"attributes":${keyValuesJson(attributes)},"droppedAttributesCount":0,"flags":${TraceFlags.SAMPLED}` +
      `${traceId ? `,"traceId":${JSON.stringify(traceId)}` : ""}${spanId ? `,"spanId":${JSON.stringify(spanId)}` : ""}}`;
    tailJson.set(tail, (bytes = new Uint8Array(Buffer.from(text, "utf8"))));
  }
  return bytes;
}

/** Record k's JSON and the comma after it, in bytes. */
const recordJsonBytes = (placed: PlacedRecords, k: number) =>
  placed.from[k]!.jsonSize(placed.index[k]!) + recordEnd(placed.tails[k]!).length + 1;

/** The bytes of records `from` to `to`, each one's JSON and a comma. */
function recordsJsonBytes({ placed, from, to }: RecordRange): number {
  let bytes = 0;
  for (let k = from; k < to; k++) bytes += recordJsonBytes(placed, k);
  return bytes;
}

/** The ExportLogsServiceRequest of a range of records, as one JSON line ending in a newline: its size
 * known first, then each part copied into place. */
function otlpLogLine(range: RecordRange): Uint8Array {
  const { placed, from, to, resource } = range;
  const head = Buffer.from(
    `{"resourceLogs":[{"resource":{"attributes":${keyValuesJson(resource)},"droppedAttributesCount":0},` +
      `"scopeLogs":[{"scope":${JSON.stringify({ name: SCOPE.name })},"logRecords":[`,
    "utf8",
  );
  const records = range.jsonBytes ?? recordsJsonBytes(range);
  const line = Buffer.allocUnsafe(head.length + Math.max(0, records - 1) + END.length); // no comma after the last
  let at = head.copy(line, 0);
  // Records come many to a span: each one's span part is looked up once, the same part reused in a row.
  let tail: RecordTail | undefined;
  let end: Uint8Array = END;
  for (let k = from; k < to; k++) {
    if (k > from) line[at++] = COMMA;
    at += placed.from[k]!.copyJson(placed.index[k]!, line, at);
    if (placed.tails[k] !== tail) end = recordEnd((tail = placed.tails[k]!));
    line.set(end, at);
    at += end.length;
  }
  line.set(END, at);
  return line;
}

/** A chunk of a range of placed records; `line`: its JSON line when it is known already (read from a file). */
export function logChunk(range: RecordRange, line?: string): LogChunk {
  let json: Uint8Array | undefined = line === undefined ? undefined : Buffer.from(`${line}\n`, "utf8");
  let protobuf: Uint8Array | undefined;
  return {
    length: range.to - range.from,
    json: () => (json ??= otlpLogLine(range)),
    protobuf: () => (protobuf ??= encodeOtlpLogRequest(range)),
  };
}

/** Placed records of one resource in requests of at most LOG_CHUNK_RECORDS and about LOG_CHUNK_BYTES. */
export function placedChunks(placed: PlacedRecords, resource: Attributes): LogChunk[] {
  const chunks: LogChunk[] = [];
  let from = 0;
  let bytes = 0;
  for (let k = 0; k < placed.index.length; k++) {
    const size = recordJsonBytes(placed, k);
    if (k > from && (k - from === LOG_CHUNK_RECORDS || bytes + size > LOG_CHUNK_BYTES)) {
      chunks.push(logChunk({ placed, from, to: k, resource, jsonBytes: bytes }));
      [from, bytes] = [k, 0];
    }
    bytes += size;
  }
  if (placed.index.length > from) chunks.push(logChunk({ placed, from, to: placed.index.length, resource, jsonBytes: bytes }));
  return chunks;
}

/** Plain records (read back from a file, or made by hand) placed as they are: each its own line. */
export function placedAsIs(records: readonly LogRecordData[]): PlacedRecords {
  const lines = new EncodedLines();
  const placed: PlacedRecords = { from: [], index: [], tails: [], cut: false };
  for (const r of records) {
    placed.from.push(lines);
    placed.index.push(lines.add(r.timeNs, r.body, r.body, r.severity));
    placed.tails.push({ attributes: r.attributes, traceId: r.traceId, spanId: r.spanId });
  }
  return placed;
}

/** Plain records of one resource in requests, as placedChunks cuts them. */
export const logChunks = (records: readonly LogRecordData[], resource: Attributes): LogChunk[] =>
  placedChunks(placedAsIs(records), resource);

/** Plain records read from a request line: sent as they were written, the line is the http/json body. */
export const recordsChunk = (records: readonly LogRecordData[], resource: Attributes, line: string): LogChunk =>
  logChunk({ placed: placedAsIs(records), from: 0, to: records.length, resource }, line);

/** The http/json body: the line without its newline, the same bytes. */
export const jsonBody = (chunk: LogChunk) => chunk.json().subarray(0, chunk.json().length - 1);

/** The chunk's JSON line (without the newline): the spool's and rejected.jsonl's form. */
export function lineOf(chunk: LogChunk): string {
  const body = jsonBody(chunk);
  return Buffer.from(body.buffer, body.byteOffset, body.length).toString("utf8");
}

/** What is left of `buffers` once their first `written` bytes are written (a short write). */
function unwritten(buffers: readonly Uint8Array[], written: number): Uint8Array[] {
  const left: Uint8Array[] = [];
  for (const buffer of buffers) {
    if (written >= buffer.length) {
      written -= buffer.length;
    } else {
      left.push(written > 0 ? buffer.subarray(written) : buffer);
      written = 0;
    }
  }
  return left;
}

/** Appends the chunks' lines to `file` (logs.jsonl), creating it: whole lines, written in order through
 * one descriptor. */
export async function appendLogChunks(file: string, chunks: readonly LogChunk[]): Promise<void> {
  if (chunks.length === 0) return;
  const handle = await open(file, "a").catch(async (error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
    await mkdir(dirname(file), { recursive: true }); // the folder, made once
    return open(file, "a");
  });
  try {
    let left = chunks.map((chunk) => chunk.json());
    while (left.length) left = unwritten(left, (await handle.writev(left)).bytesWritten);
  } finally {
    await handle.close();
  }
}
