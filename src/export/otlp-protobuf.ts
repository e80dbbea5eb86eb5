// An ExportTraceServiceRequest (the OTLP/JSON form of src/export/otlp-request.ts) → protobuf bytes, with
// the field numbers of opentelemetry-proto's trace/v1, common/v1 and resource/v1 messages. Fields are
// written in field-number order, as protobuf's own encoders do; int64s go through BigInt, so they stay
// exact. tests/conformance/ decodes the result with the official message definitions.
import type { OtlpAnyValue, OtlpKeyValue, OtlpRequest, OtlpResourceSpans, OtlpScopeSpans, OtlpSpan } from "./otlp-request.js";

const VARINT = 0;
const FIXED64 = 1;
const LENGTH_DELIMITED = 2;
const FIXED32 = 5;

export const varintSize = (value: number) => (value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : 5);

/** Appends to one growable buffer. A nested message is written in place behind one byte kept for its
 * length, which is moved along when the length needs more bytes (messages under 128 bytes never do). */
export class Writer {
  private buffer: Buffer;
  private view: DataView;
  private pos = 0;

  /** `size`: the bytes expected, so the buffer rarely grows. */
  constructor(size = 4096) {
    this.buffer = Buffer.allocUnsafe(size);
    this.view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.length);
  }

  private reserve(bytes: number): void {
    if (this.pos + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.pos + bytes) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buffer.copy(grown, 0, 0, this.pos);
    this.buffer = grown;
    this.view = new DataView(grown.buffer, grown.byteOffset, grown.length);
  }

  /** An unsigned varint below 2^53 (tags, lengths, counts, enums). */
  private varint(value: number): void {
    this.reserve(10);
    while (value > 0x7f) {
      this.buffer[this.pos++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.buffer[this.pos++] = value;
  }

  private tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  uint(field: number, value: number): void {
    this.tag(field, VARINT);
    this.varint(value);
  }

  /** An int64 exactly: negative ones as ten bytes of two's complement, as protobuf says. */
  int64(field: number, value: bigint): void {
    this.tag(field, VARINT);
    let rest = BigInt.asUintN(64, value);
    if (rest <= BigInt(Number.MAX_SAFE_INTEGER)) return this.varint(Number(rest));
    this.reserve(10);
    while (rest > 0x7fn) {
      this.buffer[this.pos++] = Number(rest & 0x7fn) | 0x80;
      rest >>= 7n;
    }
    this.buffer[this.pos++] = Number(rest);
  }

  bool(field: number, value: boolean): void {
    this.uint(field, value ? 1 : 0);
  }

  fixed64(field: number, value: bigint): void {
    this.tag(field, FIXED64);
    this.reserve(8);
    this.view.setBigUint64(this.pos, BigInt.asUintN(64, value), true);
    this.pos += 8;
  }

  fixed32(field: number, value: number): void {
    this.tag(field, FIXED32);
    this.reserve(4);
    this.view.setUint32(this.pos, value >>> 0, true);
    this.pos += 4;
  }

  double(field: number, value: number): void {
    this.tag(field, FIXED64);
    this.reserve(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  bytes(field: number, value: Uint8Array): void {
    this.tag(field, LENGTH_DELIMITED);
    this.varint(value.length);
    this.raw(value);
  }

  string(field: number, value: string): void {
    const length = Buffer.byteLength(value, "utf8");
    this.tag(field, LENGTH_DELIMITED);
    this.varint(length);
    this.reserve(length);
    this.pos += this.buffer.write(value, this.pos, length, "utf8");
  }

  /** Text as UTF-8, without a tag or length: the writer also builds OTLP JSON lines (src/logs/log-chunk.ts). */
  utf8(value: string): void {
    this.reserve(value.length * 3);
    this.pos += this.buffer.write(value, this.pos, "utf8");
  }

  /** Bytes already encoded (a part written once and repeated, e.g. shared attributes), as they are. */
  raw(value: Uint8Array): void {
    this.reserve(value.length);
    this.buffer.set(value, this.pos);
    this.pos += value.length;
  }

  /** Bytes `start` to `end` of `source`, as they are (copied straight from it: no view is made). */
  copyFrom(source: Buffer, start: number, end: number): void {
    this.reserve(end - start);
    this.pos += source.copy(this.buffer, this.pos, start, end);
  }

  /** The tag and length of a length-delimited field whose `length` bytes the caller writes next. */
  lengthDelimited(field: number, length: number): void {
    this.tag(field, LENGTH_DELIMITED);
    this.varint(length);
  }

  message(field: number, write: (writer: Writer) => void): void {
    this.tag(field, LENGTH_DELIMITED);
    this.reserve(1);
    const start = this.pos++;
    write(this);
    const length = this.pos - start - 1;
    const extra = varintSize(length) - 1;
    if (extra > 0) {
      this.reserve(extra);
      this.buffer.copyWithin(start + 1 + extra, start + 1, this.pos);
      this.pos += extra;
    }
    const end = this.pos;
    this.pos = start;
    this.varint(length);
    this.pos = end;
  }

  /** The bytes written (a view of the writer's buffer, not a copy). */
  finish(): Uint8Array {
    return this.buffer.subarray(0, this.pos);
  }
}

export const hex = (id: string) => Buffer.from(id, "hex");
const DOUBLES: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, "-Infinity": Number.NEGATIVE_INFINITY };

function anyValue(w: Writer, value: OtlpAnyValue): void {
  if ("stringValue" in value) w.string(1, value.stringValue);
  else if ("boolValue" in value) w.bool(2, value.boolValue);
  else if ("intValue" in value) w.int64(3, BigInt(value.intValue));
  else if ("doubleValue" in value)
    w.double(4, typeof value.doubleValue === "number" ? value.doubleValue : (DOUBLES[value.doubleValue] ?? Number.NaN));
  else if ("arrayValue" in value) w.message(5, (a) => value.arrayValue.values.forEach((v) => a.message(1, (e) => anyValue(e, v))));
  else if ("kvlistValue" in value) w.message(6, (l) => keyValues(l, 1, value.kvlistValue.values));
  else if ("bytesValue" in value) w.bytes(7, Buffer.from(value.bytesValue, "base64"));
}

export function keyValues(w: Writer, field: number, attributes: readonly OtlpKeyValue[]): void {
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
