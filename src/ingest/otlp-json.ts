// OTLP JSON (one ExportTraceServiceRequest a line) → SpanData. Lenient about what receivers ignore,
// strict about what a span needs (ids, name, times): a line without them is reported, not guessed.
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import type { AttributeScalar, AttributeValue, Attributes, SpanData } from "../spans/model.js";
import { kindToOtlp } from "../spans/vocabulary.js";
import { checkSpan, type DecodedSpan } from "./otlp-checks.js";

type Raw = Record<string, unknown>;
const isObject = (value: unknown): value is Raw => typeof value === "object" && value !== null && !Array.isArray(value);

/** The objects of a JSON list; anything else in it (a `null` where an OTLP message belongs) is left out
 * and, when `problems` is given, named there. */
function list(value: unknown, what = "", problems?: string[]): Raw[] {
  if (!Array.isArray(value)) return [];
  value.forEach((element: unknown, index) => {
    if (!isObject(element)) problems?.push(`${what}[${index}] is ${JSON.stringify(element)?.slice(0, 40)}, not an object; left out`);
  });
  return value.filter(isObject);
}

// The protobuf JSON mapping: an int64 is a decimal string (or a number), a double a number or one of
// "NaN", "Infinity", "-Infinity", an enum its integer or its name.
const INTEGER = /^-?[0-9]+$/;
const DOUBLE_NAMES: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, "-Infinity": Number.NEGATIVE_INFINITY };

/** An int64 as a number when it is safe to, else as an exact bigint (range checked in otlp-checks.ts). */
function int64Of(raw: unknown): number | bigint | undefined {
  if (typeof raw === "number") return Number.isInteger(raw) ? raw : undefined;
  if (typeof raw !== "string" || !INTEGER.test(raw)) return undefined;
  const value = BigInt(raw);
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

function doubleOf(raw: unknown): number | undefined {
  if (typeof raw === "number") return raw;
  if (typeof raw !== "string") return undefined;
  if (raw in DOUBLE_NAMES) return DOUBLE_NAMES[raw];
  return raw.trim() !== "" && Number.isFinite(Number(raw)) ? Number(raw) : undefined;
}

function scalarValue(value: Raw): AttributeScalar | undefined {
  if (typeof value.stringValue === "string") return value.stringValue;
  if (typeof value.boolValue === "boolean") return value.boolValue;
  if (value.intValue !== undefined) return int64Of(value.intValue);
  if (value.doubleValue !== undefined) return doubleOf(value.doubleValue);
  return undefined;
}

function attributeValue(raw: unknown): AttributeValue | undefined {
  const value = (raw ?? {}) as Raw;
  if (value.arrayValue === undefined) return scalarValue(value);
  const elements: unknown = isObject(value.arrayValue) ? value.arrayValue.values : undefined;
  if (!Array.isArray(elements) || !elements.every(isObject)) return undefined;
  const values = elements.map(scalarValue);
  return values.every((v) => v !== undefined) ? values : undefined;
}

/** Reads attributes; one that nixotel cannot carry (a kvlistValue, bytesValue, nested array, or a
 * value its type does not hold) is left out and named in `problems`. */
function parseAttributes(raw: unknown, problems: string[] = []): Attributes {
  const out: Attributes = {};
  for (const entry of list(raw, "attributes", problems)) {
    if (typeof entry.key !== "string") continue;
    const value = attributeValue(entry.value);
    if (value !== undefined) out[entry.key] = value;
    else
      problems.push(
        `attribute ${JSON.stringify(entry.key)} left out: ${JSON.stringify(entry.value ?? null).slice(0, 120)} is not a value nixotel carries`,
      );
  }
  return out;
}

/** An enum written as its integer or, as the protobuf JSON mapping allows, its name; NaN when neither. */
function enumOf(raw: unknown, names: Record<string, number>, missing: number): number {
  if (raw === undefined || raw === null) return missing;
  if (typeof raw === "number") return Number.isInteger(raw) ? raw : Number.NaN;
  if (typeof raw === "string") return names[raw] ?? (INTEGER.test(raw) ? Number(raw) : Number.NaN);
  return Number.NaN;
}

const KIND_NAMES: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: kindToOtlp(SpanKind.INTERNAL),
  SPAN_KIND_SERVER: kindToOtlp(SpanKind.SERVER),
  SPAN_KIND_CLIENT: kindToOtlp(SpanKind.CLIENT),
  SPAN_KIND_PRODUCER: kindToOtlp(SpanKind.PRODUCER),
  SPAN_KIND_CONSUMER: kindToOtlp(SpanKind.CONSUMER),
};
const STATUS_NAMES: Record<string, number> = {
  STATUS_CODE_UNSET: SpanStatusCode.UNSET,
  STATUS_CODE_OK: SpanStatusCode.OK,
  STATUS_CODE_ERROR: SpanStatusCode.ERROR,
};

