// `nixotel run` end to end: real nix on the `mixed` fixture, a real OTLP receiver (http/json).
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runRecord } from "../../src/runs/record.js";
import type { SpanData } from "../../src/spans/model.js";
import { SUREFIRE_SCHEMA, XUNIT_SCHEMA, suiteDocuments, validate } from "../report/support/junit-schemas.js";
import { startReceiver, type OtlpReceiver } from "../support/otlp-receiver.js";
import { baseEnv, copyFixture, nixotel, type FlakeCopy, type Invocation } from "./support/fixture.js";
import { newestRun } from "./support/runs.js";
import { spansOfJsonBody } from "./support/trace.js";

let flake: FlakeCopy;
let receiver: OtlpReceiver;
let first: Invocation;
let spans: SpanData[];

const byName = (name: string) => {
  const found = spans.filter((s) => s.name === name);
  expect(found, name).toHaveLength(1);
  return found[0]!;
};

beforeAll(async () => {
  flake = await copyFixture("mixed");
  receiver = await startReceiver();
  const env = baseEnv({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
    OTEL_SERVICE_NAME: "fixture-tests",
  });
  first = await nixotel(["run", "--flake", flake.ref, "--junit", "junit.xml"], { cwd: flake.dir, env });
  spans = receiver.requests.flatMap((r) => spansOfJsonBody(r.body));
});

afterAll(async () => {
  await receiver?.close();
  await flake?.remove();
});

