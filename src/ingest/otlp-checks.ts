// The rules a span read from OTLP JSON must meet before nixotel passes it on, in one place: what breaks
// one is repaired and named (the names end up in the check's ingest problems, see ingest.ts), never
// passed on silently and never a reason to drop the span.
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type { Attributes, SpanData } from "../spans/model.js";
import { OTLP_KIND_MAX, isStatusCode, kindFromOtlp } from "../spans/vocabulary.js";

type Raw = Record<string, unknown>;

/** A span as read, before the checks: its kind still OTLP's number, its status code any number. */
export type DecodedSpan = Omit<SpanData, "kind" | "status"> & { otlpKind: number; status: { code: number; message?: string } };

// SPAN_KIND_UNSPECIFIED (0) is valid OTLP; the API has no such kind and the spec lets it be read as INTERNAL.
const isOtlpKind = (kind: number) => Number.isInteger(kind) && kind >= 0 && kind <= OTLP_KIND_MAX;
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
export function checkSpan(decoded: DecodedSpan, raw: Raw): { span: SpanData; problems: string[] } {
  const problems: string[] = [];
  const { otlpKind, status, parentSpanId, ...span } = decoded;
  let kind = kindFromOtlp(otlpKind);
  if (!isOtlpKind(otlpKind)) {
    problems.push(`kind ${shown(raw.kind)} is not a SpanKind, passed on as SPAN_KIND_INTERNAL`);
    kind = SpanKind.INTERNAL;
  }
  let code = SpanStatusCode.UNSET;
  if (isStatusCode(status.code)) code = status.code;
  else problems.push(`status code ${shown((raw.status as Raw | undefined)?.code)} is not a StatusCode, passed on as STATUS_CODE_UNSET`);
  let endNs = span.endNs;
  if (endNs < span.startNs) {
    problems.push(`ends before it starts (endTimeUnixNano ${endNs} < startTimeUnixNano ${span.startNs}), passed on ending at its start`);
    endNs = span.startNs;
  }
  const selfParent = parentSpanId === span.spanId;
  if (selfParent) problems.push(`is its own parent (parentSpanId = spanId ${span.spanId}), passed on without that parent`);
  return {
    span: {
      ...span,
      ...(parentSpanId && !selfParent ? { parentSpanId } : {}),
      kind,
      endNs,
      status: { ...status, code },
      attributes: repairAttributes(span.attributes, "", problems),
      events: span.events.map((e) => ({ ...e, attributes: repairAttributes(e.attributes, `event ${JSON.stringify(e.name)}: `, problems) })),
      links: span.links.map((l) => ({ ...l, attributes: repairAttributes(l.attributes, "link: ", problems) })),
      ...(span.resource ? { resource: repairAttributes(span.resource, "resource: ", problems) } : {}),
    },
    problems,
  };
}
