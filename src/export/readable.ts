// SpanData → the SDK's ReadableSpan, the one shape every OTel serializer and exporter accepts.
import type { HrTime, SpanContext } from "@opentelemetry/api";
import { resourceFromAttributes, type Resource } from "@opentelemetry/resources";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { SCOPE, type Attributes, type SpanData } from "../spans/model.js";

const hrTime = (ns: bigint): HrTime => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
const context = (traceId: string, spanId: string): SpanContext => ({ traceId, spanId, traceFlags: 1 });

/** Converts spans; spans without their own resource get `runResource`. Equal resources are shared
 * (serializers group spans by resource object). */
export function toReadableSpans(spans: readonly SpanData[], runResource: Attributes): ReadableSpan[] {
  const resources = new Map<string, Resource>();
  const resourceOf = (attributes: Attributes) => {
    const key = JSON.stringify(Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b)));
    let resource = resources.get(key);
    if (!resource) resources.set(key, (resource = resourceFromAttributes(attributes)));
    return resource;
  };
  return spans.map((span) => ({
    name: span.name,
    kind: span.kind,
    spanContext: () => context(span.traceId, span.spanId),
    ...(span.parentSpanId ? { parentSpanContext: context(span.traceId, span.parentSpanId) } : {}),
    startTime: hrTime(span.startNs),
    endTime: hrTime(span.endNs),
    duration: hrTime(span.endNs - span.startNs),
    status: span.status,
    attributes: span.attributes,
    links: span.links.map((link) => ({ context: context(link.traceId, link.spanId), attributes: link.attributes })),
    events: span.events.map((event) => ({ name: event.name, time: hrTime(event.timeNs), attributes: event.attributes })),
    ended: true,
    resource: resourceOf(span.resource ?? runResource),
    instrumentationScope: span.scope ?? SCOPE,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  }));
}
