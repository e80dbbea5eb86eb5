// Log records as OTLP requests: chunks of at most LOG_CHUNK_SIZE records of one resource, each with its
// ExportLogsServiceRequest in the OTLP/JSON form made once, straight from the plain records. That line is
// the logs.jsonl line, the spool line and the http/json body; the protobuf body is encoded from the same
// records (src/export/otlp-log-protobuf.ts). Layout as the SDK's serializers write it: one resourceLogs,
// one scopeLogs (nixotel), and per record time and observed time (when nix reported the line), severity,
// body, attributes, trace flags (sampled) and the hex trace and span ids.
import { toKeyValues } from "../export/otlp-request.js";
import { SCOPE, type Attributes } from "../spans/model.js";
import { SEVERITY_NUMBER, type LogRecordData } from "./model.js";

/** Records per request line and per OTLP request. */
export const LOG_CHUNK_SIZE = 1024;

/** One request: its records, their resource, and its OTLP JSON line as UTF-8, ending in a newline (the
 * logs.jsonl line as it is; the http/json body without the newline). */
export type LogChunk = LogRecordData[] & { readonly resource: Attributes; readonly json: Buffer };

const SAMPLED = 1;
const SCOPE_JSON = JSON.stringify({ name: SCOPE.name });

// Records of one span share their attributes object (src/logs/records.ts), a run shares its resource:
// each is encoded once.
const attributesJson = new WeakMap<object, string>();
const encodedAttributes = (attributes: Attributes) => {
  let json = attributesJson.get(attributes);
  if (json === undefined) attributesJson.set(attributes, (json = JSON.stringify(toKeyValues(attributes))));
  return json;
};

function recordJson(r: LogRecordData): string {
  const time = `"${r.timeNs}"`;
  // Ids of records read back from a file (flush) are whatever the file said: quoted, never pasted in.
  const ids = `${r.traceId ? `,"traceId":${JSON.stringify(r.traceId)}` : ""}${r.spanId ? `,"spanId":${JSON.stringify(r.spanId)}` : ""}`;
  return (
    `{"timeUnixNano":${time},"observedTimeUnixNano":${time},"severityNumber":${SEVERITY_NUMBER[r.severity]},` +
    `"severityText":"${r.severity}","body":{"stringValue":${JSON.stringify(r.body)}},"attributes":${encodedAttributes(r.attributes)},` +
    `"droppedAttributesCount":0,"flags":${SAMPLED}${ids}}`
  );
}

/** The ExportLogsServiceRequest of records of one resource, as one JSON line (without the newline). */
export function toOtlpLogLine(records: readonly LogRecordData[], resource: Attributes): string {
  const parts = records.map(recordJson);
  return (
    `{"resourceLogs":[{"resource":{"attributes":${encodedAttributes(resource)},"droppedAttributesCount":0},` +
    `"scopeLogs":[{"scope":${SCOPE_JSON},"logRecords":[${parts.join(",")}]}]}]}`
  );
}

/** A chunk of records; `line`: its JSON line when it is known already (read from a file). */
export const logChunk = (records: LogRecordData[], resource: Attributes, line = toOtlpLogLine(records, resource)): LogChunk =>
  Object.assign(records, { resource, json: Buffer.from(`${line}\n`) });

/** The chunk's JSON line (without the newline): the spool's and rejected.jsonl's form. */
export const lineOf = (chunk: LogChunk) => chunk.json.toString("utf8", 0, chunk.json.length - 1);

/** The http/json body: the line without its newline, the same bytes. */
export const jsonBody = (chunk: LogChunk) => chunk.json.subarray(0, chunk.json.length - 1);

/** Records of one resource in requests of at most LOG_CHUNK_SIZE. */
export function logChunks(records: readonly LogRecordData[], resource: Attributes): LogChunk[] {
  const chunks: LogChunk[] = [];
  for (let i = 0; i < records.length; i += LOG_CHUNK_SIZE) chunks.push(logChunk(records.slice(i, i + LOG_CHUNK_SIZE), resource));
  return chunks;
}

/** The chunks' JSON lines, each ending in a newline: what logs.jsonl gets for them, in one write. */
export const jsonLines = (chunks: readonly LogChunk[]) => Buffer.concat(chunks.map((c) => c.json));
