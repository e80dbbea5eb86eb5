// Runs that cannot start (exit 2 with a message that says why), and a run stopped by a signal.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runRecord } from "../../src/runs/record.js";
import { readSpansFile } from "./support/trace.js";
import { baseEnv, copyFixture, nixotel, type FlakeCopy } from "./support/fixture.js";

let flake: FlakeCopy;
beforeAll(async () => {
  flake = await copyFixture("mixed");
});
afterAll(async () => {
  await flake?.remove();
});

test("an unknown check name exits 2 and lists the available checks", async () => {
  const result = await nixotel(["run", "pass", "nope", "--flake", flake.ref], { cwd: flake.dir, env: baseEnv() });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(`Unknown check "nope" in ${flake.ref}#checks.x86_64-linux. Available: fail, pass, slow.`);
});

test("nix's current system wins over Node's guess of it (discovery evaluates nix's)", async () => {
  // nix's `system` setting makes builtins.currentSystem differ from the host Node runs on.
  const env = baseEnv({ NIX_CONFIG: "substituters =\nsystem = aarch64-linux" });
  const result = await nixotel(["run", "nope", "--flake", flake.ref], { cwd: flake.dir, env });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain(`Unknown check "nope" in ${flake.ref}#checks.aarch64-linux.`);
});

test("a flake folder without flake.nix exits 2 saying so, before asking nix", async () => {
  const result = await nixotel(["run", "--flake", "path:/nonexistent/nixotel-flake"], { cwd: flake.dir, env: baseEnv() });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain("No flake.nix in /nonexistent/nixotel-flake: nixotel builds a flake's checks.");
  expect(result.stderr).toContain("pass --flake REF");
  expect(result.stderr).not.toContain("nix eval");
});

