// In-test telemetry nixotel could not read is reported, never dropped silently: on the check span,
// in run.json and in the summary. Real nix on the `unreadable` fixture (a span file cut mid-line).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runRecord } from "../../src/runs/record.js";
import { baseEnv, copyFixture, nixotel, type FlakeCopy, type Invocation } from "./support/fixture.js";
import { readSpansFile } from "./support/trace.js";

let flake: FlakeCopy;
let result: Invocation;
let runDir: string;

beforeAll(async () => {
  flake = await copyFixture("unreadable");
  result = await nixotel(["run", "--flake", flake.ref], { cwd: flake.dir, env: baseEnv() });
  const runs = await readdir(join(flake.dir, ".nixotel", "runs"));
  runDir = join(flake.dir, ".nixotel", "runs", runs[0]!);
});
afterAll(() => flake?.remove());

test("a cut-off span line is an ingestion problem on the check span; the whole line is still ingested", async () => {
  expect(result.code, result.stderr).toBe(0);
  const spans = await readSpansFile(join(runDir, "spans.jsonl"));
  const check = spans.find((s) => s.name === "test.nixos-tests.damaged")!;
  expect(spans.find((s) => s.name === "whole span")?.parentSpanId).toBe(check.spanId);
  expect(check.attributes["nixotel.ingest.problems"]).toBe(1);
  const problems = check.events.filter((e) => e.name === "nixotel.ingest.problem");
  expect(problems).toHaveLength(1);
  expect(String(problems[0]!.attributes["nixotel.ingest.problem"])).toMatch(/\/otel\/a\.jsonl:2: not JSON: /);
});

test("run.json and the summary list the problem", async () => {
  const record = runRecord.parse(JSON.parse(await readFile(join(runDir, "run.json"), "utf8")));
  expect(record.checks[0]!.problems).toEqual([expect.stringMatching(/-damaged\/otel\/a\.jsonl:2: not JSON: /)]);
  expect(result.stdout).toMatch(
    /PASS nixos-tests\.damaged \(\S+\)\n +unreadable telemetry: \/nix\/store\/\S+-damaged\/otel\/a\.jsonl:2: not JSON/,
  );
});
