// The run folder: made and proven writable before nix starts (exit 2, nothing built); a write that
// fails later (simulated: the run folder replaced by a regular file while nix builds, so every write
// in it fails, as a full disk would fail it) still ends with the summary, the JUnit file,
// the spans at the collector and the tests' exit code; `report latest` skips a folder without a record.
import { mkdir, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { rmSync, writeFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import type { OtlpReceiver } from "../support/otlp-receiver.js";
import { baseEnv, nixotel, type FlakeCopy } from "./support/fixture.js";
import { useFixtureAndReceiver } from "./support/fixture-and-receiver.js";
import { spansOfProtobufBody } from "./support/trace.js";

let flake: FlakeCopy;
let receiver: OtlpReceiver;
useFixtureAndReceiver("mixed", (copy, started) => ([flake, receiver] = [copy, started]));

// nix's evaluation starts before the run folder is made (it runs while the pipeline loads); it is
// stopped when the folder cannot be made, so nothing is built.
test("--out under a regular file: exit 2 with a clear message; nix's evaluation stopped, nothing built", async () => {
  await writeFile(join(flake.dir, "not-a-folder"), "a regular file\n");
  const result = await nixotel(["run", "pass", "--flake", flake.ref, "--out", "not-a-folder/out"], { cwd: flake.dir, env: baseEnv() });
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(
    /^nixotel: Cannot record the run: expected a folder nixotel can write at .*not-a-folder\/out\/runs\/\S+, got ENOTDIR: /m,
  );
  expect(result.stderr).toContain(
    "Choose another --out DIR (default .nixotel), or free the disk or fix the folder's rights. Nothing was built.",
  );
  expect(result.stderr).not.toContain("building");
  expect(result.stderr).not.toContain("internal error");
});

test("a run folder that fails mid-run: summary, JUnit, spans at the collector, the tests' exit code, what was not written", async () => {
  const out = join(flake.dir, "mid-run");
  let replaced = "";
  const result = await nixotel(["run", "pass", "fail", "--flake", flake.ref, "--out", "mid-run", "--junit", "junit.xml"], {
    cwd: flake.dir,
    env: baseEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url }),
    onStderr: (text) => {
      if (replaced || !text.includes("building")) return;
      // The folder was made before nix started; now it goes, and a regular file takes its place.
      replaced = join(out, "runs", readdirSync(join(out, "runs"))[0]!);
      rmSync(replaced, { recursive: true });
      writeFileSync(replaced, "not a folder any more\n");
    },
  });
  expect(replaced).not.toBe("");
  expect(result.code, result.stderr).toBe(1); // the failing check decides, not the disk
  expect(result.stdout).toMatch(/PASS nixos-tests\.pass .*\nFAIL nixos-tests\.fail .*test_failed/);
  expect(result.stdout).toContain("spans.jsonl not written");
  expect(result.stdout).toContain(`junit: ${join(flake.dir, "junit.xml")}`);
  expect(result.stderr).toContain("nixotel: the run is reported above, but these files could not be written:");
  // spans.jsonl is appended to (ENOTDIR: its folder is a file now); run.json's mkdir fails first
  // (EEXIST); a full disk would say ENOSPC. Each file is named once, however often it was tried.
  expect(result.stderr).toContain(`  - ${join(replaced, "spans.jsonl")}: ENOTDIR`);
  expect(result.stderr).toContain(`  - ${join(replaced, "run.json")}: EEXIST`);
  expect(result.stderr.split(`  - ${join(replaced, "run.json")}:`)).toHaveLength(2);
  expect(result.stderr).not.toContain("internal error");
  expect(await readFile(join(flake.dir, "junit.xml"), "utf8")).toContain('<testcase name="fail"');
  // The disk failed, the collector did not: every span reached it.
  const traces = receiver.requests.findLast((r) => r.path === "/v1/traces")!;
  expect(spansOfProtobufBody(traces.body).map((s) => s.name)).toEqual(expect.arrayContaining(["nixotel run"]));
});

test("`report latest` skips a run folder without a record (a run killed before writing it) and no failed run leaves one", async () => {
  const out = join(flake.dir, "latest");
  const done = await nixotel(["run", "pass", "--flake", flake.ref, "--out", "latest"], { cwd: flake.dir, env: baseEnv() });
  expect(done.code, done.stderr).toBe(0);
  const [recorded] = await readdir(join(out, "runs"));
  // A run that failed before nix could build (an unknown check) leaves no folder behind.
  expect((await nixotel(["run", "nope", "--flake", flake.ref, "--out", "latest"], { cwd: flake.dir, env: baseEnv() })).code).toBe(2);
  expect(await readdir(join(out, "runs"))).toEqual([recorded]);
  // A newer folder with no run.json yet: a run still going, or one killed by a second signal.
  await mkdir(join(out, "runs", "29991231T235959.999Z-abcdef"));
  const report = await nixotel(["report", "latest", "--out", "latest"], { cwd: flake.dir, env: baseEnv() });
  expect(report.code, report.stderr).toBe(0);
  expect(report.stdout).toContain("1 passed");
  await rm(join(out, "runs", "29991231T235959.999Z-abcdef"), { recursive: true });
  expect((await stat(join(out, "runs", recorded!))).isDirectory()).toBe(true);
});
