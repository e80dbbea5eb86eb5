// ReadableSpans → one ExportTraceServiceRequest in the OTLP/JSON form (hex ids, decimal-string
// int64s, integer enums), the single shape both encodings start from: JSON.stringify gives the JSON
// body and the spans.jsonl line, src/export/otlp-protobuf.ts the protobuf body. The SDK's own
// serializers are not used because they change values: an int64 beyond 2^53 is rounded (a bigint is
// dropped), and NaN/±Infinity become JSON `null`. Here a bigint is exact and non-finite doubles are
// the protobuf-JSON strings "NaN", "Infinity", "-Infinity". Layout as the SDK's: one resourceSpans per
// resource object, one scopeSpans per scope, flags = trace flags + "has is_remote".
import type { HrTime, SpanContext } from "@opentelemetry/api";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { kindToOtlp } from "../spans/vocabulary.js";

export type OtlpAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number | "NaN" | "Infinity" | "-Infinity" }
  | { bytesValue: string }
  | { arrayValue: { values: OtlpAnyValue[] } }
  | { kvlistValue: { values: OtlpKeyValue[] } }
  | Record<string, never>;
export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}
export interface OtlpEvent {
  timeUnixNano: string;
  name: string;
  attributes: OtlpKeyValue[];
  droppedAttributesCount: number;
}
export interface OtlpLink {
  traceId: string;
  spanId: string;
  traceState?: string;
  attributes: OtlpKeyValue[];
  droppedAttributesCount: number;
  flags: number;
}
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  traceState?: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  droppedAttributesCount: number;
  events: OtlpEvent[];
  droppedEventsCount: number;
  links: OtlpLink[];
  droppedLinksCount: number;
  status: { message?: string; code: number };
  flags: number;
}
export interface OtlpScope {
  name: string;
  version?: string;
}
export interface OtlpScopeSpans {
  scope: OtlpScope;
  spans: OtlpSpan[];
}
export interface OtlpResourceSpans {
  resource: { attributes: OtlpKeyValue[]; droppedAttributesCount: number };
  scopeSpans: OtlpScopeSpans[];
}
export interface OtlpRequest {
  resourceSpans: OtlpResourceSpans[];
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const nonFinite = (n: number) => (Number.isNaN(n) ? "NaN" : n > 0 ? "Infinity" : "-Infinity");

/** One attribute value; `value` may hold a bigint (an exact int64) beside what the API's types allow. */
export function toAnyValue(value: unknown): OtlpAnyValue {
  if (typeof value === "string") return { stringValue: value };
  if (typeof value === "boolean") return { boolValue: value };
  if (typeof value === "bigint") {
    // Beyond int64 an intValue is refused by receivers: keep the digits as a string (ingest names it).
    return value < INT64_MIN || value > INT64_MAX ? { stringValue: value.toString() } : { intValue: value.toString() };
  }
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return { doubleValue: nonFinite(value) };
    if (Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63) return { intValue: BigInt(value).toString() };
    return { doubleValue: value };
  }
  if (value instanceof Uint8Array) return { bytesValue: Buffer.from(value).toString("base64") };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(toAnyValue) } };
  if (typeof value === "object" && value !== null)
    return { kvlistValue: { values: Object.entries(value).map(([key, v]) => ({ key, value: toAnyValue(v) })) } };
  return {};
}

export const toKeyValues = (attributes: Record<string, unknown> | undefined): OtlpKeyValue[] =>
  Object.entries(attributes ?? {}).map(([key, value]) => ({ key, value: toAnyValue(value) }));

const nanos = (time: HrTime) => (BigInt(Math.trunc(time[0])) * 1_000_000_000n + BigInt(Math.trunc(time[1]))).toString();
const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;
const flagsOf = (context: SpanContext, isRemote: boolean | undefined) =>
  (context.traceFlags & 0xff) | HAS_IS_REMOTE | (isRemote ? IS_REMOTE : 0);

function toOtlpSpan(span: ReadableSpan): OtlpSpan {
  const context = span.spanContext();
  const traceState = context.traceState?.serialize();
  return {
    traceId: context.traceId,
    spanId: context.spanId,
    ...(span.parentSpanContext?.spanId ? { parentSpanId: span.parentSpanContext.spanId } : {}),
    ...(traceState ? { traceState } : {}),
    name: span.name,
    kind: kindToOtlp(span.kind),
    startTimeUnixNano: nanos(span.startTime),
    endTimeUnixNano: nanos(span.endTime),
    attributes: toKeyValues(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount,
    events: span.events.map((event) => ({
      timeUnixNano: nanos(event.time),
      name: event.name,
      attributes: toKeyValues(event.attributes),
      droppedAttributesCount: event.droppedAttributesCount ?? 0,
    })),
    droppedEventsCount: span.droppedEventsCount,
    status: { ...(span.status.message ? { message: span.status.message } : {}), code: span.status.code },
    links: span.links.map((link) => {
      const linkState = link.context.traceState?.serialize();
      return {
        traceId: link.context.traceId,
        spanId: link.context.spanId,
        ...(linkState ? { traceState: linkState } : {}),
        attributes: toKeyValues(link.attributes),
        droppedAttributesCount: link.droppedAttributesCount ?? 0,
        flags: flagsOf(link.context, link.context.isRemote),
      };
    }),
    droppedLinksCount: span.droppedLinksCount,
    flags: flagsOf(context, span.parentSpanContext?.isRemote),
  };
}

export function toOtlpRequest(spans: readonly ReadableSpan[]): OtlpRequest {
  const byResource = new Map<ReadableSpan["resource"], Map<string, ReadableSpan[]>>();
  for (const span of spans) {
    const scopes = byResource.get(span.resource) ?? new Map<string, ReadableSpan[]>();
    byResource.set(span.resource, scopes);
    const scope = span.instrumentationScope;
    const key = JSON.stringify([scope.name, scope.version ?? "", scope.schemaUrl ?? ""]);
    const members = scopes.get(key);
    if (members) members.push(span);
    else scopes.set(key, [span]);
  }
  return {
    resourceSpans: [...byResource].map(([resource, scopes]) => ({
      resource: { attributes: toKeyValues(resource.attributes), droppedAttributesCount: 0 },
      scopeSpans: [...scopes.values()].map((members) => {
        const { name, version } = members[0]!.instrumentationScope;
        return { scope: { name, ...(version ? { version } : {}) }, spans: members.map(toOtlpSpan) };
      }),
    })),
  };
}
