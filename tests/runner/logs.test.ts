// The checks' build logs as OTLP log records, with real nix: written to logs.jsonl, sent to a real
// receiver over both protocols, each record on the span that was open (every record of a subtest on
// that subtest's span), cut by nixotel.json's limits, a partial success, a flush of spooled logs, and
// a check printing 100 000 lines.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { expect, test } from "vitest";
import { parseOtlpLogLine } from "../../src/logs/otlp-logs.js";
import type { LogRecordData } from "../../src/logs/model.js";
import { runRecord } from "../../src/runs/record.js";
import { ATTR } from "../../src/spans/vocabulary.js";
import type { OtlpReceiver } from "../support/otlp-receiver.js";
import { useFixtureAndReceiver } from "./support/fixture-and-receiver.js";
import { baseEnv, nixotel, type FlakeCopy } from "./support/fixture.js";
import { readSpansFile } from "./support/trace.js";

let flake: FlakeCopy;
let receiver: OtlpReceiver;
useFixtureAndReceiver("logs", (copy, started) => ([flake, receiver] = [copy, started]));

async function latestRun(outDir: string) {
  const dir = join(outDir, "runs", (await readdir(join(outDir, "runs"))).sort().at(-1)!);
  const text = await readFile(join(dir, "logs.jsonl"), "utf8");
  const logs: LogRecordData[] = text
    .split("\n")
    .filter(Boolean)
    .flatMap((line) => parseOtlpLogLine(line).records);
  return {
    dir,
    logs,
    spans: await readSpansFile(join(dir, "spans.jsonl")),
    record: runRecord.parse(JSON.parse(await readFile(join(dir, "run.json"), "utf8"))),
  };
}

const run = (out: string, checks: string[], env: Record<string, string> = {}) =>
  nixotel(["run", ...checks, "--flake", flake.ref, "--out", out], { cwd: flake.dir, env: baseEnv(env) });

test("every line a check printed is a record on the span open then, in logs.jsonl and at the receiver (http/json)", async () => {
  const result = await run("json", ["chatty", "failing"], {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
  });
  expect(result.code, result.stderr).toBe(1);
  const { logs, spans, record } = await latestRun(join(flake.dir, "json"));
  const bodies = logs.filter((r) => r.attributes[ATTR.taskName] === "chatty").map((r) => r.body);
  expect(bodies).toEqual([
    "start all VMs",
    "subtest: boot",
    "web: waiting for unit multi-user.target",
    "web # [    1.024512] systemd[1]: Started nginx.",
    "(finished: subtest: boot, in 0.01 seconds)",
    "subtest: serve",
    "subtest: index",
    "web: must succeed: curl -sf localhost",
    "(finished: subtest: index, in 0.01 seconds)",
    "warning: the index is slow",
    "(finished: subtest: serve, in 0.02 seconds)",
    "test script finished in 0.05s",
  ]);
  // Correlation: every record of a subtest carries the span id of that subtest, or of the driver action
  // inside it that was open then (`waiting for unit …`), in the run's trace.
  const ancestorsOf = (span: (typeof spans)[number]) => {
    const chain = [];
    for (let s = spans.find((p) => p.spanId === span.parentSpanId); s; s = spans.find((p) => p.spanId === s.parentSpanId)) chain.push(s);
    return chain;
  };
  const subtestSpan = (check: string, name: string) =>
    spans.find((s) => s.name === `subtest: ${name}` && ancestorsOf(s).some((a) => a.attributes[ATTR.taskName] === check));
  for (const log of logs.filter((r) => r.attributes[ATTR.subtest] !== undefined)) {
    const span = subtestSpan(log.attributes[ATTR.taskName]!, log.attributes[ATTR.subtest]!);
    expect(span, `${log.body}`).toBeDefined();
    const onSpan = spans.find((s) => s.spanId === log.spanId);
    expect([onSpan?.spanId, ...ancestorsOf(onSpan!).map((s) => s.spanId)], log.body).toContain(span!.spanId);
  }
  expect(logs.every((r) => r.traceId === record.traceId && spans.some((s) => s.spanId === r.spanId))).toBe(true);
  expect(logs.filter((r) => r.attributes[ATTR.subtest] === "index").map((r) => r.body)).toEqual([
    "subtest: index",
    "web: must succeed: curl -sf localhost",
    "(finished: subtest: index, in 0.01 seconds)",
  ]);
  const byBody = (body: string) => logs.find((r) => r.body.startsWith(body))!;
  expect(byBody("web # [").attributes[ATTR.machine]).toBe("web");
  expect(byBody("warning: the index").severity).toBe("WARN");
  expect(byBody('!!! Test "login" failed')).toMatchObject({
    severity: "ERROR",
    attributes: { [ATTR.subtest]: "login", [ATTR.taskName]: "failing" },
  });
  // nix's own word on the failed build, on the check.
  expect(byBody("error: builder for")).toMatchObject({ severity: "ERROR", attributes: { [ATTR.taskName]: "failing" } });

  // The receiver got the same records, with the run's resource.
  const sent = receiver.logs();
  expect(sent.flatMap((r) => r.records.map((x) => x.body))).toEqual(logs.map((r) => r.body));
  expect(sent.flatMap((r) => r.records.map((x) => x.spanId))).toEqual(logs.map((r) => r.spanId));
  expect(sent[0]!.resource["service.name"]).toBe("nixos-integration-tests");
  expect(record.logs).toMatchObject({ delivered: true, records: logs.length, spooled: 0, protocol: "http/json" });
  expect(result.stdout).toContain(`sent ${logs.length} log records to ${receiver.url}/v1/logs`);
});

