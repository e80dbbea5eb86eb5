// A chunk of log records (src/logs/log-chunk.ts) → an ExportLogsServiceRequest in protobuf, with the
// field numbers of opentelemetry-proto's collector/logs/v1 and logs/v1 messages (ResourceLogs: resource 1,
// scope_logs 2; ScopeLogs: scope 1, log_records 2; LogRecord: time_unix_nano 1 (fixed64),
// severity_number 2, severity_text 3, body 5, attributes 6, dropped_attributes_count 7, flags 8
// (fixed32), trace_id 9, span_id 10, observed_time_unix_nano 11 (fixed64)), fields in number order, as the
// JSON line has them. tests/conformance/ decodes the result with the official message definitions.
import { perSpanPart, type LogChunk } from "../logs/log-chunk.js";
import { SEVERITY_NUMBER, type LogRecordData, type Severity } from "../logs/model.js";
import { SCOPE, type Attributes } from "../spans/model.js";
import { toKeyValues } from "./otlp-request.js";
import { hex, keyValues, varintSize, Writer } from "./otlp-protobuf.js";

const SAMPLED = 1;

const resourceFields = new WeakMap<object, Uint8Array>();
/** The Resource message (field 1 of ResourceLogs), encoded once per resource. */
function resourceField(resource: Attributes): Uint8Array {
  let bytes = resourceFields.get(resource);
  if (!bytes) {
    const w = new Writer();
    w.message(1, (r) => {
      keyValues(r, 1, toKeyValues(resource));
      r.uint(2, 0);
    });
    resourceFields.set(resource, (bytes = w.finish()));
  }
  return bytes;
}

/** A record's fields 6–10: attributes, dropped count, flags, ids (made once per span: perSpanPart). */
function recordMiddle(r: LogRecordData): Uint8Array {
  const w = new Writer(256);
  keyValues(w, 6, toKeyValues(r.attributes));
  w.uint(7, 0);
  w.fixed32(8, SAMPLED);
  if (r.traceId) w.bytes(9, hex(r.traceId));
  if (r.spanId) w.bytes(10, hex(r.spanId));
  return w.finish();
}

/** Bytes of a fixed64 field (tag and value), and of a small field's tag with its one-byte value or length. */
const FIXED64_FIELD = 9;
const SMALL_FIELD = 2;

/** severity_number (2) and severity_text (3), the same for every record of a severity. */
const SEVERITY_FIELDS = Object.fromEntries(
  (["INFO", "WARN", "ERROR"] as const).map((severity) => {
    const w = new Writer(16);
    w.uint(2, SEVERITY_NUMBER[severity]);
    w.string(3, severity);
    return [severity, w.finish()];
  }),
) as Record<Severity, Uint8Array>;

/** One LogRecord (field 2 of ScopeLogs), its length worked out first: written in one pass. */
function logRecord(w: Writer, r: LogRecordData, middle: Uint8Array): void {
  const bodyBytes = Buffer.byteLength(r.body, "utf8");
  const anyValue = 1 + varintSize(bodyBytes) + bodyBytes; // AnyValue { string_value = 1 }
  const length = 2 * FIXED64_FIELD + SMALL_FIELD + SMALL_FIELD + r.severity.length + 1 + varintSize(anyValue) + anyValue + middle.length;
  w.lengthDelimited(2, length);
  w.fixed64(1, r.timeNs);
  w.raw(SEVERITY_FIELDS[r.severity]);
  w.lengthDelimited(5, anyValue);
  w.lengthDelimited(1, bodyBytes);
  w.utf8(r.body);
  w.raw(middle);
  w.fixed64(11, r.timeNs);
}

export function encodeOtlpLogRequest(chunk: LogChunk): Uint8Array {
  const w = new Writer(chunk.length * 256);
  const middleOf = perSpanPart(recordMiddle);
  w.message(1, (resourceLogs) => {
    resourceLogs.raw(resourceField(chunk.resource));
    resourceLogs.message(2, (scopeLogs) => {
      scopeLogs.message(1, (scope) => scope.string(1, SCOPE.name));
      for (const r of chunk) logRecord(scopeLogs, r, middleOf(r));
    });
  });
  return w.finish();
}
