// scripts/demo.sh says what it is doing from its first second: set-up (apt, npm ci, tsc) can take
// minutes on a fresh machine. `npm` is replaced by a stand-in that fails, so the demo stops right at
// its first npm call; what it printed before that call is what a newcomer sees while waiting.
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, expect, test } from "vitest";

const root = join(import.meta.dirname, "..", "..");
let bin: string;

beforeAll(async () => {
  bin = await mkdtemp(join(tmpdir(), "nixotel-demo-bin-"));
  await writeFile(join(bin, "npm"), '#!/bin/sh\necho "npm $*: the stand-in stops here" >&2\nexit 1\n'); // stderr: setup.sh's stdout goes to /dev/null
  await chmod(join(bin, "npm"), 0o755);
});
afterAll(async () => {
  await rm(bin, { recursive: true, force: true });
});

test("the demo prints progress lines before its first slow set-up step", async () => {
  const result = await execa("bash", [join(root, "scripts/demo.sh")], {
    env: { PATH: `${bin}:${process.env.PATH}` },
    reject: false,
    all: true,
  });
  expect(result.exitCode).toBe(1);
  const lines = result.all.split("\n");
  const firstNpm = lines.findIndex((line) => line.startsWith("npm "));
  expect(firstNpm, result.all).toBeGreaterThan(0);
  const before = lines.slice(0, firstNpm).join("\n");
  expect(before).toContain("== 0. Set up: Debian packages, npm packages, then the CLI from source");
  expect(before).toMatch(/^-- setup\.sh: checking Debian and npm packages \(\d+s\)$/m);
  expect(before).toMatch(/^setup: Debian packages: \d+ of \d+ missing$/m);
});
