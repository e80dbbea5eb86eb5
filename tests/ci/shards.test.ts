// `--shard I/N`: two shard runs build, together, exactly the checks of the unsharded run, each once;
// given one TRACEPARENT they are one trace, and `nixotel report` reads their folders as one run.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type RunRecord } from "../../src/runs/record.js";
import type { SpanData } from "../../src/spans/model.js";
import { baseEnv, copyFixture, nixotel, type FlakeCopy } from "../runner/support/fixture.js";
import { newestRun } from "../runner/support/runs.js";

const CI_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CI_JOB_SPAN = "00f067aa0ba902b7";

let flake: FlakeCopy;
interface Ran {
  dir: string;
  record: RunRecord;
  spans: SpanData[];
}
const runs: Ran[] = []; // the unsharded run, then shard 1/2 and 2/2

async function runInto(args: string[], extra: Record<string, string> = {}): Promise<Ran> {
  const result = await nixotel(["run", "--flake", flake.ref, "--out", "ci", ...args], { cwd: flake.dir, env: baseEnv(extra) });
  expect([0, 1], result.stderr).toContain(result.code); // 1 where the fixture's `fail` check (failing on purpose) ran
  const run = await newestRun(join(flake.dir, "ci"));
  return { dir: run.dir, record: run.record, spans: await run.spans() };
}

/** The durations the shards split by, as the unsharded run's run.json gives them. Measured ones depend on
 * when nix's lines reached nixotel (a busy machine can hear `slow` start late), so they are set here. */
const EARLIER_MS: Record<string, number> = { slow: 2000, pass: 300, fail: 5 };

async function setDurations(ran: Ran): Promise<void> {
  const file = join(ran.dir, "run.json");
  const record = JSON.parse(await readFile(file, "utf8")) as { checks: { name: string; durationMs: number }[] };
  for (const check of record.checks) check.durationMs = EARLIER_MS[check.name]!;
  await writeFile(file, JSON.stringify(record));
}

beforeAll(async () => {
  flake = await copyFixture("mixed");
  runs.push(await runInto([]));
  await setDurations(runs[0]!);
  const ci = { TRACEPARENT: `00-${CI_TRACE}-${CI_JOB_SPAN}-01` };
  runs.push(await runInto(["--shard", "1/2"], ci));
  runs.push(await runInto(["--shard", "2/2"], ci));
});
afterAll(async () => {
  await flake?.remove();
});

test("the union of the shards is the unsharded run's checks, each in one shard", () => {
  const [all, first, second] = runs.map((r) => r.record.checks.map((c) => c.name).sort());
  expect(all).toEqual(["fail", "pass", "slow"]);
  expect([...first!, ...second!].sort()).toEqual(all);
  expect(first!.filter((name) => second!.includes(name))).toEqual([]);
  expect(first!.length * second!.length).toBeGreaterThan(0); // both shards had work
});

test("the split is by the earlier run's durations, the same in both shards (this pipeline's own runs are not history)", () => {
  expect(runs[1]!.record.shard).toEqual({ index: 1, count: 2, basis: "durations" });
  expect(runs[2]!.record.shard).toEqual({ index: 2, count: 2, basis: "durations" });
  // slow (2 s in the earlier run) is the longest: it is alone in the first shard.
  expect(runs[1]!.record.checks.map((c) => c.name)).toEqual(["slow"]);
});

test("the shards are one trace under the CI job's span", () => {
  const shardSpans = [...runs[1]!.spans, ...runs[2]!.spans];
  expect(new Set(shardSpans.map((s) => s.traceId))).toEqual(new Set([CI_TRACE]));
  const roots = shardSpans.filter((s) => s.name === "nixotel run");
  expect(roots.map((s) => [s.parentSpanId, s.attributes["nixotel.shard"]])).toEqual([
    [CI_JOB_SPAN, "1/2"],
    [CI_JOB_SPAN, "2/2"],
  ]);
});

test("`nixotel report` reads the shards' folders as one run, in the terminal and as HTML", async () => {
  const [, first, second] = runs;
  const result = await nixotel(["report", first!.dir, second!.dir], { cwd: flake.dir, env: baseEnv() });
  expect(result.code, result.stderr).toBe(0);
  expect(result.stderr).toBe("");
  expect(result.stdout).toContain(`Run ${first!.record.runId}+${second!.record.runId} · failure`);
  expect(result.stdout).toMatch(/· 3 checks: 2 passed, 1 failed/);
  expect(result.stdout).toContain(`Trace ${CI_TRACE}:`);
  const html = join(flake.dir, "shards.html");
  const page = await nixotel(["report", first!.dir, second!.dir, "--html", html], { cwd: flake.dir, env: baseEnv() });
  expect(page.code, page.stderr).toBe(0);
  const text = await readFile(html, "utf8");
  for (const name of ["test.nixos-tests.pass", "test.nixos-tests.fail", "test.nixos-tests.slow"]) expect(text).toContain(name);
});

test("runs that built the same check are not shards of one pipeline: refused, exit 2", async () => {
  const [all, first] = runs;
  const mixed = await nixotel(["report", all!.dir, first!.dir], { cwd: flake.dir, env: baseEnv() });
  expect(mixed.code).toBe(2);
  expect(mixed.stderr).toContain("checks.x86_64-linux.slow is in two of the runs");
});