test.each([["run"], ["check"]])("`nixotel %s` outside any flake names the folders searched and --flake", async (command) => {
  const dir = await mkdtemp(join(tmpdir(), "nixotel-noflake-"));
  try {
    const result = await nixotel([command], { cwd: join(dir), env: baseEnv() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`No flake.nix in ${dir} or any folder above it`);
    expect(result.stderr).toContain("pass --flake REF");
    expect(result.stderr).not.toContain("Expected `nix eval` to exit 0");
    // Searching upwards as nix does: a flake.nix in a parent folder is found.
    await writeFile(join(dir, "flake.nix"), `{ outputs = { self }: { checks.x86_64-linux = { }; }; }\n`);
    await mkdir(join(dir, "sub"));
    const below = await nixotel([command], { cwd: join(dir, "sub"), env: baseEnv() });
    expect(below.stderr).not.toContain("No flake.nix");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("an evaluation error exits 2 with nix's message, ANSI stripped", async () => {
  const dir = await mkdtemp(join(tmpdir(), "nixotel-broken-"));
  try {
    await writeFile(join(dir, "flake.nix"), `{ outputs = { self }: { checks.x86_64-linux.x = throw "broken on purpose"; }; }\n`);
    const result = await nixotel(["run", "--flake", `path:${dir}`], { cwd: dir, env: baseEnv() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("broken on purpose");
    expect(result.stderr).not.toMatch(/\x1b/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("nix missing from PATH exits 2 saying so", async () => {
  const result = await nixotel(["run", "--flake", flake.ref], { cwd: flake.dir, env: { ...baseEnv(), PATH: "/nonexistent" } });
  expect(result.code).toBe(2);
  expect(result.stderr).toContain("Could not run `nix`: it is not on PATH (/nonexistent)");
});

test("a signal during the build stops nix, records a cancellation and still writes the spans", async () => {
  const controller = new AbortController();
  const result = await nixotel(["run", "--flake", flake.ref, "--out", "cancelled"], {
    cwd: flake.dir,
    env: baseEnv(),
    signal: controller.signal,
    // What src/index.ts does on SIGINT/SIGTERM, as soon as the slow check is building.
    onStderr: (text) => text.includes("building slow") && controller.abort("SIGTERM"),
  });
  expect(result.code).toBe(2);
  const runs = await readdir(join(flake.dir, "cancelled", "runs"));
  const dir = join(flake.dir, "cancelled", "runs", runs[0]!);
  const record = runRecord.parse(JSON.parse(await readFile(join(dir, "run.json"), "utf8")));
  expect(record.result).toBe("cancellation");
  expect(record.checks.find((c) => c.name === "slow")).toMatchObject({ status: "cancelled", errorType: "cancelled" });
  const spans = await readSpansFile(join(dir, "spans.jsonl"));
  expect(spans.find((s) => s.name === "nixotel run")?.attributes["cicd.pipeline.result"]).toBe("cancellation");
  expect(spans.find((s) => s.name === "test.nixos-tests.slow")?.attributes["cicd.pipeline.task.run.result"]).toBe("cancellation");
  // nix was stopped: the slow check never produced its output.
  const slowOut = record.checks.find((c) => c.name === "slow")!.outPath!;
  await expect(readdir(slowOut)).rejects.toThrow();
});

test("--timeout stops nix and fails the unfinished checks with error.type timeout", async () => {
  const copy = await copyFixture("mixed");
  try {
    const result = await nixotel(["run", "slow", "--flake", copy.ref, "--timeout", "1"], { cwd: copy.dir, env: baseEnv() });
    expect(result.code).toBe(1);
    const runs = await readdir(join(copy.dir, ".nixotel", "runs"));
    const record = runRecord.parse(JSON.parse(await readFile(join(copy.dir, ".nixotel", "runs", runs[0]!, "run.json"), "utf8")));
    expect(record.result).toBe("timeout");
    expect(record.checks[0]).toMatchObject({ name: "slow", status: "fail", errorType: "timeout" });
  } finally {
    await copy.remove();
  }
});

test("a failed test's spans come from its `@nixotel-otlp ` log lines (nix keeps no $out)", async () => {
  const copy = await copyFixture("prelude-fail");
  try {
    const result = await nixotel(["run", "--flake", copy.ref], { cwd: copy.dir, env: baseEnv() });
    expect(result.code).toBe(1);
    const runs = await readdir(join(copy.dir, ".nixotel", "runs"));
    const spans = await readSpansFile(join(copy.dir, ".nixotel", "runs", runs[0]!, "spans.jsonl"));
    const check = spans.find((s) => s.name === "test.prelude.traced")!;
    const test = spans.find((s) => s.name === "test traced")!;
    expect(test.parentSpanId).toBe(check.spanId);
    expect(test.traceId).toBe(check.traceId);
    expect(spans.find((s) => s.name === "subtest: explode" && s.attributes["nixos.test.subtest"] === "explode")?.parentSpanId).toBe(
      test.spanId,
    );
    const record = runRecord.parse(JSON.parse(await readFile(join(copy.dir, ".nixotel", "runs", runs[0]!, "run.json"), "utf8")));
    expect(record.checks[0]!.subtests.map((s) => [s.name, s.status])).toEqual([["explode", "fail"]]); // from the prelude's spans
    // The driver's own lines are not parsed when the prelude's spans exist.
    expect(spans.some((s) => s.name.startsWith("subtest: ignored"))).toBe(false);
    const tail = String(check.events.find((e) => e.name === "log.tail")?.attributes["log.tail"]);
    expect(tail).toContain('Test "traced" failed');
    expect(tail).not.toContain("@nixotel-otlp");
  } finally {
    await copy.remove();
  }
});

test("nix failing before any build (no build allowed anywhere) is a run error, no check blamed", async () => {
  const copy = await copyFixture("mixed");
  try {
    // --jobs 0 without --builders: nix refuses to start any build ("unable to start any build").
    const result = await nixotel(["run", "pass", "slow", "--jobs", "0", "--flake", copy.ref], { cwd: copy.dir, env: baseEnv() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("nix failed before any test ran");
    expect(result.stderr).toContain("unable to start any build");
    const runs = await readdir(join(copy.dir, ".nixotel", "runs"));
    const record = runRecord.parse(JSON.parse(await readFile(join(copy.dir, ".nixotel", "runs", runs[0]!, "run.json"), "utf8")));
    expect(record.result).toBe("error");
    expect(record.checks.map((c) => [c.name, c.status, c.errorType])).toEqual([
      ["pass", "cancelled", undefined],
      ["slow", "cancelled", undefined],
    ]);
  } finally {
    await copy.remove();
  }
});
