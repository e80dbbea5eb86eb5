// `nixotel run --repeat N`: real nix on the `flaky` fixture, whose flaky check fails 1 build in 3
// (./flaky-every = 3; its build counter is a scratch folder outside the store, see the fixture).
import { readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { SpanStatusCode } from "@opentelemetry/api";
import { execa } from "execa";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import type { CheckHistory } from "../../src/history/analyse.js";
import { readRunSpans } from "../../src/runs/read-spans.js";
import { ATTR, Role } from "../../src/spans/vocabulary.js";
import { baseEnv, copyFixture, nixotel, type FlakeCopy } from "../runner/support/fixture.js";
import { newestRun } from "../runner/support/runs.js";
import { withScratch } from "./scratch.js";

let flake: FlakeCopy;
let scratch: string;
beforeEach(async () => {
  flake = await copyFixture("flaky");
  scratch = await withScratch(flake);
  await writeFile(join(flake.dir, "flaky-every"), "3");
});
afterEach(async () => {
  await flake.remove();
  await rm(scratch, { recursive: true, force: true });
});

const env = () => baseEnv({ OTEL_TRACES_EXPORTER: "none" });
const nixotelHere = (argv: string[]) => nixotel(argv, { cwd: flake.dir, env: env() });
const run = (argv: string[]) => nixotelHere(["run", "--flake", flake.ref, ...argv]);

async function runFolders(): Promise<string[]> {
  const runs = join(flake.dir, ".nixotel", "runs");
  return (await readdir(runs).catch(() => [])).sort().map((id) => join(runs, id));
}

const lastRecord = () => newestRun(join(flake.dir, ".nixotel"));

describe("run --repeat on the flaky fixture", () => {
  test("finds the flaky check's pass rate and failing subtest; history then proves it flaky by its drvPath", async () => {
    // The acceptance, in order: --retries over all three checks, then --repeat on the flaky one.
    const retried = await run(["--retries", "2"]);
    expect(retried.code, retried.stdout).toBe(1);

    const ran = await run(["--repeat", "9", "--jobs", "3", "flaky"]);
    expect(ran.code, ran.stderr).toBe(1); // a repetition failed
    const { record, dir } = await lastRecord();
    expect(record.checks.map((c) => c.name)).toEqual(["flaky"]);
    const flaky = record.checks[0]!;
    expect(flaky).toMatchObject({ status: "fail", errorType: "test_failed", cached: false });
    // Builds 3 to 11 of the counter (the --retries run took 1 and 2): 4, 7 and 10 fail.
    expect(flaky.repeat).toMatchObject({ runs: 9, passed: 6, passRate: 6 / 9, interval: { level: 0.95, low: 0.3542, high: 0.8794 } });
    expect(flaky.repetitions?.map((r) => r.repetition)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(flaky.repetitions?.filter((r) => r.status === "fail")).toHaveLength(3);
    const failing = flaky.repetitions!.filter((r) => r.status === "fail").map((r) => r.repetition);
    expect(flaky.repeat!.failures).toEqual([
      { subtest: "wait for the port", repetitions: failing, errors: [{ message: "timed out waiting for port 80", count: 3 }] },
    ]);
    expect(flaky.repeat!.subtests.map((s) => [s.name, s.runs, s.failed])).toEqual([
      ["start the server", 9, 0],
      ["wait for the port", 9, 3],
    ]);
    expect(flaky.repeat!.durationMs).toMatchObject({ minMs: expect.any(Number), maxMs: expect.any(Number) });
    // Nine derivations, none of them the check's own: nix really built it nine times.
    const drvs = new Set(flaky.repetitions!.map((r) => r.drvPath));
    expect(drvs.size).toBe(9);
    expect(drvs.has(flaky.drvPath!)).toBe(false);

    expect(ran.stdout).toMatch(/FAIL nixos-tests\.flaky .* 6\/9 repetitions passed/);
    expect(ran.stdout).toContain("nixos-tests.flaky: 6/9 passed (67%, 95% interval 35%–88%)");
    expect(ran.stdout).toMatch(/flaky step: subtest "wait for the port" failed in 3 of 9 repetitions \(\d, \d, \d\)/);
    expect(ran.stdout).toContain("3× timed out waiting for port 80");

    // Each repetition a build span under the check span, numbered; its subtests under it.
    const spans = (await readRunSpans(join(dir, "spans.jsonl")))!;
    const checkSpan = spans.find((s) => s.attributes[ATTR.role] === Role.check)!;
    expect(checkSpan.attributes[ATTR.nixDrvPath]).toBe(flaky.drvPath);
    const builds = spans.filter((s) => s.attributes[ATTR.repetition] !== undefined);
    expect(builds.map((b) => b.attributes[ATTR.repetition]).sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(builds.every((b) => b.parentSpanId === checkSpan.spanId && b.attributes[ATTR.role] === Role.build)).toBe(true);
    expect(builds.filter((b) => b.status.code === SpanStatusCode.ERROR)).toHaveLength(3);
    const buildIds = new Set(builds.map((b) => b.spanId));
    const subtests = spans.filter((s) => s.attributes[ATTR.role] === Role.subtest);
    expect(subtests).toHaveLength(18);
    expect(subtests.every((s) => buildIds.has(s.parentSpanId!))).toBe(true);

    const history = await nixotelHere(["history", "flaky", "--json"]);
    expect(history.code, history.stderr).toBe(0);
    const [h] = (JSON.parse(history.stdout) as { checks: CheckHistory[] }).checks;
    expect(h!.provenFlakyDrvs).toEqual([flaky.drvPath]);
    expect((await nixotelHere(["history", "flaky"])).stdout).toContain(
      `PROVEN FLAKY: the same derivation both passed and failed (${flaky.drvPath})`,
    );
  });

  test("a second --repeat builds again instead of finding the first one's repetitions in the store; run.json has the git revision", async () => {
    const git = (args: string[]) => execa("git", ["-c", "user.name=t", "-c", "user.email=t@example.org", ...args], { cwd: flake.dir });
    await git(["init", "-q"]);
    await git(["add", "-A"]);
    await git(["commit", "-qm", "fixture"]);
    const revision = (await git(["rev-parse", "HEAD"])).stdout.trim();
    for (const _ of [1, 2]) {
      const ran = await run(["--repeat", "2", "stable"]);
      expect(ran.code, ran.stderr).toBe(0);
      const { record } = await lastRecord();
      expect(record.checks[0]).toMatchObject({ status: "pass", cached: false, repeat: { runs: 2, passed: 2, interval: { high: 1 } } });
      expect(record.checks[0]!.repetitions!.every((r) => r.durationMs > 0)).toBe(true);
      expect(record.vcs?.revision).toBe(revision);
    }
  });

  test("bad input is a usage error, before anything is built or recorded", async () => {
    const cases: [string[], string][] = [
      [["--repeat", "0", "flaky"], 'Expected --repeat to be a positive whole number (how many times to build each named check), got "0"'],
      [["--repeat", "3"], "Expected the checks to repeat after --repeat N"],
      [["--repeat", "3", "nope"], 'Unknown check "nope"'],
      [["--repeat", "3", "--retries", "1", "flaky"], "Pass one of them"],
      [["--repeat", "3", "--shard", "1/2", "flaky"], "Pass one of them"],
    ];
    for (const [argv, message] of cases) {
      const ran = await run(argv);
      expect(ran.code, argv.join(" ")).toBe(2);
      expect(ran.stderr).toContain(message);
    }
    expect(await runFolders()).toEqual([]);
  });
});
