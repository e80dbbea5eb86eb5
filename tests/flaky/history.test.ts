// `nixotel history` over prepared run folders (tests/fixtures/runs/history: two "CI artifact" folders,
// one run present in both).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { CheckHistory } from "../../src/history/analyse.js";
import { quantile } from "../../src/history/analyse.js";
import { baseEnv, nixotel } from "../runner/support/fixture.js";

const RUNS = join(import.meta.dirname, "..", "fixtures", "runs", "history");
let cwd: string;
beforeAll(async () => void (cwd = await mkdtemp(join(tmpdir(), "nixotel-history-"))));
afterAll(async () => rm(cwd, { recursive: true, force: true }));

const history = (argv: string[]) =>
  nixotel(["history", "--from", join(RUNS, "ci-a"), "--from", join(RUNS, "ci-b"), ...argv], { cwd, env: baseEnv() });

async function json(argv: string[] = []): Promise<{ runs: number; checks: CheckHistory[] }> {
  const ran = await history(["--json", ...argv]);
  expect(ran.code, ran.stderr).toBe(0);
  return JSON.parse(ran.stdout) as { runs: number; checks: CheckHistory[] };
}

describe("nixotel history", () => {
  test("counts each run once, and tells proven flaky (same drv, both outcomes) from changed with the drv", async () => {
    const { runs, checks } = await json();
    expect(runs).toBe(5);
    const by = Object.fromEntries(checks.map((c) => [c.name, c]));
    expect(by.flaky).toMatchObject({ runs: 5, passed: 4, passRate: 0.8, changedWithDrv: 0, medianMs: 500, p95Ms: 520 });
    expect(by.flaky!.provenFlakyDrvs).toEqual([`/nix/store/${"a".repeat(32)}-flaky.drv`]);
    expect(by.broken).toMatchObject({ provenFlakyDrvs: [], changedWithDrv: 1, passed: 1 });
    expect(by.broken!.failingSince).toEqual({ runId: "20260102T100000.000Z-aaaaa2", startedAt: "2026-01-02T10:00:00.000Z" });
    expect(by.stable).toMatchObject({ passRate: 1, readyToUnquarantine: true, quarantine: "flaked once: https://example.org/issues/9" });
    expect(by.broken).toMatchObject({ readyToUnquarantine: false, quarantine: "https://example.org/issues/123" });
  });

  test("a --retries run alone proves a check flaky: its builds of one drv failed and passed", async () => {
    const { checks } = await json(["flaky", "--last", "3"]);
    expect(checks.map((c) => c.name)).toEqual(["flaky"]);
    expect(checks[0]).toMatchObject({ runs: 3, passRate: 1 });
    expect(checks[0]!.provenFlakyDrvs).toHaveLength(1);
    expect((await json(["flaky", "--last", "2"])).checks[0]!.provenFlakyDrvs).toEqual([]);
  });

  test("prints a table with what stands out", async () => {
    const ran = await history([]);
    expect(ran.stdout).toMatch(/^5 run\(s\)/);
    expect(ran.stdout).toMatch(/flaky +5 +80%/);
    expect(ran.stdout).toContain("PROVEN FLAKY: the same derivation both passed and failed");
    expect(ran.stdout).toContain("failing since run 20260102T100000.000Z-aaaaa2");
    expect(ran.stdout).toContain("ready to un-quarantine");
  });

  test("a --from folder that does not exist is a usage error", async () => {
    const ran = await nixotel(["history", "--from", join(cwd, "missing")], { cwd, env: baseEnv() });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain("Expected --from to name a run folder or a folder of runs");
  });

  test("--last N: durations against the N runs before; the failing streak's first run and last pass, with git revisions", async () => {
    // tests/fixtures/runs/trend: six runs at revisions 111…–666…; `slowing` takes 1 s, then 2.3–2.5 s;
    // `regressed` passed at 333… and fails from 444… on (a new derivation).
    const ran = await nixotel(
      ["history", "--from", join(import.meta.dirname, "..", "fixtures", "runs", "trend"), "--last", "3", "--json"],
      {
        cwd,
        env: baseEnv(),
      },
    );
    expect(ran.code, ran.stderr).toBe(0);
    const by = Object.fromEntries((JSON.parse(ran.stdout) as { checks: CheckHistory[] }).checks.map((c) => [c.name, c]));
    expect(by.slowing).toMatchObject({ runs: 3, medianMs: 2400, p95Ms: 2500 });
    expect(by.slowing!.trend).toEqual({ previousRuns: 3, previousMedianMs: 1000, previousP95Ms: 1000, medianChange: 1.4, p95Change: 1.5 });
    // The streak began before the window: history names its real start, and the revision to bisect from.
    expect(by.regressed!.failingSince).toEqual({
      runId: "20260204T090000.000Z-cccc04",
      startedAt: "2026-02-04T09:00:00.000Z",
      revision: "4".repeat(40),
    });
    expect(by.regressed!.lastPassed).toMatchObject({ runId: "20260203T090000.000Z-cccc03", revision: "3".repeat(40) });

    const text = await nixotel(["history", "--from", join(import.meta.dirname, "..", "fixtures", "runs", "trend"), "--last", "2"], {
      cwd,
      env: baseEnv(),
    });
    expect(text.stdout).toContain(
      "failing since run 20260204T090000.000Z-cccc04 (2026-02-04T09:00:00.000Z) at 444444444444; last passed in run 20260203T090000.000Z-cccc03 at 333333333333",
    );
    expect(text.stdout).toContain("median 1.0s → 2.4s (+140%), p95 2.3s → 2.5s (+9%) against the 2 run(s) before");
  });

  test("quantiles by nearest rank", () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4, 100], 0.95)).toBe(100);
  });
});
