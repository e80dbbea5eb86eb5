// OTLP JSON (one ExportTraceServiceRequest a line) → SpanData. Lenient about what receivers ignore,
// strict about what a span needs (ids, name, times): a line without them is reported, not guessed.
import type { AttributeValue, Attributes, SpanData } from "../spans/model.js";
import { SpanStatusCode } from "@opentelemetry/api";
import { isStatusCode, kindFromOtlp } from "../spans/vocabulary.js";

type Raw = Record<string, unknown>;
const list = (value: unknown): Raw[] => (Array.isArray(value) ? (value as Raw[]) : []);

function attributeValue(raw: unknown): AttributeValue | undefined {
  const value = (raw ?? {}) as Raw;
  if (typeof value.stringValue === "string") return value.stringValue;
  if (typeof value.boolValue === "boolean") return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.arrayValue !== undefined) {
    const values = list((value.arrayValue as Raw).values)
      .map(attributeValue)
      .filter((v) => v !== undefined);
    return values.map(String);
  }
  return undefined;
}

function parseAttributes(raw: unknown): Attributes {
  const out: Attributes = {};
  for (const entry of list(raw)) {
    const value = attributeValue(entry.value);
    if (typeof entry.key === "string" && value !== undefined) out[entry.key] = value;
  }
  return out;
}

// ids may come as hex (the OTLP JSON spec) or base64 (protobuf's generic JSON mapping).
function normalizeId(raw: unknown, length: number): string | undefined {
  if (typeof raw !== "string" || raw === "") return undefined;
  if (new RegExp(`^[0-9a-fA-F]{${length}}$`).test(raw)) return raw.toLowerCase();
  const bytes = Buffer.from(raw, "base64");
  return bytes.length * 2 === length ? bytes.toString("hex") : undefined;
}

const nanos = (raw: unknown): bigint | undefined => {
  try {
    return raw === undefined ? undefined : BigInt(String(raw));
  } catch (error) {
    if (error instanceof SyntaxError) return undefined; // not a whole number
    throw error;
  }
};

export interface ParsedLine {
  spans: SpanData[];
  problems: string[];
}

/** Parses one OTLP JSON line; bad spans are skipped with a `problem` naming why. */
export function parseOtlpJsonLine(line: string): ParsedLine {
  const problems: string[] = [];
  let request: Raw;
  try {
    request = JSON.parse(line) as Raw;
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return { spans: [], problems: [`not JSON: ${error.message}`] };
  }
  const spans: SpanData[] = [];
  for (const resourceSpans of list(request.resourceSpans)) {
    const resource = parseAttributes(((resourceSpans.resource ?? {}) as Raw).attributes);
    for (const scopeSpans of list(resourceSpans.scopeSpans ?? resourceSpans.instrumentationLibrarySpans)) {
      const rawScope = (scopeSpans.scope ?? scopeSpans.instrumentationLibrary ?? {}) as Raw;
      const scope = { name: String(rawScope.name ?? "unknown"), ...(rawScope.version ? { version: String(rawScope.version) } : {}) };
      for (const raw of list(scopeSpans.spans)) {
        const span = toSpan(raw, resource, scope);
        if (typeof span === "string") problems.push(span);
        else spans.push(span);
      }
    }
  }
  return { spans, problems };
}

function toSpan(raw: Raw, resource: Attributes, scope: SpanData["scope"]): SpanData | string {
  const traceId = normalizeId(raw.traceId, 32);
  const spanId = normalizeId(raw.spanId, 16);
  const startNs = nanos(raw.startTimeUnixNano);
  const endNs = nanos(raw.endTimeUnixNano) ?? startNs;
  const name = typeof raw.name === "string" ? raw.name : undefined;
  if (!traceId || !spanId || startNs === undefined || endNs === undefined || name === undefined) {
    return `span ${JSON.stringify(raw.name ?? "?")} lacks a valid traceId, spanId, name or startTimeUnixNano`;
  }
  const parentSpanId = normalizeId(raw.parentSpanId, 16);
  const status = (raw.status ?? {}) as Raw;
  const code = Number(status.code ?? SpanStatusCode.UNSET);
  return {
    traceId,
    spanId,
    ...(parentSpanId ? { parentSpanId } : {}),
    name,
    kind: kindFromOtlp(Number(raw.kind ?? 1)),
    startNs,
    endNs,
    attributes: parseAttributes(raw.attributes),
    events: list(raw.events).map((e) => ({
      name: String(e.name ?? ""),
      timeNs: nanos(e.timeUnixNano) ?? startNs,
      attributes: parseAttributes(e.attributes),
    })),
    links: list(raw.links).flatMap((l) => {
      const linkTrace = normalizeId(l.traceId, 32);
      const linkSpan = normalizeId(l.spanId, 16);
      return linkTrace && linkSpan ? [{ traceId: linkTrace, spanId: linkSpan, attributes: parseAttributes(l.attributes) }] : [];
    }),
    status: {
      code: isStatusCode(code) ? code : SpanStatusCode.UNSET,
      ...(typeof status.message === "string" && status.message ? { message: status.message } : {}),
    },
    resource,
    ...(scope ? { scope } : {}),
  };
}
