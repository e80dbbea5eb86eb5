// Values a test wrote, read from OTLP JSON and written again (spans.jsonl, http/json, http/protobuf):
// int64 exact, the protobuf-JSON doubles and enum names understood, broken spans repaired and named.
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { describe, expect, test } from "vitest";
import { toOtlpJsonLine } from "../../src/export/otlp-lines.js";
import { toReadableSpans } from "../../src/export/readable.js";
import { parseOtlpJsonLine } from "../../src/ingest/otlp-json.js";
import { kindToOtlp } from "../../src/spans/vocabulary.js";

const line = (span: Record<string, unknown>, resource: unknown[] = []) =>
  JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: resource },
        scopeSpans: [
          {
            scope: { name: "t" },
            spans: [
              { traceId: "a".repeat(32), spanId: "b".repeat(16), name: "s", startTimeUnixNano: "100", endTimeUnixNano: "200", ...span },
            ],
          },
        ],
      },
    ],
  });
const kv = (key: string, value: unknown) => ({ key, value });

const HOSTILE_VALUES = [
  kv("big", { intValue: "9007199254740993" }),
  kv("min", { intValue: "-9223372036854775808" }),
  kv("small", { intValue: 7 }),
  kv("nan", { doubleValue: "NaN" }),
  kv("inf", { doubleValue: "Infinity" }),
  kv("-inf", { doubleValue: "-Infinity" }),
  kv("half", { doubleValue: 0.5 }),
  kv("list", { arrayValue: { values: [{ intValue: "9007199254740993" }, { boolValue: true }, { stringValue: "x" }] } }),
];

describe("reading", () => {
  test("int64 beyond 2^53 as an exact bigint, the protobuf-JSON doubles, enum names", () => {
    const parsed = parseOtlpJsonLine(
      line({ attributes: HOSTILE_VALUES, kind: "SPAN_KIND_SERVER", status: { code: "STATUS_CODE_ERROR", message: "m" } }),
    );
    expect(parsed.problems).toEqual([]);
    const [span] = parsed.spans;
    expect(span?.attributes).toEqual({
      big: 9007199254740993n,
      min: -9223372036854775808n,
      small: 7,
      nan: Number.NaN,
      inf: Number.POSITIVE_INFINITY,
      "-inf": Number.NEGATIVE_INFINITY,
      half: 0.5,
      list: [9007199254740993n, true, "x"],
    });
    expect(span?.kind).toBe(SpanKind.SERVER);
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: "m" });
  });

  test("kind and status outside their enums, an end before the start, a self-parent: repaired and named", () => {
    const parsed = parseOtlpJsonLine(
      line({ kind: 7, status: { code: 9 }, startTimeUnixNano: "300", endTimeUnixNano: "200", parentSpanId: "b".repeat(16) }),
    );
    expect(parsed.spans[0]).toMatchObject({
      kind: SpanKind.INTERNAL,
      status: { code: SpanStatusCode.UNSET },
      startNs: 300n,
      endNs: 300n,
    });
    expect(parsed.spans[0]?.parentSpanId).toBeUndefined();
    expect(parsed.problems).toEqual([
      'span "s": kind 7 is not a SpanKind, passed on as SPAN_KIND_INTERNAL',
      'span "s": status code 9 is not a StatusCode, passed on as STATUS_CODE_UNSET',
      'span "s": ends before it starts (endTimeUnixNano 200 < startTimeUnixNano 300), passed on ending at its start',
      `span "s": is its own parent (parentSpanId = spanId ${"b".repeat(16)}), passed on without that parent`,
    ]);
  });

  test("an unknown enum name and an int beyond int64 are named; values nixotel cannot carry are named, not lost silently", () => {
    const attributes = [
      kv("huge", { intValue: String(2n ** 70n) }),
      kv("map", { kvlistValue: { values: [] } }),
      kv("bad", { intValue: "1.5" }),
    ];
    const resource = [kv("r", { intValue: String(-(2n ** 64n)) })];
    const parsed = parseOtlpJsonLine(line({ kind: "SPAN_KIND_SIDEWAYS", attributes }, resource));
    expect(parsed.spans[0]?.attributes).toEqual({ huge: String(2n ** 70n) });
    expect(parsed.spans[0]?.resource).toEqual({ r: String(-(2n ** 64n)) });
    expect(parsed.problems).toEqual([
      'span "s": attribute "map" left out: {"kvlistValue":{"values":[]}} is not a value nixotel carries',
      'span "s": attribute "bad" left out: {"intValue":"1.5"} is not a value nixotel carries',
      'span "s": kind "SPAN_KIND_SIDEWAYS" is not a SpanKind, passed on as SPAN_KIND_INTERNAL',
      `span "s": attribute "huge": ${2n ** 70n} is beyond int64, passed on as a string`,
      `resource: attribute "r": ${-(2n ** 64n)} is beyond int64, passed on as a string`,
    ]);
  });
});

describe("writing", () => {
  test("the JSON line keeps every value exact, enums as integers", () => {
    const [span] = parseOtlpJsonLine(
      line({ attributes: HOSTILE_VALUES, kind: "SPAN_KIND_SERVER", status: { code: "STATUS_CODE_ERROR" } }),
    ).spans;
    const written = JSON.parse(toOtlpJsonLine(toReadableSpans([span!], {}))) as {
      resourceSpans: { scopeSpans: { spans: { kind: number; status: { code: number }; attributes: unknown[] }[] }[] }[];
    };
    const out = written.resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    expect(out.kind).toBe(kindToOtlp(SpanKind.SERVER));
    expect(out.status.code).toBe(SpanStatusCode.ERROR);
    expect(out.attributes).toEqual([
      kv("big", { intValue: "9007199254740993" }),
      kv("min", { intValue: "-9223372036854775808" }),
      kv("small", { intValue: "7" }),
      kv("nan", { doubleValue: "NaN" }),
      kv("inf", { doubleValue: "Infinity" }),
      kv("-inf", { doubleValue: "-Infinity" }),
      kv("half", { doubleValue: 0.5 }),
      kv("list", { arrayValue: { values: [{ intValue: "9007199254740993" }, { boolValue: true }, { stringValue: "x" }] } }),
    ]);
  });

  test("what was written reads back to the same values", () => {
    const [span] = parseOtlpJsonLine(line({ attributes: HOSTILE_VALUES })).spans;
    const again = parseOtlpJsonLine(toOtlpJsonLine(toReadableSpans([span!], {})));
    expect(again.problems).toEqual([]);
    expect(again.spans[0]?.attributes).toEqual(span?.attributes);
  });
});
