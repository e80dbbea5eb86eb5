// Stopped runs on the `interrupt` fixture (fail fails at once, slow sleeps, php8.2 has a dot in its
// name): --timeout in process, and a real SIGINT to the real CLI (`node bin/nixotel.js`).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, expect, test } from "vitest";
import { runRecord } from "../../src/runs/record.js";
import { readSpansFile } from "./support/trace.js";
import { baseEnv, copyFixture, nixotel, type FlakeCopy } from "./support/fixture.js";

const ROOT = join(import.meta.dirname, "..", "..");
let flake: FlakeCopy;

beforeAll(async () => {
  flake = await copyFixture("interrupt");
  // The CLI runs from dist/ (bin/nixotel.js imports it), which vitest's globalSetup builds first.
});
afterAll(async () => {
  await flake?.remove();
});

async function runFolder(out: string) {
  const runs = await readdir(join(flake.dir, out, "runs"));
  expect(runs).toHaveLength(1);
  const dir = join(flake.dir, out, "runs", runs[0]!);
  const record = runRecord.parse(JSON.parse(await readFile(join(dir, "run.json"), "utf8")));
  return { record, spans: await readSpansFile(join(dir, "spans.jsonl")) };
}

test("--timeout: the check that really failed is test_failed, the one cut short timeout; a dotted name builds", async () => {
  const result = await nixotel(["run", "--flake", flake.ref, "--jobs", "3", "--timeout", "5", "--out", "timeout"], {
    cwd: flake.dir,
    env: baseEnv(),
  });
  expect(result.code, result.stderr).toBe(1);
  const { record, spans } = await runFolder("timeout");
  expect(record.result).toBe("timeout");
  expect(record.checks.map((c) => [c.name, c.status, c.errorType])).toEqual([
    ["fail", "fail", "test_failed"],
    ["php8.2", "pass", undefined],
    ["slow", "fail", "timeout"],
  ]);
  expect(spans.find((s) => s.name === "test.nixos-tests.php8.2")?.attributes["nix.attr"]).toBe('checks.x86_64-linux."php8.2"');
  // The failed build is ERROR; the one nix was stopped in is not OK either.
  expect(spans.find((s) => s.name === "build fail")?.status).toMatchObject({ code: 2, message: "builder failed" });
  expect(spans.find((s) => s.name === "build slow")?.status).toMatchObject({ code: 2, message: "interrupted" });
  expect(spans.find((s) => s.name === "build php8.2")?.status.code).toBe(1);
});

test("a real SIGINT to the CLI stops nix, records a cancellation, writes the spans and exits 2", async () => {
  const child = execa("node", [join(ROOT, "bin", "nixotel.js"), "run", "--flake", flake.ref, "--jobs", "3", "--out", "sigint"], {
    cwd: flake.dir,
    env: baseEnv(),
    extendEnv: false,
    reject: false,
  });
  let sent = false;
  let progress = "";
  child.stderr.on("data", (chunk: Buffer) => {
    // Progress lines (stderr is not a terminal): interrupt once fail has failed and slow is building.
    progress += chunk.toString();
    if (!sent && progress.includes("building slow") && progress.includes("failed fail")) sent = child.kill("SIGINT");
  });
  const result = await child;
  expect(sent).toBe(true);
  expect(result.exitCode, result.stderr).toBe(2);
  const { record, spans } = await runFolder("sigint");
  expect(record.result).toBe("cancellation");
  expect(record.checks.find((c) => c.name === "slow")).toMatchObject({ status: "cancelled", errorType: "cancelled" });
  expect(record.checks.find((c) => c.name === "fail")).toMatchObject({ status: "fail", errorType: "test_failed" });
  expect(spans.find((s) => s.name === "nixotel run")?.attributes["cicd.pipeline.result"]).toBe("cancellation");
  expect(spans.some((s) => s.name === "test.nixos-tests.slow")).toBe(true);
});

test("`nixotel report latest | head`: a reader that leaves early is no error", async () => {
  // The record of the timeout run above, with enough checks that the summary outgrows a pipe's buffer.
  const runs = join(flake.dir, "timeout", "runs");
  const dir = join(runs, (await readdir(runs))[0]!);
  const record = JSON.parse(await readFile(join(dir, "run.json"), "utf8")) as { checks: { name: string }[] };
  const check = record.checks.find((c) => c.name === "fail")!;
  record.checks = Array.from({ length: 3000 }, (_, i) => ({ ...check, name: `check${i}` }));
  await (await import("node:fs/promises")).writeFile(join(dir, "run.json"), JSON.stringify(record));

  const child = execa("node", [join(ROOT, "bin", "nixotel.js"), "report", "latest", "--out", "timeout"], {
    cwd: flake.dir,
    env: baseEnv(),
    extendEnv: false,
    reject: false,
    buffer: { stdout: false },
  });
  child.stdout.once("data", () => child.stdout.destroy()); // what `head -1` does after its line
  const result = await child;
  expect(result.stderr).toBe("");
  expect(result.exitCode).toBe(0);
});