describe("a run with a passing, a failing and a slow check", () => {
  test("exits 1 and says what happened", () => {
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toMatch(/2 passed, 1 failed, 0 cached/);
    expect(first.stdout).toContain(`sent ${spans.length} spans to ${receiver.url}/v1/traces`);
  });

  test("sends one trace: the run, its checks, builds, subtests and in-test spans in place", () => {
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    expect(new Set(spans.map((s) => s.spanId)).size).toBe(spans.length);
    const root = byName("nixotel run");
    expect(root.parentSpanId).toBeUndefined();
    expect(root.attributes).toMatchObject({ "cicd.pipeline.result": "failure", "nix.flake": flake.ref, "nix.system": "x86_64-linux" });
    expect(root.resource?.["service.name"]).toBe("fixture-tests");

    const parentName = (span: SpanData) => spans.find((s) => s.spanId === span.parentSpanId)?.name;
    const tree = spans.map((s) => `${parentName(s) ?? "-"} > ${s.name}`).sort();
    expect(tree).toEqual(
      [
        "- > nixotel run",
        "nixotel run > evaluate checks",
        "nixotel run > build shared-dep",
        "nixotel run > test.nixos-tests.pass",
        "nixotel run > test.nixos-tests.fail",
        "nixotel run > test.nixos-tests.slow",
        "test.nixos-tests.pass > build pass",
        "test.nixos-tests.pass > test pass",
        "test pass > subtest: start the machine",
        "subtest: start the machine > curl localhost",
        // Driver actions from the log: under the prelude's subtest span, and under the driver's.
        "subtest: start the machine > succeed",
        "test.nixos-tests.fail > build fail",
        "test.nixos-tests.fail > subtest: login",
        "subtest: login > subtest: password prompt",
        "subtest: login > succeed",
        "test.nixos-tests.slow > build slow",
        "test.nixos-tests.slow > subtest: wait for it",
      ].sort(),
    );
  });

  test("the run's children cover it: evaluation until the first build, no unexplained gap at the start", () => {
    const root = byName("nixotel run");
    const evaluation = byName("evaluate checks");
    expect(evaluation.attributes).toMatchObject({ "nix.flake": flake.ref, "nix.system": "x86_64-linux", "nix.checks.count": 3 });
    expect(evaluation.startNs).toBe(root.startNs);
    const children = spans.filter((s) => s.parentSpanId === root.spanId);
    const firstBuild = children.filter((s) => s !== evaluation).reduce((min, s) => (s.startNs < min ? s.startNs : min), root.endNs);
    // Evaluation ends before the first build starts. How long nix takes to start in between is the machine's
    // speed (a busy machine takes longer), so no bound on it is asserted here.
    expect(evaluation.endNs <= firstBuild).toBe(true);
  });

  test("every span lies within its parent (subtests from log lines and in-test spans included)", () => {
    const outside = spans.flatMap((s) => {
      const parent = spans.find((p) => p.spanId === s.parentSpanId);
      return parent && (s.startNs < parent.startNs || s.endNs > parent.endNs) ? [`${s.name} outside ${parent.name}`] : [];
    });
    expect(outside).toEqual([]);
  });

  test("check spans carry the test, cicd and nix attributes; the failure has its error and log tail", () => {
    const pass = byName("test.nixos-tests.pass");
    expect(pass.attributes).toMatchObject({
      "test.case.name": "pass",
      "test.suite.name": "nixos-tests",
      "test.case.result.status": "pass",
      "cicd.pipeline.task.type": "test",
      "nix.attr": "checks.x86_64-linux.pass",
      "nix.cached": false,
      "test.name": "pass",
      "test.result": "pass",
      "test.suite": "nixos-tests",
    });
    expect(String(pass.attributes["nix.drv_path"])).toMatch(/^\/nix\/store\/.*-pass\.drv$/);
    expect(String(pass.attributes["nix.out_path"])).toMatch(/^\/nix\/store\/.*-pass$/);
    expect(pass.status.code).toBe(1);

    const fail = byName("test.nixos-tests.fail");
    expect(fail.status.code).toBe(2);
    expect(fail.attributes).toMatchObject({ "test.case.result.status": "fail", "error.type": "test_failed" });
    const tail = fail.events.find((e) => e.name === "log.tail");
    expect(String(tail?.attributes["log.tail"])).toContain('Test "login" failed with error');
    expect(byName("subtest: login").status.code).toBe(2);
    expect(byName("subtest: password prompt").status.code).toBe(1);
  });

  test("build spans have phases as events and the machine; in-test spans keep their resource", () => {
    const build = byName("build pass");
    expect(build.events.map((e) => e.name)).toEqual(["buildPhase", "installPhase"]);
    expect(build.attributes).toMatchObject({ "nix.machine": "localhost", "nix.dependency": false });
    expect(byName("build shared-dep").attributes["nix.dependency"]).toBe(true);
    expect(byName("curl localhost").resource).toMatchObject({ "service.name": "vm-emitter", "host.name": "machine" });
    // The driver's own "in 2.00 seconds", unless the check's span ended sooner after the line arrived (its
    // children stay inside it): then it is cut there. Which one depends on when lines arrive, not on us.
    const waited = byName("subtest: wait for it");
    const check = byName("test.nixos-tests.slow");
    const cut = check.endNs - waited.startNs;
    expect(waited.endNs - waited.startNs).toBe(cut < 2_000_000_000n ? cut : 2_000_000_000n);
  });

  test("writes the same trace to the run folder and a run.json", async () => {
    const runs = await readdir(join(flake.dir, ".nixotel", "runs"));
    expect(runs).toHaveLength(1);
    const dir = join(flake.dir, ".nixotel", "runs", runs[0]!);
    const record = runRecord.parse(JSON.parse(await readFile(join(dir, "run.json"), "utf8")));
    expect(record.result).toBe("failure");
    expect(record.checks.map((c) => [c.name, c.status, c.cached])).toEqual([
      ["fail", "fail", false],
      ["pass", "pass", false],
      ["slow", "pass", false],
    ]);
    // Subtests from the prelude's spans (pass) and from the driver's log lines (fail, slow) alike.
    expect(record.checks.map((c) => c.subtests.map((s) => `${s.name}: ${s.status}`))).toEqual([
      ["login: fail", "login › password prompt: pass"],
      ["start the machine: pass"],
      ["wait for it: pass"],
    ]);
    expect(record.builds.map((b) => b.drvPath)).toEqual([expect.stringMatching(/-shared-dep\.drv$/)]);
    expect(record.export).toMatchObject({ delivered: true, spooled: 0, spans: spans.length });
    const lines = (await readFile(join(dir, "spans.jsonl"), "utf8")).trim().split("\n");
    const fileSpans = lines.flatMap((l) => spansOfJsonBody(Buffer.from(l)));
    expect(fileSpans.map((s) => s.spanId).sort()).toEqual(spans.map((s) => s.spanId).sort());
    expect(fileSpans[0]?.traceId).toBe(record.traceId);
  });

  test("writes JUnit: 3 testcases, 1 failure with the log tail", async () => {
    const xml = await readFile(join(flake.dir, "junit.xml"), "utf8");
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml.match(/<failure /g)).toHaveLength(1);
    expect(xml).toMatch(/<testsuites [^>]*tests="3" failures="1"/);
    expect(xml).toContain('<failure message="fail failed: test_failed" type="test_failed">');
    expect(xml).toContain("!!! Test &quot;login&quot; failed with error");
    expect(xml).toContain("subtest pass: login › password prompt (0.050s)");
    expect(xml).not.toMatch(/\x1b/);
    expect(await validate(xml, XUNIT_SCHEMA)).toEqual({ valid: true, errors: "" });
    for (const suite of suiteDocuments(xml)) expect(await validate(suite, SUREFIRE_SCHEMA)).toEqual({ valid: true, errors: "" });
  });

  test("a rerun builds nothing new and marks the passing checks cached", async () => {
    const before = receiver.requests.length;
    const again = await nixotel(["run", "pass", "slow", "--flake", flake.ref], {
      cwd: flake.dir,
      env: baseEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" }),
    });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(/2 passed, 0 failed, 2 cached/);
    const rerun = receiver.requests.slice(before).flatMap((r) => spansOfJsonBody(r.body));
    const checks = rerun.filter((s) => s.name.startsWith("test.nixos-tests."));
    expect(checks.map((s) => [s.name, s.attributes["nix.cached"]]).sort()).toEqual([
      ["test.nixos-tests.pass", true],
      ["test.nixos-tests.slow", true],
    ]);
    expect(rerun.filter((s) => s.name.startsWith("build "))).toEqual([]);
    // The cached check's in-test spans are read again from its $out, with their recorded times.
    const recorded = spans.find((s) => s.name === "curl localhost")!;
    const reread = rerun.find((s) => s.name === "curl localhost")!;
    expect([reread.startNs, reread.endNs]).toEqual([recorded.startNs, recorded.endNs]);
    // Everything under a cached check was recorded before: marked cached, so metrics do not count it again.
    expect([reread.attributes["nix.cached"], rerun.find((s) => s.name === "subtest: wait for it")?.attributes["nix.cached"]]).toEqual([
      true,
      true,
    ]);
    // slow has no $out/otel: its subtests come from the stored build log (`nix log`), with their durations.
    const slow = rerun.find((s) => s.name === "test.nixos-tests.slow")!;
    const waited = rerun.filter((s) => s.name === "subtest: wait for it");
    expect(waited.map((s) => [s.parentSpanId, s.attributes["nixos.test.subtest"], s.endNs - s.startNs])).toEqual([
      [slow.spanId, "wait for it", 2_000_000_000n],
    ]);
    const { record } = await newestRun(join(flake.dir, ".nixotel"));
    expect(record.checks.map((c) => [c.name, c.subtests])).toEqual([
      ["pass", [{ name: "start the machine", status: "pass", durationMs: 120 }]],
      ["slow", [{ name: "wait for it", status: "pass", durationMs: 2000 }]],
    ]);
  });
});