test("http/protobuf (the default) sends the same records; OTEL_LOGS_EXPORTER=none sends none but still writes logs.jsonl", async () => {
  const sentBy = async (out: string, env: Record<string, string>) => {
    receiver.requests.length = 0;
    const result = await run(out, ["chatty"], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...env });
    expect(result.code, result.stderr).toBe(0);
    return {
      sent: receiver.logs(),
      requests: receiver.requests.map((r) => [r.path, r.headers["content-type"]]),
      ...(await latestRun(join(flake.dir, out))),
    };
  };
  const proto = await sentBy("proto", {});
  expect(proto.requests).toContainEqual(["/v1/logs", "application/x-protobuf"]);
  expect(proto.sent.flatMap((r) => r.records.map((x) => [x.body, x.spanId, x.severityText, x.attributes[ATTR.subtest]]))).toEqual(
    proto.logs.map((r) => [r.body, r.spanId, r.severity, r.attributes[ATTR.subtest]]),
  );
  expect(proto.sent[0]!.records[0]!.timeUnixNano).toBe(String(proto.logs[0]!.timeNs));

  const none = await sentBy("none", { OTEL_LOGS_EXPORTER: "none" });
  // The spans go in two requests (the check's as it settled, the run's own); no logs request.
  expect(none.requests.map(([path]) => path)).toEqual(["/v1/traces", "/v1/traces"]);
  expect(none.logs.length).toBeGreaterThan(0);
  expect(none.record.logs).toMatchObject({ endpoint: null, delivered: false, records: none.logs.length });
});

test("a partial success for logs is named and kept in rejected.jsonl, never resent", async () => {
  // The check's spans and its log records as it settled, then the run's own spans.
  receiver.queueFor("/v1/logs", { kind: "partial", rejected: 2, message: "too old" });
  const result = await run("partial", ["chatty"], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" });
  expect(result.code, result.stderr).toBe(0);
  expect(receiver.requests.map((r) => r.path).sort()).toEqual(["/v1/logs", "/v1/traces", "/v1/traces"]);
  const { dir, record, logs } = await latestRun(join(flake.dir, "partial"));
  expect(record.logs).toMatchObject({ delivered: false, spooled: 0, rejected: 2 });
  expect(record.logs?.rejection).toBe(`HTTP 200 partial success: 2 of ${logs.length} log records rejected: too old`);
  expect(record.export).toMatchObject({ delivered: true });
  const rejected = (await readFile(join(dir, "rejected.jsonl"), "utf8")).trim().split("\n");
  expect(rejected.map((line) => parseOtlpLogLine(line).records.length)).toEqual([logs.length]);
  expect(result.stdout).toContain("refused 2 log records for good");
});

test("logs spooled while the collector was away are sent by nixotel flush", async () => {
  receiver.setDefault({ kind: "answer", status: 503 });
  const env = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_TIMEOUT: "300" };
  expect((await run("spool", ["chatty"], env)).code).toBe(0);
  const before = await latestRun(join(flake.dir, "spool"));
  expect(before.record.logs).toMatchObject({ delivered: false, spooled: before.logs.length });
  expect((await readdir(join(before.dir, "spool"))).sort()).toEqual(["logs.jsonl", "spans.jsonl"]);

  receiver.setDefault({ kind: "answer", status: 200, body: "{}" });
  receiver.requests.length = 0;
  const flushed = await nixotel(["flush", "--out", "spool"], { cwd: flake.dir, env: baseEnv(env) });
  expect(flushed.code, flushed.stderr).toBe(0);
  expect(flushed.stdout).toContain(`flushed ${before.logs.length} log records to ${receiver.url}/v1/logs`);
  expect(receiver.logs().flatMap((r) => r.records.map((x) => x.spanId))).toEqual(before.logs.map((r) => r.spanId));
  const after = await latestRun(join(flake.dir, "spool"));
  expect(after.record.logs).toMatchObject({ delivered: true, spooled: 0 });
  expect(after.record.export).toMatchObject({ delivered: true, spooled: 0 });
  expect(await readdir(join(after.dir, "spool"))).toEqual([]);
});

test("nixotel.json's logs limits cut a check's log to its head and tail, with one record saying so", async () => {
  await writeFile(join(flake.dir, "nixotel.json"), JSON.stringify({ logs: { maxLinesPerCheck: 7 } }));
  try {
    expect((await run("capped", ["chatty"])).code).toBe(0);
  } finally {
    await writeFile(join(flake.dir, "nixotel.json"), "{}");
  }
  const { logs, record } = await latestRun(join(flake.dir, "capped"));
  expect(logs.map((r) => r.body)).toEqual([
    "start all VMs",
    "subtest: boot",
    "web: waiting for unit multi-user.target",
    expect.stringMatching(/^nixotel: 6 lines \(\d+ bytes\) of this check's log cut here/),
    "warning: the index is slow",
    "(finished: subtest: serve, in 0.02 seconds)",
    "test script finished in 0.05s",
  ]);
  expect(logs).toHaveLength(7);
  expect(logs.filter((r) => r.severity === "WARN" && r.body.includes("logs.maxLinesPerCheck"))).toHaveLength(1);
  expect(record.logs?.cut).toBe(1);
});

test("a check printing 100 000 lines: every line a record, each on its subtest's span", async () => {
  const result = await run("many", ["many"]);
  expect(result.code, result.stderr).toBe(0);
  const { logs, spans } = await latestRun(join(flake.dir, "many"));
  expect(logs).toHaveLength(100_002);
  const flood = spans.find((s) => s.name === "subtest: flood")!;
  expect(logs.every((r) => r.spanId === flood.spanId && r.attributes[ATTR.subtest] === "flood")).toBe(true);
  expect(logs[50_001]!.body).toBe("web # flood line 50000");
});
