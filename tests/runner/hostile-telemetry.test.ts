// A run survives whatever a test writes (issue cases: nulls, lying clocks, shared ids, symlinks out of
// the store, files past the bounds): real nix on the `hostile` fixture; each bad span or file is named
// once, nothing else of the run is lost, and the written tree keeps its promises (readSpansFile).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { runRecord, type RunRecord } from "../../src/runs/record.js";
import type { SpanData } from "../../src/spans/model.js";
import { CLOCK_SKEW_NS } from "../../src/spans/tree.js";
import { baseEnv, copyFixture, nixotel, type FlakeCopy, type Invocation } from "./support/fixture.js";
import { readSpansFile } from "./support/trace.js";

let flake: FlakeCopy;
let result: Invocation;
let record: RunRecord;
let spans: SpanData[];

beforeAll(async () => {
  flake = await copyFixture("hostile");
  result = await nixotel(["run", "--flake", flake.ref, "--junit", "junit.xml"], { cwd: flake.dir, env: baseEnv() });
  const runs = await readdir(join(flake.dir, ".nixotel", "runs"));
  const runDir = join(flake.dir, ".nixotel", "runs", runs[0]!);
  record = runRecord.parse(JSON.parse(await readFile(join(runDir, "run.json"), "utf8")));
  spans = await readSpansFile(join(runDir, "spans.jsonl")); // throws when the tree breaks its promises
}, 120_000);
afterAll(() => flake?.remove());

const check = (name: string) => spans.find((s) => s.name === `test.nixos-tests.${name}`)!;
const problemsOf = (name: string) => record.checks.find((c) => c.name === name)?.problems ?? [];

test("the run ends with its record, JUnit and the tests' own exit code", async () => {
  expect(result.code, result.stderr).toBe(1); // hostile-log fails on purpose; nothing crashed
  expect(record.checks.map((c) => [c.name, c.status])).toEqual([
    ["hostile", "pass"],
    ["hostile-log", "fail"],
  ]);
  expect(await readFile(join(flake.dir, "junit.xml"), "utf8")).toContain('name="hostile"');
  expect(result.stdout).toMatch(/1 passed, 1 failed/);
});

describe("JSON nulls where OTLP objects belong", () => {
  test("are named span by span; the good span beside them is kept", () => {
    expect(spans.find((s) => s.name === "kept beside nulls")?.parentSpanId).toBe(check("hostile").spanId);
    expect(problemsOf("hostile").filter((p) => p.includes("a-nulls.jsonl"))).not.toHaveLength(0);
  });
  test("in a failed build's log lines too", () => {
    expect(problemsOf("hostile-log").some((p) => p.startsWith("build log:1:"))).toBe(true);
  });
});

describe("times a test's clock lies about", () => {
  test("a span at 1970 is clamped into its check and says by how much; the check is not widened", () => {
    const epoch = spans.find((s) => s.name === "at the epoch")!;
    const parent = check("hostile");
    expect(epoch.startNs >= parent.startNs && epoch.endNs <= parent.endNs).toBe(true);
    expect(Number(epoch.attributes["nixotel.time.clamped_ms"])).toBeGreaterThan(1e12);
    const build = spans.find((s) => s.name === "build hostile")!;
    expect(build.startNs - parent.startNs).toBeLessThanOrEqual(CLOCK_SKEW_NS);
  });
  test("negative and beyond-uint64 times are refused and named", () => {
    expect(spans.some((s) => s.name === "negative time" || s.name === "beyond uint64")).toBe(false);
    const times = problemsOf("hostile").filter((p) => p.includes("b-times.jsonl"));
    expect(times.join("\n")).toMatch(/negative time/);
    expect(times.join("\n")).toMatch(/beyond uint64/);
  });
});

test("two traces that share span ids stay two trees, no span its own parent", () => {
  const [first, firstChild, second, secondChild] = ["first root", "first child", "second root", "second child"].map((name) =>
    spans.find((s) => s.name === name)!,
  );
  expect(new Set([first, firstChild, second, secondChild].map((s) => s!.spanId)).size).toBe(4);
  expect(firstChild!.parentSpanId).toBe(first!.spanId);
  expect(secondChild!.parentSpanId).toBe(second!.spanId);
});

test("a symlink out of the store and a file past the size bound are refused, and nothing of the host file is read", () => {
  const problems = problemsOf("hostile");
  expect(problems.some((p) => /d-leak\.jsonl: a symlink, not read/.test(p))).toBe(true);
  expect(problems.some((p) => /f-huge\.jsonl: only the first \d+ bytes read/.test(p))).toBe(true);
  const everything = JSON.stringify(record) + result.stdout + result.stderr;
  expect(everything).not.toMatch(/root:x:0:0/);
});
