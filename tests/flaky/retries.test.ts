// `nixotel run --retries`: real nix on the `flaky` fixture (a stable, a flaky and a broken check).
import { chmod, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { type RunRecord } from "../../src/runs/record.js";
import { baseEnv, copyFixture, nixotel, type FlakeCopy } from "../runner/support/fixture.js";
import { newestRun } from "../runner/support/runs.js";
import { withScratch } from "./scratch.js";

let flake: FlakeCopy;
let scratch: string;

beforeEach(async () => {
  flake = await copyFixture("flaky");
  scratch = await withScratch(flake);
});
afterEach(async () => {
  await flake.remove();
  await rm(scratch, { recursive: true, force: true });
});

const env = () => baseEnv({ OTEL_TRACES_EXPORTER: "none" });
const realNix = execFileSync("sh", ["-c", "command -v nix"], { encoding: "utf8" }).trim();
const run = (argv: string[]) => nixotel(["run", "--flake", flake.ref, "--junit", "junit.xml", ...argv], { cwd: flake.dir, env: env() });

async function lastRecord(): Promise<{ record: RunRecord; spans: string }> {
  const { dir, record } = await newestRun(join(flake.dir, ".nixotel"));
  return { record, spans: await readFile(join(dir, "spans.jsonl"), "utf8") };
}

const check = (record: RunRecord, name: string) => record.checks.find((c) => c.name === name)!;

describe("run --retries on a stable, a flaky and a broken check", () => {
  test("fails only for the broken check; the flaky one passes on its second build, reported flaky", async () => {
    const ran = await run(["--retries", "2"]);
    expect(ran.code, ran.stderr).toBe(1);
    const { record, spans } = await lastRecord();
    expect(check(record, "stable")).toMatchObject({ status: "pass" });
    expect(check(record, "stable").attempts).toBeUndefined();
    const flaky = check(record, "flaky");
    expect(flaky).toMatchObject({ status: "pass", flaky: true });
    expect(flaky.attempts?.map((a) => a.status)).toEqual(["fail", "pass"]);
    expect(flaky.attempts?.[0]?.logTail.join("\n")).toContain("build 1: the port did not open in time");
    const broken = check(record, "broken");
    expect(broken).toMatchObject({ status: "fail", flaky: false });
    expect(broken.attempts?.map((a) => a.status)).toEqual(["fail", "fail", "fail"]);

    expect(ran.stdout).toMatch(/PASS nixos-tests\.flaky .* flaky: passed on build 2 of 2/);
    expect(ran.stdout).toMatch(/FAIL nixos-tests\.broken .* failed all 3 builds/);
    expect(ran.stdout).toMatch(/2 passed, 1 failed, 1 flaky/);

    // Each build its own span under the check span, numbered; the check span says flaky and attempts.
    expect(spans).toContain('"key":"nixotel.flaky","value":{"boolValue":true}');
    expect(spans).toMatch(/"key":"nixotel.attempts","value":{"intValue":"?2"?}/);
    expect(spans.match(/"key":"nixotel.attempt","value"/g)).toHaveLength(2 + 3);

    const junit = await readFile(join(flake.dir, "junit.xml"), "utf8");
    expect(junit).toMatch(
      /<testcase name="flaky"[\s\S]*?<flakyFailure message="flaky failed on build 1" type="test_failed"><stackTrace>[^<]*build 1: the port did not open/,
    );
    expect(junit.match(/<rerunFailure /g)).toHaveLength(2);
    expect(junit).toMatch(/failures="1"/);
  });

  /** Runs nixotel with nix on PATH, as nixotel finds it, behind a script that notes every call before
   * running the real one; the calls that evaluate the flake (`nix eval …`, `nix flake check …`). */
  async function flakeEvaluations(argv: string[]): Promise<{ code: number; stderr: string; evaluations: string[] }> {
    const bin = join(scratch, "bin");
    const calls = join(scratch, "nix-calls");
    await mkdir(bin);
    await writeFile(join(bin, "nix"), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${calls}'\nexec '${realNix}' "$@"\n`);
    await chmod(join(bin, "nix"), 0o755);
    const ran = await nixotel([...argv, "--flake", flake.ref], { cwd: flake.dir, env: { ...env(), PATH: `${bin}:${process.env.PATH}` } });
    const evaluations = (await readFile(calls, "utf8"))
      .split("\n")
      .filter((call) => /(^| )(eval|flake check) /.test(call) && call.includes(flake.ref));
    return { code: ran.code, stderr: ran.stderr, evaluations };
  }

  test("a retry builds the derivation the run evaluated: the flake is evaluated once", async () => {
    const ran = await flakeEvaluations(["run", "--retries", "2"]);
    expect(ran.code, ran.stderr).toBe(1);
    expect(check((await lastRecord()).record, "broken").attempts).toHaveLength(3); // two retries were built
    expect(ran.evaluations).toHaveLength(1);
  });

  test("check --retries builds the derivations `nix flake check` evaluated: no evaluation after it", async () => {
    const ran = await flakeEvaluations(["check", "--retries", "2"]);
    expect(ran.code, ran.stderr).toBe(1);
    const { record } = await lastRecord();
    expect(check(record, "flaky")).toMatchObject({ status: "pass", flaky: true });
    expect(check(record, "broken").attempts?.map((a) => a.status)).toEqual(["fail", "fail", "fail"]);
    // `nix flake check`, then one `nix eval` of which derivation is which check; the retries evaluate nothing.
    expect(ran.evaluations.map((call) => / (flake check|eval) /.exec(` ${call}`)?.[1])).toEqual(["flake check", "eval"]);
  });

  test("--fail-on-flaky makes a flaky check fail the run", async () => {
    const strict = await run(["--retries", "1", "--fail-on-flaky", "flaky"]);
    expect(strict.code, strict.stdout).toBe(1);
    expect((await lastRecord()).record.checks[0]).toMatchObject({ status: "pass", flaky: true });
    expect(strict.stdout).toContain("(failure)");
    expect(strict.stdout).not.toContain("unreadable telemetry");
  });

  test("quarantining the broken check in nixotel.json makes the run exit 0, with the check reported", async () => {
    await writeFile(join(flake.dir, "nixotel.json"), JSON.stringify({ quarantine: { broken: "https://example.org/issues/123" } }));
    const ran = await run(["--retries", "1"]);
    expect(ran.code, ran.stdout).toBe(0);
    const { record, spans } = await lastRecord();
    expect(check(record, "broken")).toMatchObject({ status: "fail", quarantine: "https://example.org/issues/123" });
    expect(ran.stdout).toMatch(/FAIL nixos-tests\.broken .* quarantined: https:\/\/example\.org\/issues\/123/);
    expect(spans).toContain('"key":"nixotel.quarantined","value":{"boolValue":true}');
    const junit = await readFile(join(flake.dir, "junit.xml"), "utf8");
    expect(junit).toContain('<skipped message="quarantined: https://example.org/issues/123"/>');
    expect(junit).toMatch(/<testsuites [^>]*failures="0"/);
  });
});
