// Where the trace goes: the run folder only, a collector over http/protobuf or http/json, and the
// spool when the collector is away or busy, emptied by `nixotel flush`.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, test } from "vitest";
import { exportSpans, writeSpans } from "../../src/export/export-run.js";
import { CHUNK_SIZE } from "../../src/export/otlp-lines.js";
import { runPaths } from "../../src/runs/files.js";
import { runRecord } from "../../src/runs/record.js";
import { manySpans, otlpJson, quietContext } from "./support/export.js";
import { startReceiver, type OtlpReceiver } from "../support/otlp-receiver.js";
import { useFixtureAndReceiver } from "./support/fixture-and-receiver.js";
import { baseEnv, nixotel, type FlakeCopy } from "./support/fixture.js";
import { newestRun } from "./support/runs.js";
import { readSpansFile, spansOfJsonBody, spansOfProtobufBody } from "./support/trace.js";

let flake: FlakeCopy;
let receiver: OtlpReceiver;
useFixtureAndReceiver("mixed", (copy, started) => ([flake, receiver] = [copy, started]));

test("with no endpoint the whole trace is in .nixotel/runs/<id>/spans.jsonl", async () => {
  const result = await nixotel(["run", "pass", "--flake", flake.ref], { cwd: flake.dir, env: baseEnv() });
  expect(result.code, result.stderr).toBe(0);
  const { dir, record } = await newestRun(join(flake.dir, ".nixotel"));
  expect(record.export).toMatchObject({ endpoint: null, delivered: false, spooled: 0 });
  const spans = await readSpansFile(join(dir, "spans.jsonl"));
  expect(spans.length).toBe(record.export.spans);
  expect(spans.map((s) => s.name)).toEqual(expect.arrayContaining(["nixotel run", "test.nixos-tests.pass", "curl localhost"]));
  expect(receiver.requests).toEqual([]);
});

