// Check names nix accepts but no installable can spell (issue 11, case 8): `run` builds the derivations
// its evaluation produced, `check` reads names as JSON, so each check is built and reported under its
// own name. Real nix on the `odd-names` fixture.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type RunRecord } from "../../src/runs/record.js";
import { readSpansFile } from "./support/trace.js";
import { baseEnv, copyFixture, nixotel, type FlakeCopy } from "./support/fixture.js";
import { newestRun } from "./support/runs.js";

const PASSING = ["back\\slash", "dollar${brace}", "if", 'say"hi', "ünïcödé ✓"];
const FAILING = 'fails "loudly"';

const lastRecord = (flakeDir: string) => newestRun(join(flakeDir, ".nixotel"));

const statuses = (record: RunRecord) => record.checks.map((c) => [c.name, c.status]).sort();
const expectedStatuses = [...PASSING.map((name) => [name, "pass"]), [FAILING, "fail"]].sort();

describe.each(["run", "check"])("`nixotel %s` on checks named with quotes, backslashes and unicode", (command) => {
  let flake: FlakeCopy;
  let code: number;
  let stderr: string;
  beforeAll(async () => {
    flake = await copyFixture("odd-names");
    ({ code, stderr } = await nixotel([command, "--flake", flake.ref, "--junit", "junit.xml"], { cwd: flake.dir, env: baseEnv() }));
  });
  afterAll(async () => {
    await flake?.remove();
  });

  test("builds every check and reports each under its own name", async () => {
    expect(code, stderr).toBe(1); // the one failing check, not a run error
    const { record, dir: runDir } = await lastRecord(flake.dir);
    expect(record.result).toBe("failure");
    expect(statuses(record)).toEqual(expectedStatuses);
    expect(record.checks.find((c) => c.name === 'say"hi')?.attr).toBe('checks.x86_64-linux."say\\"hi"');
    const spans = await readSpansFile(join(runDir, "spans.jsonl"));
    for (const name of [...PASSING, FAILING])
      expect(
        spans.some((s) => s.name === `test.nixos-tests.${name}`),
        name,
      ).toBe(true);
    const junit = await readFile(join(flake.dir, "junit.xml"), "utf8");
    expect(junit).toContain('name="say&quot;hi"');
  });
});

test("`nixotel run NAME` picks checks by names holding quotes and unicode", async () => {
  const flake = await copyFixture("odd-names");
  try {
    const result = await nixotel(["run", "--flake", flake.ref, 'say"hi', "ünïcödé ✓"], { cwd: flake.dir, env: baseEnv() });
    expect(result.code, result.stderr).toBe(0);
    expect(statuses((await lastRecord(flake.dir)).record)).toEqual([
      ['say"hi', "pass"],
      ["ünïcödé ✓", "pass"],
    ]);
  } finally {
    await flake.remove();
  }
});