// ids may come as hex (the OTLP JSON spec) or base64 (protobuf's generic JSON mapping).
function normalizeId(raw: unknown, length: number): string | undefined {
  if (typeof raw !== "string" || raw === "") return undefined;
  if (new RegExp(`^[0-9a-fA-F]{${length}}$`).test(raw)) return raw.toLowerCase();
  const bytes = Buffer.from(raw, "base64");
  return bytes.length * 2 === length ? bytes.toString("hex") : undefined;
}

const UINT64_MAX = 2n ** 64n - 1n;

/** A time in unix nanoseconds: OTLP's fixed64, so a whole number from 0 to 2^64 - 1; else undefined. */
const nanos = (raw: unknown): bigint | undefined => {
  try {
    if (typeof raw !== "string" && typeof raw !== "number") return undefined;
    const value = BigInt(raw);
    return value >= 0n && value <= UINT64_MAX ? value : undefined;
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
  let request: unknown;
  try {
    request = JSON.parse(line);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return { spans: [], problems: [`not JSON: ${error.message}`] };
  }
  if (!isObject(request)) return { spans: [], problems: [`not an OTLP request object but ${JSON.stringify(request).slice(0, 40)}`] };
  const spans: SpanData[] = [];
  for (const resourceSpans of list(request.resourceSpans, "resourceSpans", problems)) {
    const resourceProblems: string[] = [];
    const resource = parseAttributes(((resourceSpans.resource ?? {}) as Raw).attributes, resourceProblems);
    problems.push(...resourceProblems.map((p) => `resource: ${p}`));
    for (const scopeSpans of list(resourceSpans.scopeSpans ?? resourceSpans.instrumentationLibrarySpans, "scopeSpans", problems)) {
      const rawScope = (scopeSpans.scope ?? scopeSpans.instrumentationLibrary ?? {}) as Raw;
      const scope = { name: String(rawScope.name ?? "unknown"), ...(rawScope.version ? { version: String(rawScope.version) } : {}) };
      for (const raw of list(scopeSpans.spans, "spans", problems)) {
        const span = toSpan(raw, resource, scope);
        if (typeof span === "string") {
          problems.push(span);
          continue;
        }
        const checked = checkSpan(span.span, raw);
        spans.push(checked.span);
        for (const problem of [...span.problems, ...checked.problems]) {
          // A resource's problem repeats on each of its spans: name it once.
          const named = problem.startsWith("resource: ") ? problem : `span ${JSON.stringify(span.span.name)}: ${problem}`;
          if (!problems.includes(named)) problems.push(named);
        }
      }
    }
  }
  return { spans, problems };
}

function toSpan(raw: Raw, resource: Attributes, scope: SpanData["scope"]): { span: DecodedSpan; problems: string[] } | string {
  const traceId = normalizeId(raw.traceId, 32);
  const spanId = normalizeId(raw.spanId, 16);
  const startNs = nanos(raw.startTimeUnixNano);
  const endNs = raw.endTimeUnixNano === undefined || raw.endTimeUnixNano === null ? startNs : nanos(raw.endTimeUnixNano);
  const name = typeof raw.name === "string" ? raw.name : undefined;
  if (!traceId || !spanId || startNs === undefined || endNs === undefined || name === undefined) {
    const fields = { traceId, spanId, name, startTimeUnixNano: startNs, endTimeUnixNano: endNs };
    const bad = Object.entries(fields).filter(([, value]) => value === undefined || value === "");
    const expected = "ids of 32 and 16 hex digits, a name, times as unsigned 64-bit nanoseconds";
    return `span ${JSON.stringify(raw.name ?? "?")}: no valid ${bad.map(([key]) => key).join(", ")} (expected ${expected}); left out`;
  }
  const problems: string[] = [];
  const parentSpanId = normalizeId(raw.parentSpanId, 16);
  const status = (raw.status ?? {}) as Raw;
  const span: DecodedSpan = {
    traceId,
    spanId,
    ...(parentSpanId ? { parentSpanId } : {}),
    name,
    otlpKind: enumOf(raw.kind, KIND_NAMES, kindToOtlp(SpanKind.INTERNAL)),
    startNs,
    endNs,
    attributes: parseAttributes(raw.attributes, problems),
    events: list(raw.events, "events", problems).map((e) => ({
      name: String(e.name ?? ""),
      timeNs: nanos(e.timeUnixNano) ?? startNs,
      attributes: parseAttributes(e.attributes, problems),
    })),
    links: list(raw.links, "links", problems).flatMap((l) => {
      const linkTrace = normalizeId(l.traceId, 32);
      const linkSpan = normalizeId(l.spanId, 16);
      return linkTrace && linkSpan ? [{ traceId: linkTrace, spanId: linkSpan, attributes: parseAttributes(l.attributes, problems) }] : [];
    }),
    status: {
      code: enumOf(status.code, STATUS_NAMES, SpanStatusCode.UNSET),
      ...(typeof status.message === "string" && status.message ? { message: status.message } : {}),
    },
    resource,
    ...(scope ? { scope } : {}),
  };
  return { span, problems };
}
