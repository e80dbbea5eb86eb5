// A range of placed log records (src/logs/log-chunk.ts) → an ExportLogsServiceRequest in protobuf, with
// the field numbers of opentelemetry-proto's collector/logs/v1 and logs/v1 messages (ResourceLogs: resource 1,
// scope_logs 2; ScopeLogs: scope 1, log_records 2; LogRecord: time_unix_nano 1 (fixed64),
// severity_number 2, severity_text 3, body 5, attributes 6, dropped_attributes_count 7, flags 8
// (fixed32), trace_id 9, span_id 10, observed_time_unix_nano 11 (fixed64)), fields in number order, as the
// JSON line has them. The body's bytes come from the line's encoding (src/logs/encoded-lines.ts), fields
// 6–10 are made once per span. tests/conformance/ decodes the result with the official message definitions.
import { TraceFlags } from "@opentelemetry/api";
import type { RecordRange } from "../logs/log-chunk.js";
import { SEVERITY_NUMBER, type Severity } from "../logs/model.js";
import type { RecordTail } from "../logs/records.js";
import { SCOPE, type Attributes } from "../spans/model.js";
import { toKeyValues } from "./otlp-request.js";
import { hex, keyValues, varintSize, Writer } from "./otlp-protobuf.js";

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

const middles = new WeakMap<RecordTail, Uint8Array>();
/** A record's fields 6–10: attributes, dropped count, flags, ids; once per tail. */
function recordMiddle(tail: RecordTail): Uint8Array {
  let bytes = middles.get(tail);
  if (!bytes) {
    const w = new Writer(256);
    keyValues(w, 6, toKeyValues(tail.attributes));
    w.uint(7, 0);
    w.fixed32(8, TraceFlags.SAMPLED);
    if (tail.traceId) w.bytes(9, hex(tail.traceId));
    if (tail.spanId) w.bytes(10, hex(tail.spanId));
    middles.set(tail, (bytes = w.finish()));
  }
  return bytes;
}

/** Bytes of a fixed64 field (tag and value), and of a field's tag below field 16. */
const FIXED64_FIELD = 9;
const TAG = 1;

/** severity_number (2) and severity_text (3), the same for every record of a severity. */
const SEVERITY_FIELDS = Object.fromEntries(
  (["INFO", "WARN", "ERROR"] as const).map((severity) => {
    const w = new Writer(16);
    w.uint(2, SEVERITY_NUMBER[severity]);
    w.string(3, severity);
    return [severity, w.finish()];
  }),
) as Record<Severity, Uint8Array>;

/** Record k of the range (field 2 of ScopeLogs), its length worked out first: written in one pass. */
function logRecord(w: Writer, { placed }: RecordRange, k: number): void {
  const lines = placed.from[k]!;
  const i = placed.index[k]!;
  const timeNs = lines.times[i]!;
  const severity = SEVERITY_FIELDS[lines.severities[i]!];
  const bodySize = lines.bodySize(i);
  const middle = recordMiddle(placed.tails[k]!);
  const anyValue = 1 + varintSize(bodySize) + bodySize; // AnyValue { string_value = 1 }
  w.lengthDelimited(2, 2 * FIXED64_FIELD + severity.length + TAG + varintSize(anyValue) + anyValue + middle.length);
  w.fixed64(1, timeNs);
  w.raw(severity);
  w.lengthDelimited(5, anyValue);
  w.lengthDelimited(1, bodySize);
  lines.writeBody(i, w);
  w.raw(middle);
  w.fixed64(11, timeNs);
}

export function encodeOtlpLogRequest(range: RecordRange): Uint8Array {
  const w = new Writer((range.to - range.from) * 256);
  w.message(1, (resourceLogs) => {
    resourceLogs.raw(resourceField(range.resource));
    resourceLogs.message(2, (scopeLogs) => {
      scopeLogs.message(1, (scope) => scope.string(1, SCOPE.name));
      for (let k = range.from; k < range.to; k++) logRecord(scopeLogs, range, k);
    });
  });
  return w.finish();
}
