// `nixotel check` end to end: real `nix flake check` on offline fixture flakes (no nixpkgs needed).
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { type RunRecord } from "../../src/runs/record.js";
import type { SpanData } from "../../src/spans/model.js";
import { SUREFIRE_SCHEMA, XUNIT_SCHEMA, suiteDocuments, validate } from "../report/support/junit-schemas.js";
import { baseEnv, copyFixture, nixotel, type FlakeCopy, type Invocation } from "../runner/support/fixture.js";
import { newestRun } from "../runner/support/runs.js";

async function lastRun(dir: string, out = ".nixotel"): Promise<{ record: RunRecord; spans: SpanData[] }> {
  const run = await newestRun(join(dir, out));
  return { record: run.record, spans: await run.spans() };
}

describe("a flake with a passing, a failing and a broken check and a broken package", () => {
  let flake: FlakeCopy;
  let result: Invocation;
  let record: RunRecord;
  let spans: SpanData[];
  const byName = (name: string) => {
    const found = spans.filter((s) => s.name === name);
    expect(found, name).toHaveLength(1);
    return found[0]!;
  };

  beforeAll(async () => {
    flake = await copyFixture("flake-check");
    result = await nixotel(["check", "--flake", flake.ref, "--junit", "junit.xml"], { cwd: flake.dir, env: baseEnv() });
    ({ record, spans } = await lastRun(flake.dir));
  });
  afterAll(async () => {
    await flake?.remove();
  });

  test("exits 1, names each evaluation error on stderr and summarises", () => {
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain("nixotel: checks.x86_64-linux.broken failed to evaluate: the broken check fails to evaluate");
    expect(result.stderr).toContain(
      "nixotel: packages.x86_64-linux.broken failed to evaluate: evaluation aborted with the following error message: 'the broken package fails to evaluate'",
    );
    expect(result.stdout).toMatch(/1 passed, 5 failed, 0 cached .*\(failure\)/);
  });

  test("one trace: the check run, the built checks with their builds, and every evaluation error as a failed check", () => {
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    const root = byName("nixotel check");
    expect(root.parentSpanId).toBeUndefined();
    expect(root.attributes).toMatchObject({
      "cicd.pipeline.name": `nixotel check ${flake.ref}`,
      "cicd.pipeline.result": "failure",
      "nix.system": "x86_64-linux",
    });
    const parentName = (span: SpanData) => spans.find((s) => s.spanId === span.parentSpanId)?.name ?? "-";
    expect(spans.map((s) => `${parentName(s)} > ${s.name}`).sort()).toEqual(
      [
        "- > nixotel check",
        "nixotel check > evaluating flake",
        "evaluating flake > checking flake output 'checks'",
        "evaluating flake > checking flake output 'packages'",
        "nixotel check > test.nixos-tests.pass",
        "nixotel check > test.nixos-tests.fail",
        "nixotel check > test.nixos-tests.broken",
        "nixotel check > test.flake.checks.aarch64-linux.broken",
        "nixotel check > test.flake.packages.x86_64-linux.broken",
        "nixotel check > test.flake.packages.aarch64-linux.broken",
        "test.nixos-tests.pass > build pass",
        "test.nixos-tests.pass > subtest: it works",
        "test.nixos-tests.fail > build fail",
        "test.nixos-tests.fail > subtest: it breaks",
      ].sort(),
    );
    expect(byName("test.nixos-tests.pass").status.code).toBe(1);
    expect(byName("test.nixos-tests.fail").attributes["error.type"]).toBe("test_failed");
    // nix's own evaluation activities, inside the run.
    const evaluating = byName("evaluating flake");
    expect(evaluating.attributes).toMatchObject({ "nix.system": "x86_64-linux", "nix.flake.outputs.count": 2 });
    expect(evaluating.startNs >= byName("nixotel check").startNs && evaluating.endNs <= byName("nixotel check").endNs).toBe(true);
  });

  test("an evaluation error is a failed span carrying nix's message", () => {
    const broken = byName("test.nixos-tests.broken");
    expect(broken.status).toEqual({ code: 2, message: "the broken check fails to evaluate" });
    expect(broken.attributes).toMatchObject({
      "error.type": "eval_failed",
      "nix.attr": "checks.x86_64-linux.broken",
      "test.case.result.status": "fail",
    });
    expect(broken.attributes["nix.drv_path"]).toBeUndefined();
    const tail = String(broken.events.find((e) => e.name === "log.tail")?.attributes["log.tail"]);
    expect(tail).toContain("… while checking the derivation 'checks.x86_64-linux.broken'");
    const pkg = byName("test.flake.packages.x86_64-linux.broken");
    expect(pkg.status.message).toBe("evaluation aborted with the following error message: 'the broken package fails to evaluate'");
  });

  test("run.json says check and lists every check and evaluation error", () => {
    expect(record.command).toBe("check");
    expect(record.result).toBe("failure");
    expect(record.checks.map((c) => [c.suite, c.name, c.status, c.errorType ?? null])).toEqual([
      ["nixos-tests", "fail", "fail", "test_failed"],
      ["nixos-tests", "pass", "pass", null],
      ["nixos-tests", "broken", "fail", "eval_failed"],
      ["flake", "checks.aarch64-linux.broken", "fail", "eval_failed"],
      ["flake", "packages.x86_64-linux.broken", "fail", "eval_failed"],
      ["flake", "packages.aarch64-linux.broken", "fail", "eval_failed"],
    ]);
    expect(record.checks.find((c) => c.name === "broken")?.drvPath).toBeUndefined();
  });

  test("JUnit: one testcase each, the evaluation error as a failure with nix's message", async () => {
    const xml = await readFile(join(flake.dir, "junit.xml"), "utf8");
    expect(xml).toContain(`<testsuites name="nixotel check ${flake.ref}" tests="6" failures="5"`);
    expect(xml).toContain('<testsuite name="flake" tests="3" failures="3"');
    expect(xml).toMatch(
      /<testcase name="broken" classname="nixos-tests"[^]*?<failure message="broken failed: eval_failed" type="eval_failed">error: the broken check fails to evaluate/,
    );
    expect(await validate(xml, XUNIT_SCHEMA)).toEqual({ valid: true, errors: "" });
    for (const suite of suiteDocuments(xml)) expect(await validate(suite, SUREFIRE_SCHEMA)).toEqual({ valid: true, errors: "" });
  });
});