test("http/protobuf (the default protocol) delivers every span of the run, with headers", async () => {
  const result = await nixotel(["run", "pass", "--flake", flake.ref, "--out", "proto-out"], {
    cwd: flake.dir,
    env: baseEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/custom/traces`, OTEL_EXPORTER_OTLP_HEADERS: "x-team=ci%20bots" }),
  });
  expect(result.code, result.stderr).toBe(0);
  // Two requests: the check's spans as it settled, then the run's own (the run span last).
  expect(receiver.requests.map((r) => [r.path, r.headers["content-type"], r.headers["x-team"]])).toEqual([
    ["/custom/traces", "application/x-protobuf", "ci bots"],
    ["/custom/traces", "application/x-protobuf", "ci bots"],
  ]);
  expect(spansOfProtobufBody(receiver.requests[0]!.body).map((s) => s.name)).toContain("test.nixos-tests.pass");
  expect(spansOfProtobufBody(receiver.requests[1]!.body).at(-1)?.name).toBe("nixotel run");
  const sent = receiver.requests.flatMap((r) => spansOfProtobufBody(r.body));
  const { dir, record } = await newestRun(join(flake.dir, "proto-out"));
  const written = await readSpansFile(join(dir, "spans.jsonl"));
  expect(sent.map((s) => s.spanId).sort()).toEqual(written.map((s) => s.spanId).sort());
  expect(new Set(sent.map((s) => s.traceId))).toEqual(new Set([record.traceId]));
});

test("a 503 is retried and then accepted: nothing spooled", async () => {
  receiver.queue({ kind: "answer", status: 503, headers: { "retry-after": "1" } });
  const result = await nixotel(["run", "pass", "--flake", flake.ref, "--out", "retry-out"], {
    cwd: flake.dir,
    env: baseEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_EXPORTER_OTLP_TIMEOUT: "5000",
      OTEL_LOGS_EXPORTER: "none", // these tests follow the spans; tests/runner/logs.test.ts the logs
    }),
  });
  expect(result.code, result.stderr).toBe(0);
  expect(receiver.requests).toHaveLength(3); // the check's batch (503, then again), the run's own
  expect(receiver.requests[1]!.receivedAt - receiver.requests[0]!.receivedAt).toBeGreaterThanOrEqual(900);
  const { record } = await newestRun(join(flake.dir, "retry-out"));
  expect(record.export).toMatchObject({ delivered: true, spooled: 0 });
});

test("collector down: spans are spooled; flush fails while it is away, then delivers them all", async () => {
  const down = await startReceiver();
  const downUrl = down.url;
  await down.close(); // nothing listens on this port now
  const out = "spool-out";
  const env = baseEnv({
    OTEL_EXPORTER_OTLP_ENDPOINT: downUrl,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    OTEL_EXPORTER_OTLP_TIMEOUT: "500",
    OTEL_LOGS_EXPORTER: "none",
  });
  const result = await nixotel(["run", "--flake", flake.ref, "--out", out], { cwd: flake.dir, env });
  expect(result.code).toBe(1); // the failing check, not the collector, decides the exit code
  expect(result.stdout).toContain("run `nixotel flush` later");
  const { dir, record } = await newestRun(join(flake.dir, out));
  expect(record.export).toMatchObject({ delivered: false, spooled: record.export.spans });
  const spooled = await readdir(join(dir, "spool"));
  expect(spooled).toEqual(["spans.jsonl"]);

  const still = await nixotel(["flush", "--out", out], { cwd: flake.dir, env });
  expect(still.code).toBe(1);
  expect(await readdir(join(dir, "spool"))).toEqual(["spans.jsonl"]);

  const flushed = await nixotel(["flush", "--out", out], { cwd: flake.dir, env: { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });
  expect(flushed.code, flushed.stderr).toBe(0);
  expect(flushed.stdout).toContain(`flushed ${record.export.spans} spans`);
  const delivered = receiver.requests.flatMap((r) =>
    JSON.parse(r.body.toString()).resourceSpans.flatMap((rs: { scopeSpans: { spans: { spanId: string }[] }[] }) =>
      rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.spanId)),
    ),
  );
  const written = await readSpansFile(join(dir, "spans.jsonl"));
  expect(delivered.sort()).toEqual(written.map((s) => s.spanId).sort());
  expect(await readdir(join(dir, "spool"))).toEqual([]);
  // run.json follows the flush: everything delivered now, to where it went.
  const after = runRecord.parse(JSON.parse(await readFile(join(dir, "run.json"), "utf8")));
  expect(after.export).toEqual({ ...record.export, endpoint: `${receiver.url}/v1/traces`, delivered: true, spooled: 0, error: undefined });
  expect((await nixotel(["flush", "--out", out], { cwd: flake.dir, env })).code).toBe(0);
});

test("a collector that refuses the data (HTTP 400) gets it once: kept in rejected.jsonl, reported, flush exits 0", async () => {
  const down = await startReceiver();
  const downUrl = down.url;
  await down.close();
  const out = "refused-out";
  const env = baseEnv({
    OTEL_EXPORTER_OTLP_ENDPOINT: downUrl,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    OTEL_EXPORTER_OTLP_TIMEOUT: "500",
    OTEL_LOGS_EXPORTER: "none",
  });
  await nixotel(["run", "pass", "--flake", flake.ref, "--out", out], { cwd: flake.dir, env });
  const { dir, record } = await newestRun(join(flake.dir, out));
  const spooledLine = await readFile(join(dir, "spool", "spans.jsonl"), "utf8");

  // One spooled request per batch (the check's, the run's own): both refused.
  const refusal = { kind: "answer", status: 400, body: '{"code":3,"message":"span name too long"}' } as const;
  receiver.queue(refusal, refusal);
  const live = { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url };
  const flushed = await nixotel(["flush", "--out", out], { cwd: flake.dir, env: live });
  expect(flushed.code, flushed.stdout).toBe(0);
  expect(receiver.requests).toHaveLength(2); // not retried
  expect(flushed.stdout).toContain(
    `${record.export.spans} refused by the collector for good (HTTP 400 Bad Request: {"code":3,"message":"span name too long"}), not retried: kept in ${join(dir, "rejected.jsonl")}`,
  );
  expect(await readdir(join(dir, "spool"))).toEqual([]);
  expect(await readFile(join(dir, "rejected.jsonl"), "utf8")).toBe(spooledLine);
  const after = runRecord.parse(JSON.parse(await readFile(join(dir, "run.json"), "utf8")));
  expect(after.export).toMatchObject({
    delivered: false,
    spooled: 0,
    rejected: record.export.spans,
    rejection: 'HTTP 400 Bad Request: {"code":3,"message":"span name too long"}',
  });
  expect(after.export.error).toBeUndefined();
  const again = await nixotel(["flush", "--out", out], { cwd: flake.dir, env: live });
  expect([again.code, receiver.requests.length]).toEqual([0, 2]);
});

test("a run whose spans the collector refuses says so and keeps them out of the spool", async () => {
  receiver.queueFor("/v1/traces", { kind: "answer", status: 400, body: "bad data" }, { kind: "answer", status: 400, body: "bad data" });
  const result = await nixotel(["run", "pass", "--flake", flake.ref, "--out", "refused-run"], {
    cwd: flake.dir,
    env: baseEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" }),
  });
  expect(result.code, result.stderr).toBe(0);
  const { dir, record } = await newestRun(join(flake.dir, "refused-run"));
  expect(record.export).toMatchObject({
    delivered: false,
    spooled: 0,
    rejected: record.export.spans,
    rejection: "HTTP 400 Bad Request: bad data",
  });
  expect(await readdir(dir)).not.toContain("spool");
  expect(await readSpansFile(join(dir, "rejected.jsonl"))).toHaveLength(record.export.spans);
  expect(result.stdout).toContain(
    `refused ${record.export.spans} spans for good (HTTP 400 Bad Request: bad data); kept in rejected.jsonl (the requests that held them), not retried`,
  );
});

test("a partial success (HTTP 200, rejectedSpans, http/protobuf) counts the rejected spans: run.json, rejected.jsonl, summary", async () => {
  receiver.queue({ kind: "partial", rejected: 2, message: "2 spans older than the retention window" });
  const result = await nixotel(["run", "pass", "--flake", flake.ref, "--out", "partial-run"], {
    cwd: flake.dir,
    env: baseEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_LOGS_EXPORTER: "none" }),
  });
  expect(result.code, result.stderr).toBe(0); // the tests passed; the collector does not decide the exit code
  const { dir, record } = await newestRun(join(flake.dir, "partial-run"));
  // The first request (the check's batch) is answered with the partial success, the run's own with 200.
  const inFirst = spansOfProtobufBody(receiver.requests[0]!.body).length;
  const rejection = `HTTP 200 partial success: 2 of ${inFirst} spans rejected: 2 spans older than the retention window`;
  expect(record.export).toMatchObject({ delivered: false, spooled: 0, rejected: 2, rejection });
  expect(receiver.requests).toHaveLength(2); // not resent
  expect(await readdir(dir)).not.toContain("spool");
  // The collector says how many it refused, not which: the request that held them is kept whole.
  const kept = await readSpansFile(join(dir, "rejected.jsonl"));
  expect(kept.map((s) => s.spanId).sort()).toEqual(
    spansOfProtobufBody(receiver.requests[0]!.body)
      .map((s) => s.spanId)
      .sort(),
  );
  expect(result.stdout).toContain(`sent ${record.export.spans - 2} of ${record.export.spans} spans to ${receiver.url}/v1/traces`);
  expect(result.stdout).toContain(`refused 2 spans for good (${rejection})`);
});

test("runs bigger than one request are sent in several, all accepted", async () => {
  const spans = manySpans(1200);
  const dir = join(flake.dir, "bulk");
  const context = quietContext(flake.dir);
  const settings = otlpJson(receiver.url);
  const paths = runPaths(dir, "r");
  const outcome = await exportSpans(await writeSpans(spans, { "service.name": "bulk" }, paths), settings, paths, context);
  expect(outcome).toMatchObject({ delivered: true, spooled: 0, spans: 1200 });
  expect(receiver.requests).toHaveLength(Math.ceil(1200 / CHUNK_SIZE));
});

test("bad exporter settings are a usage problem (exit 2) before anything is built", async () => {
  const result = await nixotel(["run", "--flake", flake.ref], {
    cwd: flake.dir,
    env: baseEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: "grpc" }),
  });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('Expected OTEL_EXPORTER_OTLP_PROTOCOL to be http/protobuf or http/json, got "grpc"');
});

test("OTEL_TRACES_EXPORTER=console: stdout is only OTLP JSON lines, the summary goes to stderr", async () => {
  const result = await nixotel(["run", "pass", "--flake", flake.ref, "--out", "console-out"], {
    cwd: flake.dir,
    env: baseEnv({ OTEL_TRACES_EXPORTER: "console" }),
  });
  expect(result.code, result.stderr).toBe(0);
  const lines = result.stdout.trim().split("\n");
  for (const line of lines) expect(Object.keys(JSON.parse(line) as object)).toEqual(["resourceSpans"]);
  const printed = lines.flatMap((line) => spansOfJsonBody(Buffer.from(line)));
  const { dir } = await newestRun(join(flake.dir, "console-out"));
  expect(printed.map((s) => s.spanId).sort()).toEqual((await readSpansFile(join(dir, "spans.jsonl"))).map((s) => s.spanId).sort());
  expect(result.stderr).toMatch(/1 passed, 0 failed/);
});
