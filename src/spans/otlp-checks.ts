// The rules a span read from OTLP JSON must meet before nixotel passes it on, in one place: what breaks
// one is repaired and named (the names end up in the check's ingest problems, see ingest.ts), never
// passed on silently and never a reason to drop the span.
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type { Attributes, SpanData } from "./model.js";

type Raw = Record<string, unknown>;

const OTLP_KINDS = new Set([
  0,
  ...[SpanKind.INTERNAL, SpanKind.SERVER, SpanKind.CLIENT, SpanKind.PRODUCER, SpanKind.CONSUMER].map((k) => k + 1),
]);
const STATUS_CODES = new Set<number>([SpanStatusCode.UNSET, SpanStatusCode.OK, SpanStatusCode.ERROR]);
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const shown = (raw: unknown) => JSON.stringify(raw ?? null);
const outsideInt64 = (value: unknown) => typeof value === "bigint" && (value < INT64_MIN || value > INT64_MAX);

/** Integers beyond int64 (no receiver takes them as intValue) become their digits as a string. */
function repairAttributes(attributes: Attributes, where: string, problems: string[]): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    const beyond = Array.isArray(value) ? value.some(outsideInt64) : outsideInt64(value);
    if (beyond) problems.push(`${where}attribute ${JSON.stringify(key)}: ${String(value)} is beyond int64, passed on as a string`);
    out[key] = !beyond ? value : Array.isArray(value) ? value.map((v) => (outsideInt64(v) ? String(v) : v)) : String(value);
  }
  return out;
}

/** Checks one span read from `raw`; returns it repaired where it broke a rule, and one message per repair. */
export function checkSpan(span: SpanData, raw: Raw): { span: SpanData; problems: string[] } {
  const problems: string[] = [];
  let { kind, endNs, parentSpanId } = span;
  if (!OTLP_KINDS.has(kind)) {
    problems.push(`kind ${shown(raw.kind)} is not a SpanKind, passed on as SPAN_KIND_INTERNAL`);
    kind = SpanKind.INTERNAL + 1;
  }
  let status = span.status;
  if (!STATUS_CODES.has(status.code)) {
    problems.push(`status code ${shown((raw.status as Raw | undefined)?.code)} is not a StatusCode, passed on as STATUS_CODE_UNSET`);
    status = { ...status, code: SpanStatusCode.UNSET };
  }
  if (endNs < span.startNs) {
    problems.push(`ends before it starts (endTimeUnixNano ${endNs} < startTimeUnixNano ${span.startNs}), passed on ending at its start`);
    endNs = span.startNs;
  }
  if (parentSpanId === span.spanId) {
    problems.push(`is its own parent (parentSpanId = spanId ${span.spanId}), passed on without that parent`);
    parentSpanId = undefined;
  }
  const { parentSpanId: _dropped, ...rest } = span;
  return {
    span: {
      ...rest,
      ...(parentSpanId ? { parentSpanId } : {}),
      kind,
      endNs,
      status,
      attributes: repairAttributes(span.attributes, "", problems),
      events: span.events.map((e) => ({ ...e, attributes: repairAttributes(e.attributes, `event ${JSON.stringify(e.name)}: `, problems) })),
      links: span.links.map((l) => ({ ...l, attributes: repairAttributes(l.attributes, "link: ", problems) })),
      ...(span.resource ? { resource: repairAttributes(span.resource, "resource: ", problems) } : {}),
    },
    problems,
  };
}
