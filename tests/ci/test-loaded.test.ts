// `npm run test:loaded` (scripts/test-loaded.sh) keeps both cores busy beside the suite and always ends its
// busy loops. Here `npm` is a stand-in on PATH that fails, so the suite itself is not run twice.
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
};

it("passes npm test's exit status through and kills both busy loops it started", async () => {
  const bin = await mkdtemp(join(tmpdir(), "nixotel-fake-npm-"));
  try {
    // The stand-in npm sees the loops running, then fails.
    await writeFile(join(bin, "npm"), "#!/bin/sh\npgrep -x yes >/dev/null && echo 'loops running'\nexit 3\n");
    await chmod(join(bin, "npm"), 0o755);
    const run = await execa("bash", [join(root, "scripts/test-loaded.sh")], { env: { PATH: `${bin}:${process.env.PATH}` }, reject: false });
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toContain("loops running");
    const pids = /2 busy loops \(pids (\d+) (\d+)\)/.exec(run.stderr);
    expect(pids, run.stderr).not.toBeNull();
    expect([Number(pids![1]), Number(pids![2])].map(isRunning)).toEqual([false, false]);
    expect(run.stderr).toMatch(/npm test exited 3 after \d+ s; load after: /);
  } finally {
    await rm(bin, { recursive: true, force: true });
  }
});
