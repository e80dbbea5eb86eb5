// The offline end-to-end proof of "telemetry that survives the sandbox": real nix builds whose builders run
// the REAL prelude under the stand-in driver (a mock of nixpkgs' driver) with the REAL emitter in its
// "VM", then `nixotel run` re-parents what the builds left ($out/otel, or `@nixotel-otlp` log lines of a
// failed build) under each check span, and a real OTLP/HTTP receiver gets one trace.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { runRecord } from "../../src/runs/record.js";
import type { SpanData } from "../../src/spans/model.js";
import { isFailed } from "../../src/spans/vocabulary.js";
import { startReceiver, type OtlpReceiver } from "../support/otlp-receiver.js";
import { runCli, type CliResult } from "../support/cli.js";
import { baseEnv, type FlakeCopy } from "../runner/support/fixture.js";
import { spansOfJsonBody } from "../runner/support/trace.js";
import { copyE2eFixture } from "./support.js";

let flake: FlakeCopy;
let receiver: OtlpReceiver;
let result: CliResult;
let spans: SpanData[];

beforeAll(async () => {
  [flake, receiver] = await Promise.all([copyE2eFixture("prelude-e2e"), startReceiver()]);
  const env = baseEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" });
  result = await runCli(["run", "--flake", flake.ref], { cwd: flake.dir, env });
  spans = receiver.requests.filter((r) => r.path === "/v1/traces").flatMap((r) => spansOfJsonBody(r.body));
});
afterAll(async () => {
  await Promise.all([flake?.remove(), receiver?.close()]);
});

const one = (predicate: (s: SpanData) => boolean, what: string) => {
  const found = spans.filter(predicate);
  if (found.length !== 1) throw new Error(`expected one span ${what}, found ${found.length}: ${spans.map((s) => s.name).join(", ")}`);
  return found[0]!;
};
const named = (name: string, parent?: SpanData) =>
  one(
    (s) => s.name === name && (!parent || s.parentSpanId === parent.spanId),
    `named ${JSON.stringify(name)}${parent ? ` under ${parent.name}` : ""}`,
  );
/** A subtest span: named like the driver's log line, the subtest in `nixos.test.subtest`. */
const subtest = (name: string, parent: SpanData) => {
  const span = named(`subtest: ${name}`, parent);
  expect(span.attributes["nixos.test.subtest"]).toBe(name);
  return span;
};
const checkSpan = (name: string) => one((s) => s.name === `test.e2e.${name}` && s.scope?.name === "nixotel", `for check ${name}`);
const preludeSpan = (check: SpanData) =>
  one((s) => s.parentSpanId === check.spanId && s.attributes["nixotel.source"] === "prelude", `from the prelude under ${check.name}`);

it("exits 1 (one check failed) and the receiver gets one trace", () => {
  expect(result.code, result.stderr).toBe(1);
  expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
  expect(named("nixotel run").attributes["cicd.pipeline.result"]).toBe("failure");
});

it("passing check: prelude test span, sibling and nested subtests, otel_span and the VM's span under its subtest", () => {
  const check = checkSpan("passing");
  expect(check.attributes).toMatchObject({ "test.case.result.status": "pass", "nix.cached": false, "test.suite.name": "e2e" });
  const test = preludeSpan(check);
  expect(test.name).toBe("test.e2e.passing");
  const up = subtest("machine is up", test);
  const emitted = subtest("span is emitted", test);
  expect(up.startNs < emitted.startNs).toBe(true);
  const nested = subtest("nested check", emitted);
  expect(named("custom step", nested).attributes.attempt).toBe(1);
  const vmSpan = named("test.e2e.emitted-in-vm", emitted); // parented by the traceparent file
  expect(vmSpan.resource?.["host.name"]).toBe("machine");
  // Passed spans are OK by the one status rule (src/spans/vocabulary.ts statusOf).
  expect([up, emitted, nested].map((s) => s.status.code)).toEqual([1, 1, 1]);
});

it("passing check: the driver's JUnit file is cross-checked; a testcase no span has becomes a span", () => {
  const test = preludeSpan(checkSpan("passing"));
  expect(subtest("machine is up", test).attributes["nixotel.junit.result"]).toBe("pass");
  const extra = subtest("driver-only case", test);
  expect(extra.attributes).toMatchObject({ "nixotel.source": "junit", "test.case.result.status": "pass" });
  expect(test.attributes["nixotel.junit.mismatches"]).toBe(1);
});

it("run.json lists the passing check's prelude subtests, nested ones as `outer › inner`", async () => {
  const runs = await readdir(join(flake.dir, ".nixotel", "runs"));
  const record = runRecord.parse(JSON.parse(await readFile(join(flake.dir, ".nixotel", "runs", runs[0]!, "run.json"), "utf8")));
  const passing = record.checks.find((c) => c.name === "passing")!;
  expect(passing.subtests.map((s) => [s.name, s.status])).toEqual([
    ["driver-only case", "pass"], // from the JUnit file, placed at the test span's start
    ["machine is up", "pass"],
    ["span is emitted", "pass"],
    ["span is emitted › nested check", "pass"],
  ]);
});

it("failing check: spans come from the build log, the failing subtest is ERROR, the VM span sits under it", () => {
  const check = checkSpan("failing");
  expect(check.status.code).toBe(2);
  expect(check.attributes["error.type"]).toBe("test_failed");
  const test = preludeSpan(check);
  expect(test.status.code).toBe(2);
  expect(subtest("boots", test).status.code).toBe(1);
  const breaks = subtest("breaks", test);
  expect(breaks.status).toMatchObject({ code: 2, message: expect.stringContaining("exit 3") });
  expect(breaks.events.map((e) => e.name)).toContain("exception");
  named("test.e2e.before-failure", breaks);
});

it("failing check: the error names the user's own line (failing.py line 8), in the span and in the log tail", () => {
  const check = checkSpan("failing");
  const breaks = subtest("breaks", preludeSpan(check));
  const stacktrace = String(breaks.events.find((e) => e.name === "exception")?.attributes["exception.stacktrace"]);
  expect(stacktrace).toContain('File "testScript", line 8, in <module>\n    machine.succeed("exit 3")');
  // The driver's own traceback, as the summary, JUnit and HTML show it: renumbered.
  const tail = String(check.events.find((e) => e.name === "log.tail")?.attributes["log.tail"]);
  expect(tail).toContain('File "testScript", line 8, in <module>');
  expect(tail).not.toContain('File "<string>"');
});

it("driver actions: each `succeed` is a span, OK where it returned, ERROR only for the command that failed", () => {
  const actions = spans.filter((s) => s.attributes["nixotel.role"] === "action");
  const failed = actions.filter((s) => isFailed(s)).map((s) => s.attributes["nixos.test.action.target"]);
  expect(failed).toEqual(["exit 3"]);
  expect(actions.filter((s) => s.attributes["nixos.test.action.target"] === "true")).toHaveLength(3); // the stand-in's lines, shaped like the driver's
});
