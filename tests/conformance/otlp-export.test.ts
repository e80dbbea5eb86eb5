// Conformance: nixotel's protobuf export decoded with the official OTLP definitions (byte-exact
// re-encoding, so no unknown or mistyped field), its JSON lines checked against the OTLP/JSON rules, and
// the trace invariants, for the recorded fixture runs and real runs of fixture flakes, one of them full
// of edge cases (tests/fixtures/flakes/edge-values).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { chunk } from "../../src/export/otlp-lines.js";
import { toReadableSpans } from "../../src/export/readable.js";
import { protobufSerializer } from "../../src/export/trace-exporter.js";
import { runRecord, type RunRecord } from "../../src/runs/record.js";
import { parseOtlpJsonLine } from "../../src/ingest/otlp-json.js";
import { kindToOtlp } from "../../src/spans/vocabulary.js";
import { FIXTURE_RUNS } from "../report/support/fixtures.js";
import { baseEnv, copyFixture, nixotel, type FlakeCopy } from "../runner/support/fixture.js";
import { startReceiver, type OtlpReceiver } from "../support/otlp-receiver.js";
import { decodeOfficial, plainValue, type OfficialSpan } from "./support/official-otlp.js";
import { jsonViolations } from "./support/otlp-json-rules.js";
import { traceViolations } from "./support/span-invariants.js";

const linesOf = async (file: string) => (await readFile(file, "utf8")).split("\n").filter(Boolean);

describe("recorded fixture runs, exported again", () => {
  test.each(["mixed"])("%s: decodes with the official definitions and holds the invariants", async (scenario) => {
    const spans = (await linesOf(join(FIXTURE_RUNS, scenario, "spans.jsonl"))).flatMap((l) => parseOtlpJsonLine(l).spans);
    expect(spans.length).toBeGreaterThan(0);
    const decoded = chunk(toReadableSpans(spans, {}), 7).flatMap((c) => decodeOfficial(protobufSerializer.serializeRequest(c)!));
    expect(decoded).toHaveLength(spans.length);
    expect(traceViolations(decoded)).toEqual([]);
  });
});

interface FlakeRun {
  flake: FlakeCopy;
  receiver: OtlpReceiver;
  spans: OfficialSpan[];
  record: RunRecord;
  jsonLines: string[];
}

async function runFlake(scenario: string): Promise<FlakeRun> {
  const flake = await copyFixture(scenario);
  const receiver = await startReceiver();
  const env = baseEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/protobuf" });
  await nixotel(["run", "--flake", flake.ref, "--out", "out"], { cwd: flake.dir, env });
  const runs = join(flake.dir, "out", "runs");
  const [id] = await readdir(runs);
  const record = runRecord.parse(JSON.parse(await readFile(join(runs, id!, "run.json"), "utf8")));
  const spans = receiver.requests.filter((r) => r.path === "/v1/traces").flatMap((r) => decodeOfficial(r.body));
  return { flake, receiver, spans, record, jsonLines: await linesOf(join(runs, id!, "spans.jsonl")) };
}

const runs = new Map<string, FlakeRun>();
beforeAll(async () => {
  for (const scenario of ["edge-values", "mixed"]) runs.set(scenario, await runFlake(scenario));
});
afterAll(async () => {
  for (const run of runs.values()) await Promise.all([run.receiver.close(), run.flake.remove()]);
});

describe.each(["edge-values", "mixed"])("a real run of the %s fixture flake", (scenario) => {
  test("the protobuf export decodes with the official definitions and holds the invariants", () => {
    const run = runs.get(scenario)!;
    expect(run.receiver.requests.length).toBeGreaterThan(0);
    expect(run.spans.length).toBeGreaterThan(run.record.checks.length);
    expect(traceViolations(run.spans)).toEqual([]);
  });

  test("spans.jsonl follows the OTLP/JSON rules", () => {
    const run = runs.get(scenario)!;
    for (const line of run.jsonLines) expect(jsonViolations(JSON.parse(line))).toEqual([]);
  });
});

describe("edge values on their way to the collector", () => {
  const span = (name: string) => {
    const found = runs.get("edge-values")!.spans.filter((s) => s.name === name);
    expect(found, name).toHaveLength(2); // one from $out/otel, one from the failing check's log
    return found[0]!;
  };
  const attributes = (s: OfficialSpan) => Object.fromEntries((s.attributes ?? []).map((a) => [a.key, plainValue(a.value)]));

  test("int64s exact, NaN and ±Infinity kept, enum names written as integers", () => {
    const edge = span("edge values");
    expect(attributes(edge)).toMatchObject({
      big: "9007199254740993",
      "int64.min": "-9223372036854775808",
      "int64.max": "9223372036854775807",
      "ratio.nan": Number.NaN,
      "ratio.inf": Number.POSITIVE_INFINITY,
      "ratio.-inf": Number.NEGATIVE_INFINITY,
      half: 0.5,
      text: '\u00e9\u2028"<&>',
      list: ["9007199254740993", false],
    });
    expect(attributes({ ...edge, attributes: edge.events?.[0]?.attributes })).toEqual({ n: "-9007199254740993" });
    expect(edge.kind).toBe(kindToOtlp(SpanKind.SERVER));
    expect(edge.status).toMatchObject({ code: SpanStatusCode.ERROR, message: "exact" });
    expect(span("parent elsewhere").kind).toBe(kindToOtlp(SpanKind.CLIENT));
    // Recorded at 2023 by a check built now: clamped into its check, and it says by how much (src/spans/tree.ts).
    expect(BigInt(String(span("edge values").startTimeUnixNano))).toBeGreaterThan(1700000000000000000n);
    expect(Number(attributes(edge)["nixotel.time.clamped_ms"])).toBeGreaterThan(0);
  });

  test("what breaks a rule is repaired, and named in the check's problems", () => {
    expect(span("kind out of range").kind).toBe(kindToOtlp(SpanKind.INTERNAL));
    expect(span("status out of range").status?.code ?? SpanStatusCode.UNSET).toBe(SpanStatusCode.UNSET);
    const ends = span("ends before it starts");
    expect(String(ends.endTimeUnixNano)).toBe(String(ends.startTimeUnixNano));
    expect(attributes(span("beyond int64"))).toMatchObject({ huge: String(2n ** 70n) });
    for (const check of runs.get("edge-values")!.record.checks) {
      expect(check.problems, check.name).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/:1: span "kind out of range": kind 7 is not a SpanKind, passed on as SPAN_KIND_INTERNAL$/),
          expect.stringMatching(/:1: span "status out of range": status code 9 is not a StatusCode/),
          expect.stringMatching(/:1: span "ends before it starts": ends before it starts/),
          expect.stringMatching(/:1: span "its own parent": is its own parent/),
          expect.stringMatching(/:1: span "beyond int64": attribute "huge": 1180591620717411303424 is beyond int64/),
          expect.stringMatching(/:2: span "kind out of range": kind 7/), // the same span, written again
        ]),
      );
      expect(check.problems).toHaveLength(6);
    }
  });

  test("the span written twice and the spans of both checks end up with unique ids in one trace", () => {
    const run = runs.get("edge-values")!;
    expect(run.spans.filter((s) => s.name === "kind out of range")).toHaveLength(2);
    expect(run.spans.filter((s) => s.name === "base64 ids")).toHaveLength(2);
  });
});
