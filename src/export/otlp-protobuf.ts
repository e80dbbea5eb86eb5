// An ExportTraceServiceRequest (the OTLP/JSON form of src/export/otlp-request.ts) → protobuf bytes, with
// the field numbers of opentelemetry-proto's trace/v1, common/v1 and resource/v1 messages. Fields are
// written in field-number order, as protobuf's own encoders do; int64s go through BigInt, so they stay
// exact. tests/conformance/ decodes the result with the official message definitions.
import type { OtlpAnyValue, OtlpKeyValue, OtlpRequest, OtlpResourceSpans, OtlpScopeSpans, OtlpSpan } from "./otlp-request.js";

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

class Writer {
  private chunks: Uint8Array[] = [];
  private size = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.size += bytes.length;
  }

  private varint(value: bigint): void {
    const bytes: number[] = [];
    let rest = BigInt.asUintN(64, value); // negative int64: ten bytes of two's complement, as protobuf says
    while (rest > 0x7fn) {
      bytes.push(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    bytes.push(Number(rest));
    this.push(Uint8Array.from(bytes));
  }

  private tag(field: number, wireType: number): void {
    this.varint(BigInt((field << 3) | wireType));
  }

  uint(field: number, value: number | bigint): void {
    this.tag(field, VARINT);
    this.varint(BigInt(value));
  }

  bool(field: number, value: boolean): void {
    this.uint(field, value ? 1 : 0);
  }

  fixed64(field: number, value: bigint): void {
    this.tag(field, FIXED64);
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
    this.push(bytes);
  }

  fixed32(field: number, value: number): void {
    this.tag(field, FIXED32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value >>> 0, true);
    this.push(bytes);
  }

  double(field: number, value: number): void {
    this.tag(field, FIXED64);
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, value, true);
    this.push(bytes);
  }

  bytes(field: number, value: Uint8Array): void {
    this.tag(field, LENGTH_DELIMITED);
    this.varint(BigInt(value.length));
    this.push(value);
  }

  string(field: number, value: string): void {
    this.bytes(field, Buffer.from(value, "utf8"));
  }

  message(field: number, write: (writer: Writer) => void): void {
    const inner = new Writer();
    write(inner);
    this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}

const hex = (id: string) => Buffer.from(id, "hex");
const DOUBLES: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, "-Infinity": Number.NEGATIVE_INFINITY };

function anyValue(w: Writer, value: OtlpAnyValue): void {
  if ("stringValue" in value) w.string(1, value.stringValue);
  else if ("boolValue" in value) w.bool(2, value.boolValue);
  else if ("intValue" in value) w.uint(3, BigInt(value.intValue));
  else if ("doubleValue" in value)
    w.double(4, typeof value.doubleValue === "number" ? value.doubleValue : (DOUBLES[value.doubleValue] ?? Number.NaN));
  else if ("arrayValue" in value) w.message(5, (a) => value.arrayValue.values.forEach((v) => a.message(1, (e) => anyValue(e, v))));
  else if ("kvlistValue" in value) w.message(6, (l) => keyValues(l, 1, value.kvlistValue.values));
  else if ("bytesValue" in value) w.bytes(7, Buffer.from(value.bytesValue, "base64"));
}

function keyValues(w: Writer, field: number, attributes: readonly OtlpKeyValue[]): void {
  for (const { key, value } of attributes)
    w.message(field, (kv) => {
      kv.string(1, key);
      kv.message(2, (v) => anyValue(v, value));
    });
}

function span(w: Writer, s: OtlpSpan): void {
  w.bytes(1, hex(s.traceId));
  w.bytes(2, hex(s.spanId));
  if (s.traceState) w.string(3, s.traceState);
  if (s.parentSpanId) w.bytes(4, hex(s.parentSpanId));
  w.string(5, s.name);
  w.uint(6, s.kind);
  w.fixed64(7, BigInt(s.startTimeUnixNano));
  w.fixed64(8, BigInt(s.endTimeUnixNano));
  keyValues(w, 9, s.attributes);
  w.uint(10, s.droppedAttributesCount);
  for (const event of s.events)
    w.message(11, (e) => {
      e.fixed64(1, BigInt(event.timeUnixNano));
      e.string(2, event.name);
      keyValues(e, 3, event.attributes);
      e.uint(4, event.droppedAttributesCount);
    });
  w.uint(12, s.droppedEventsCount);
  for (const link of s.links)
    w.message(13, (l) => {
      l.bytes(1, hex(link.traceId));
      l.bytes(2, hex(link.spanId));
      if (link.traceState) l.string(3, link.traceState);
      keyValues(l, 4, link.attributes);
      l.uint(5, link.droppedAttributesCount);
      l.fixed32(6, link.flags);
    });
  w.uint(14, s.droppedLinksCount);
  w.message(15, (st) => {
    if (s.status.message) st.string(2, s.status.message);
    st.uint(3, s.status.code);
  });
  w.fixed32(16, s.flags);
}

function scopeSpans(w: Writer, scoped: OtlpScopeSpans): void {
  w.message(1, (scope) => {
    scope.string(1, scoped.scope.name);
    if (scoped.scope.version) scope.string(2, scoped.scope.version);
  });
  for (const s of scoped.spans) w.message(2, (m) => span(m, s));
}

function resourceSpans(w: Writer, rs: OtlpResourceSpans): void {
  w.message(1, (resource) => {
    keyValues(resource, 1, rs.resource.attributes);
    resource.uint(2, rs.resource.droppedAttributesCount);
  });
  for (const scoped of rs.scopeSpans) w.message(2, (m) => scopeSpans(m, scoped));
}

export function encodeOtlpRequest(request: OtlpRequest): Uint8Array {
  const w = new Writer();
  for (const rs of request.resourceSpans) w.message(1, (m) => resourceSpans(m, rs));
  return w.finish();
}
