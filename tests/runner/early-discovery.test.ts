// `run` asks nix for its checks before the rest of the pipeline (and yargs) load: the first progress
// line comes before nix's discovery ends, and a run that ends before discovery is wanted (a bad
// nixotel.json) stops nix. A fake `nix` on PATH blocks until the test writes a marker, so the order is
// forced by the test, never by timing.
import { access, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import type { Context } from "../../src/context.js";
import { isErrno } from "../../src/files.js";
import { main } from "../../src/main.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "nixotel-early-"));
  // Says it started (its pid), then waits for `release` and fails as an evaluation would.
  const fake = `#!/bin/sh\necho $$ > '${dir}/started.tmp' && mv '${dir}/started.tmp' '${dir}/started'\nwhile [ ! -e '${dir}/release' ]; do sleep 0.05; done\necho 'error: fake evaluation failed' >&2\nexit 1\n`;
  await writeFile(join(dir, "nix"), fake, { mode: 0o755 });
  await writeFile(join(dir, "flake.nix"), "{ outputs = _: { }; }\n");
});
afterEach(async () => {
  await writeFile(join(dir, "release"), ""); // a fake still waiting ends
  await rm(dir, { recursive: true, force: true });
});

const exists = (path: string) =>
  access(path).then(
    () => true,
    (error: unknown) => (isErrno(error, "ENOENT") ? false : Promise.reject(error)),
  );

/** Resolves once `path` exists (the fake nix made it). */
async function appeared(path: string): Promise<void> {
  while (!(await exists(path))) await new Promise((resolve) => setTimeout(resolve, 20));
}

function context(onStderr: (text: string) => void): Context {
  return {
    cwd: dir,
    env: { ...process.env, PATH: `${dir}:${process.env.PATH}` },
    stdout: () => undefined,
    stderr: onStderr,
    interactive: false,
    signal: new AbortController().signal,
  };
}

test("the first progress line is printed while nix's discovery is still running", async () => {
  let stderr = "";
  let firstLine: (text: string) => void;
  const first = new Promise<string>((resolve) => (firstLine = resolve));
  const running = main(
    ["run", "--flake", `path:${dir}`, "--system", "x86_64-linux"],
    context((text) => {
      if (!stderr) firstLine(text);
      stderr += text;
    }),
  );
  expect(await first).toBe(`nixotel: evaluating the checks of path:${dir}\n`);
  await appeared(join(dir, "started"));
  expect(await exists(join(dir, "release"))).toBe(false);
  await writeFile(join(dir, "release"), "");
  expect(await running).toBe(2);
  expect(stderr).toContain("fake evaluation failed");
});

test("a run that ends before its discovery is wanted (a bad nixotel.json) stops nix", async () => {
  await writeFile(join(dir, "nixotel.json"), JSON.stringify({ bogus: true }));
  let stderr = "";
  const code = await main(
    ["run", "--flake", `path:${dir}`, "--system", "x86_64-linux"],
    context((text) => (stderr += text)),
  );
  expect(code).toBe(2);
  expect(stderr).toContain("bogus");
  // nix was asked first, and is stopped: were it left to wait for `release`, this would never end.
  await appeared(join(dir, "started"));
  const pid = Number((await readFile(join(dir, "started"), "utf8")).trim());
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      if (isErrno(error, "ESRCH")) return false;
      throw error;
    }
  };
  while (alive()) await new Promise((resolve) => setTimeout(resolve, 20));
});
