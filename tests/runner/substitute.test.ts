// `nixotel run` of a check nix substitutes from a real (local, unsigned) binary cache instead of building.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { SpanData } from "../../src/spans/model.js";
import { baseEnv, copyFixture, nixotel, type FlakeCopy, type Invocation } from "./support/fixture.js";
import { readSpansFile } from "./support/trace.js";

const run = promisify(execFile);
const NIX_CONFIG = "experimental-features = nix-command flakes\nsubstituters =";

let flake: FlakeCopy;
let cacheDir: string;
let invocation: Invocation;
let spans: SpanData[];

beforeAll(async () => {
  flake = await copyFixture("mixed");
  cacheDir = await mkdtemp(join(tmpdir(), "nixotel-cache-"));
  const nix = (...args: string[]) => run("nix", args, { cwd: flake.dir, env: { ...process.env, NIX_CONFIG } });
  // Build `pass` once, put its output in a file:// cache, and delete it from the store.
  const installable = `${flake.ref}#checks.x86_64-linux.pass`;
  await nix("build", "--no-link", installable);
  const outPath = (await nix("eval", "--raw", `${installable}.outPath`)).stdout;
  await nix("copy", "--to", `file://${cacheDir}`, outPath);
  await nix("store", "delete", outPath);

  const env = baseEnv({ NIX_CONFIG: `substituters = file://${cacheDir}\nrequire-sigs = false` });
  invocation = await nixotel(["run", "pass", "--flake", flake.ref], { cwd: flake.dir, env });
  const runs = await readdir(join(flake.dir, ".nixotel", "runs"));
  spans = await readSpansFile(join(flake.dir, ".nixotel", "runs", runs[0]!, "spans.jsonl"));
}, 120_000);

afterAll(async () => {
  await flake?.remove();
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
});

test("a check fetched from a binary cache passes, is marked substituted, and has no build", () => {
  expect(invocation.code, invocation.stderr).toBe(0);
  const check = spans.find((s) => s.name === "test.nixos-tests.pass")!;
  expect(check.attributes).toMatchObject({ "nix.substituted": true, "nix.cached": false, "test.case.result.status": "pass" });
  expect(spans.filter((s) => s.name.startsWith("build "))).toEqual([]);
  // A local cache answers in about a millisecond, under the 10 ms a span needs; any that made it sits under the run.
  const root = spans.find((s) => s.name === "nixotel run")!;
  for (const span of spans.filter((s) => s.name.startsWith("substitute ") || s.name === "nix: query binary caches")) {
    expect(span.parentSpanId).toBe(root.spanId);
    if (span.name.startsWith("substitute ")) expect(span.attributes).toMatchObject({ "nix.store_path": check.attributes["nix.out_path"] });
  }
});
