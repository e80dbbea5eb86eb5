// What a `generate` killed with -9 leaves: writeFileAtomic's temporary files (`.NAME.PID.HEX.tmp`),
// named after a process that no longer runs. Killing a real generate between its write and its rename
// cannot be timed in a test, so a real process is killed with SIGKILL and its id names the leftovers,
// exactly as writeFileAtomic names them (tempFileFor).
import { readdir, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { execa } from "execa";
import { afterEach, beforeEach, expect, it } from "vitest";
import { tempFileFor } from "../../src/files.js";
import { runCli, tempDir } from "../support/cli.js";

let project: { path: string; cleanup: () => Promise<void> };
beforeEach(async () => {
  project = await tempDir();
});
afterEach(() => project.cleanup());

const cli = (...args: string[]) => runCli(args, { cwd: project.path });

async function killedPid(): Promise<number> {
  const child = execa("sleep", ["600"], { reject: false });
  child.kill("SIGKILL");
  await child;
  return child.pid!;
}

it("the next generate removes the temporary files an interrupted one left, and says so; --check and --dry-run only say it", async () => {
  expect((await cli("new", "web", "--template", "minimal")).code).toBe(0);
  const pid = await killedPid();
  const test = tempFileFor(join(project.path, "tests", "web.nix"), pid);
  const config = tempFileFor(join(project.path, "nixotel.json"), pid);
  // A temporary file of a process that still runs (a generate at work right now) is not stale.
  const live = tempFileFor(join(project.path, "tests", "other.nix"), process.ppid);
  for (const file of [test, config, live]) await writeFile(file, "half a file");
  const note = (path: string, dir: string) => `${dir}${basename(path)}, a temporary file left by an interrupted nixotel (process ${pid})`;

  for (const flag of ["--check", "--dry-run"]) {
    const said = await cli("generate", flag);
    expect(said.code).toBe(0);
    expect(said.stdout).toContain(`would remove ${note(config, "")}\n`);
    expect(said.stdout).toContain(`would remove ${note(test, "tests/")}\n`);
  }
  expect(await readdir(join(project.path, "tests"))).toContain(basename(test));

  const result = await cli("generate");
  expect(result.code, result.stderr).toBe(0);
  expect(result.stdout).toContain(`removed ${note(config, "")}\n`);
  expect(result.stdout).toContain(`removed ${note(test, "tests/")}\n`);
  expect((await readdir(join(project.path, "tests"))).sort()).toEqual([basename(live), "web.nix"].sort());
  expect(await readdir(project.path)).not.toContain(basename(config));
  expect((await cli("generate")).stdout).not.toContain("removed");
});