describe("other outcomes", () => {
  test("everything passes: exit 0, and a second check finds the check cached", async () => {
    const flake = await copyFixture("flake-check-pass");
    try {
      const first = await nixotel(["check", "--flake", flake.ref], { cwd: flake.dir, env: baseEnv() });
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/1 passed, 0 failed, 0 cached/);
      // Its own --out: two runs in one second have ids that do not sort by time.
      const second = await nixotel(["check", "--flake", flake.ref, "--out", "second"], { cwd: flake.dir, env: baseEnv() });
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout).toMatch(/1 passed, 0 failed, 1 cached/);
      const { record } = await lastRun(flake.dir, "second");
      expect(record.checks.map((c) => [c.name, c.cached])).toEqual([["ok", true]]);
    } finally {
      await flake.remove();
    }
  });

  test("a flake that cannot be loaded at all exits 2 with nix's message, as run does", async () => {
    const dir = await mkdtemp(join(tmpdir(), "nixotel-unloadable-"));
    try {
      await writeFile(join(dir, "flake.nix"), "{ outputs = { self }: ; }\n");
      const result = await nixotel(["check", "--flake", `path:${dir}`], { cwd: dir, env: baseEnv() });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("failed before checking any output");
      expect(result.stderr).toContain("syntax error");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("one failed download that stops several outputs is one failure, said once", async () => {
    const flake = await copyFixture("flake-check-download");
    try {
      // One attempt: nix retries a failed download 5 times by default, with back-off.
      const env = baseEnv({ NIX_CONFIG: "substituters =\ndownload-attempts = 1" });
      const result = await nixotel(["check", "--flake", flake.ref], { cwd: flake.dir, env });
      expect(result.code, result.stderr).toBe(1);
      expect(result.stdout).toMatch(/0 passed, 1 failed, 0 cached .*\(failure\)/);
      const said = result.stderr.split("\n").filter((line) => line.includes("failed to evaluate"));
      expect(said).toEqual([
        "nixotel: checks failed to evaluate: unable to download 'http://127.0.0.1:1/nixpkgs.tar.gz': Couldn't connect to server (7) (also stopped devShells, packages)",
      ]);
      const { record } = await lastRun(flake.dir);
      expect(record.checks.map((c) => [c.name, c.status, c.errorType])).toEqual([["checks", "fail", "eval_failed"]]);
    } finally {
      await flake.remove();
    }
  });
});
