// The invariants every trace nixotel exports must hold, checked on spans decoded with the official
// OTLP definitions: id lengths, one trace, unique ids, parents inside the trace, start ≤ end, enums in range.
import { SpanStatusCode } from "@opentelemetry/api";
import { OTLP_KIND_MAX } from "../../../src/spans/vocabulary.js";
import type { OfficialSpan } from "./official-otlp.js";

const hex = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString("hex");

const STATUS_CODES = new Set<number>([SpanStatusCode.UNSET, SpanStatusCode.OK, SpanStatusCode.ERROR]);

/** Every violation, as `span "name": why`; empty when the trace holds them all. */
export function traceViolations(spans: readonly OfficialSpan[]): string[] {
  const problems: string[] = [];
  const ids = new Set(spans.map((s) => hex(s.spanId)));
  const traces = new Set(spans.map((s) => hex(s.traceId)));
  if (traces.size !== 1) problems.push(`${traces.size} trace ids, expected one`);
  if (ids.size !== spans.length) problems.push(`${spans.length - ids.size} span id(s) used twice`);
  for (const span of spans) {
    const say = (why: string) => problems.push(`span ${JSON.stringify(span.name)}: ${why}`);
    if (span.traceId.length !== 16 || /^0+$/.test(hex(span.traceId))) say(`trace id ${hex(span.traceId)} is not 16 bytes, not all zero`);
    if (span.spanId.length !== 8 || /^0+$/.test(hex(span.spanId))) say(`span id ${hex(span.spanId)} is not 8 bytes, not all zero`);
    const parent = hex(span.parentSpanId);
    if (parent && !ids.has(parent)) say(`parent ${parent} is not in the trace`);
    if (parent === hex(span.spanId)) say("is its own parent");
    if (BigInt(String(span.startTimeUnixNano)) > BigInt(String(span.endTimeUnixNano))) say("ends before it starts");
    if (!Number.isInteger(span.kind ?? 0) || (span.kind ?? 0) < 0 || (span.kind ?? 0) > OTLP_KIND_MAX)
      say(`kind ${span.kind} is not a SpanKind`);
    if (!STATUS_CODES.has(span.status?.code ?? 0)) say(`status code ${span.status?.code} is not a StatusCode`);
  }
  const roots = spans.filter((s) => !hex(s.parentSpanId));
  if (spans.length && roots.length !== 1) problems.push(`${roots.length} root spans, expected one`);
  return problems;
}
