// A chunk of log records (src/logs/log-chunk.ts) → an ExportLogsServiceRequest in protobuf, with the
// field numbers of opentelemetry-proto's collector/logs/v1 and logs/v1 messages (ResourceLogs: resource 1,
// scope_logs 2; ScopeLogs: scope 1, log_records 2; LogRecord: time_unix_nano 1 (fixed64),
// severity_number 2, severity_text 3, body 5, attributes 6, dropped_attributes_count 7, flags 8
// (fixed32), trace_id 9, span_id 10, observed_time_unix_nano 11 (fixed64)), fields in number order, as the
// JSON line has them. tests/conformance/ decodes the result with the official message definitions.
import type { LogChunk } from "../logs/log-chunk.js";
import { SEVERITY_NUMBER, type LogRecordData } from "../logs/model.js";
import { SCOPE, type Attributes } from "../spans/model.js";
import { toKeyValues } from "./otlp-request.js";
import { hex, keyValues, Writer } from "./otlp-protobuf.js";

const SAMPLED = 1;

/** Encoded once per attributes object (shared by the records of one span) and per resource. */
const encoded = new WeakMap<object, Uint8Array>();
function encodeOnce(key: object, write: (w: Writer) => void): Uint8Array {
  let bytes = encoded.get(key);
  if (!bytes) {
    const w = new Writer();
    write(w);
    encoded.set(key, (bytes = w.finish()));
  }
  return bytes;
}
const attributesField = (attributes: Attributes) => encodeOnce(attributes, (w) => keyValues(w, 6, toKeyValues(attributes)));
const resourceField = (resource: Attributes) =>
  encodeOnce(resource, (w) =>
    w.message(1, (r) => {
      keyValues(r, 1, toKeyValues(resource));
      r.uint(2, 0);
    }),
  );

/** Hex ids as bytes: a chunk's records share a trace id and mostly a few span ids. */
const idBytes = new Map<string, Uint8Array>();
function idOf(id: string): Uint8Array {
  let bytes = idBytes.get(id);
  if (!bytes) {
    if (idBytes.size > 4096) idBytes.clear();
    idBytes.set(id, (bytes = hex(id)));
  }
  return bytes;
}

function logRecord(w: Writer, r: LogRecordData): void {
  w.fixed64(1, r.timeNs);
  w.uint(2, SEVERITY_NUMBER[r.severity]);
  w.string(3, r.severity);
  w.message(5, (body) => body.string(1, r.body));
  w.raw(attributesField(r.attributes));
  w.uint(7, 0);
  w.fixed32(8, SAMPLED);
  if (r.traceId) w.bytes(9, idOf(r.traceId));
  if (r.spanId) w.bytes(10, idOf(r.spanId));
  w.fixed64(11, r.timeNs);
}

export function encodeOtlpLogRequest(chunk: LogChunk): Uint8Array {
  const w = new Writer();
  w.message(1, (resourceLogs) => {
    resourceLogs.raw(resourceField(chunk.resource));
    resourceLogs.message(2, (scopeLogs) => {
      scopeLogs.message(1, (scope) => scope.string(1, SCOPE.name));
      for (const record of chunk) scopeLogs.message(2, (m) => logRecord(m, record));
    });
  });
  return w.finish();
}
