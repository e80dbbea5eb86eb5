// Reading traces back: OTLP JSON lines (files, http/json bodies) and OTLP protobuf bodies.
import { readFile } from "node:fs/promises";
import { parseOtlpJsonLine } from "../../../src/ingest/otlp-json.js";
import type { SpanData } from "../../../src/spans/model.js";

export async function readSpansFile(path: string): Promise<SpanData[]> {
  const text = await readFile(path, "utf8");
  return text
    .split("\n")
    .filter(Boolean)
    .flatMap((line) => parseOtlpJsonLine(line).spans);
}

export const spansOfJsonBody = (body: Buffer) => parseOtlpJsonLine(body.toString("utf8")).spans;

// A minimal protobuf reader, enough for ExportTraceServiceRequest → ResourceSpans(1) →
// ScopeSpans(2) → Span(2) with trace_id(1), span_id(2), parent_span_id(4), name(5).
function* fields(buffer: Buffer): Generator<{ field: number; bytes?: Buffer }> {
  let offset = 0;
  const varint = () => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buffer[offset++] ?? 0;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (offset < buffer.length) {
    const key = Number(varint());
    const field = key >> 3;
    switch (key & 7) {
      case 0:
        varint();
        yield { field };
        break;
      case 1:
        offset += 8;
        yield { field };
        break;
      case 2: {
        const length = Number(varint());
        yield { field, bytes: buffer.subarray(offset, offset + length) };
        offset += length;
        break;
      }
      case 5:
        offset += 4;
        yield { field };
        break;
      default:
        throw new Error(`unsupported wire type ${key & 7}`);
    }
  }
}

export interface ProtoSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
}

export function spansOfProtobufBody(body: Buffer): ProtoSpan[] {
  const spans: ProtoSpan[] = [];
  for (const resourceSpans of fields(body)) {
    if (resourceSpans.field !== 1 || !resourceSpans.bytes) continue;
    for (const scopeSpans of fields(resourceSpans.bytes)) {
      if (scopeSpans.field !== 2 || !scopeSpans.bytes) continue;
      for (const rawSpan of fields(scopeSpans.bytes)) {
        if (rawSpan.field !== 2 || !rawSpan.bytes) continue;
        const span: ProtoSpan = { traceId: "", spanId: "", name: "" };
        for (const f of fields(rawSpan.bytes)) {
          if (!f.bytes) continue;
          if (f.field === 1) span.traceId = f.bytes.toString("hex");
          if (f.field === 2) span.spanId = f.bytes.toString("hex");
          if (f.field === 4 && f.bytes.length) span.parentSpanId = f.bytes.toString("hex");
          if (f.field === 5) span.name = f.bytes.toString("utf8");
        }
        spans.push(span);
      }
    }
  }
  return spans;
}
