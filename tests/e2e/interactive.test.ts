// `nixotel run --interactive CHECK` on a fixture whose `.driver` MOCKS nixpkgs' nixos-test-driver (it runs
// the real prelude under the stand-in driver, outside any sandbox): TRACEPARENT and the OTLP endpoint
// reach the driver, live spans (prelude, emitter in the "VM") join the run's trace, and the out folder
// is ingested afterwards with the same span ids, so a span delivered twice is the same span.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { SpanData } from "../../src/spans/model.js";
import { runRecord } from "../../src/runs/record.js";
import { startReceiver, type OtlpReceiver } from "../support/otlp-receiver.js";
import { runCli, type CliResult } from "../support/cli.js";
import { baseEnv, type FlakeCopy } from "../runner/support/fixture.js";
import { spansOfJsonBody } from "../runner/support/trace.js";
import { copyE2eFixture } from "./support.js";

let flake: FlakeCopy;
let receiver: OtlpReceiver;
let result: CliResult;
let spans: SpanData[];
const env = () => baseEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: "http/json" });
const byAgent = (agent: RegExp) => receiver.requests.filter((r) => r.path === "/v1/traces" && agent.test(String(r.headers["user-agent"])));

beforeAll(async () => {
  [flake, receiver] = await Promise.all([copyE2eFixture("interactive"), startReceiver()]);
  result = await runCli(["run", "--interactive", "x", "--flake", flake.ref], { cwd: flake.dir, env: env() });
  // One entry per span id: live copies and the exported ones are the same spans.
  const unique = new Map<string, SpanData>();
  for (const r of receiver.requests.filter((r) => r.path === "/v1/traces"))
    for (const s of spansOfJsonBody(r.body)) unique.set(s.spanId, s);
  spans = [...unique.values()];
});
afterAll(async () => {
  await Promise.all([flake?.remove(), receiver?.close()]);
});

const named = (name: string, parent?: SpanData) => {
  const found = spans.filter((s) => s.name === name && (!parent || s.parentSpanId === parent.spanId));
  if (found.length !== 1)
    throw new Error(
      `expected one span ${name}${parent ? ` under ${parent.name}` : ""}, found ${found.length}: ${spans.map((s) => s.name).join(", ")}`,
    );
  return found[0]!;
};
/** A subtest span: named like the driver's log line, the subtest in `nixos.test.subtest`. */
const subtest = (name: string, parent: SpanData) => {
  const span = named(`subtest: ${name}`, parent);
  expect(span.attributes["nixos.test.subtest"]).toBe(name);
  return span;
};

it("runs the driver outside the sandbox, passes, and records where its output went", async () => {
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toMatch(/nixotel: running \/nix\/store\/[0-9a-z]{32}-nixos-test-driver-x\/bin\/nixos-test-driver -o /);
  expect(result.stderr).toContain("x> subtest: emits live"); // the driver's log, live on the terminal
  const runs = await readdir(join(flake.dir, ".nixotel", "runs"));
  const record = runRecord.parse(JSON.parse(await readFile(join(flake.dir, ".nixotel", "runs", runs[0]!, "run.json"), "utf8")));
  expect(record.checks[0]).toMatchObject({ name: "x", status: "pass" });
  expect(record.checks[0]!.outPath).toContain(join(flake.dir, ".nixotel", "interactive"));
  expect(await readdir(join(record.checks[0]!.outPath!, "otel"))).toEqual(["machine.jsonl", "prelude.jsonl"]);
});

it("live spans from the prelude and the emitter arrived by themselves, in the run's trace", () => {
  const live = [...byAgent(/Python-urllib/), ...byAgent(/curl/)].flatMap((r) => spansOfJsonBody(r.body));
  const notActions = live.filter((s) => s.attributes["nixos.test.action"] === undefined); // actions: tests/prelude/actions.test.ts
  expect(notActions.map((s) => s.name).sort()).toEqual(["subtest: boots", "subtest: emits live", "test.live.from-the-vm", "test.live.x"]);
  expect(new Set(live.map((s) => s.traceId))).toEqual(new Set([named("nixotel run").traceId]));
});

it("one trace: run → check → nixos-test-driver → prelude test span → subtests → the VM's span", () => {
  expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
  const check = named("test.live.x", named("nixotel run"));
  const driver = named("nixos-test-driver", check);
  expect(driver.attributes).toMatchObject({ "process.exit.code": 0, "nixotel.interactive": true });
  const test = named("test.live.x", driver);
  expect(test.attributes["nixotel.source"]).toBe("prelude");
  subtest("boots", test);
  named("test.live.from-the-vm", subtest("emits live", test));
  expect(spans.some((s) => s.name.startsWith("build "))).toBe(false); // nix built no test here
});

it("needs exactly one check", async () => {
  for (const checks of [[], ["x", "other"]]) {
    const refused = await runCli(["run", "--interactive", ...checks, "--flake", flake.ref], { cwd: flake.dir, env: env() });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("Expected exactly one CHECK with --interactive");
  }
});

it("works with the 2026 driver: --config in its wrapper, a single node reached as `machine` through the deprecation wrapper", async () => {
  const before = receiver.requests.length;
  const run = await runCli(["run", "--interactive", "x2026", "--flake", flake.ref], { cwd: flake.dir, env: env() });
  expect(run.code, run.stderr).toBe(0);
  expect(run.stderr).toContain("x2026> warning: `machine` is deprecated for a node named 'server'");
  expect(run.stderr).toContain("x2026> Test will time out and terminate in 3600 seconds");
  const sent = new Map<string, SpanData>();
  for (const r of receiver.requests.slice(before).filter((r) => r.path === "/v1/traces"))
    for (const s of spansOfJsonBody(r.body)) sent.set(s.spanId, s);
  const all = [...sent.values()];
  const one = (name: string, parent: SpanData) => {
    const found = all.filter((s) => s.name === name && s.parentSpanId === parent.spanId);
    expect(found, `${name} under ${parent.name}`).toHaveLength(1);
    return found[0]!;
  };
  const root = all.find((s) => s.name === "nixotel run")!;
  const test = one("test.live.x2026", one("nixos-test-driver", one("test.live.x2026", root)));
  one("test.live.from-the-vm", one("subtest: emits live", test));
  expect(test.attributes["test.case.result.status"]).toBe("pass");
});
