// The resource of nixotel's spans names the tested revision: git facts of the local flake's folder,
// whatever the working directory is. Real git and nix on the `mixed` fixture made a repository.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execa } from "execa";
import { afterAll, beforeAll, expect, test } from "vitest";
import { baseEnv, copyFixture, nixotel, type FlakeCopy } from "./support/fixture.js";
import { readSpansFile } from "./support/trace.js";

const ORIGIN = "https://example.com/team/tests.git";
let flake: FlakeCopy;
let elsewhere: string;
let revision: string;

beforeAll(async () => {
  flake = await copyFixture("mixed");
  elsewhere = await mkdtemp(join(tmpdir(), "nixotel-cwd-"));
  const git = (...args: string[]) =>
    execa("git", ["-c", "user.name=nixotel", "-c", "user.email=nixotel@example.com", "-c", "init.defaultBranch=main", ...args], {
      cwd: flake.dir,
    });
  await git("init", "-q");
  await git("add", ".");
  await git("commit", "-q", "-m", "fixture");
  await git("remote", "add", "origin", ORIGIN);
  revision = (await git("rev-parse", "HEAD")).stdout.trim();
});
afterAll(async () => {
  await flake?.remove();
  await rm(elsewhere, { recursive: true, force: true });
});

test("vcs.ref.head.revision and vcs.repository.url.full come from the flake's repository, not the working directory", async () => {
  const result = await nixotel(["run", "pass", "--flake", flake.ref, "--out", join(elsewhere, "out")], { cwd: elsewhere, env: baseEnv() });
  expect(result.code, result.stderr).toBe(0);
  const [spansFile] = /: (\S+spans\.jsonl)$/m.exec(result.stdout)?.slice(1) ?? [];
  const spans = await readSpansFile(spansFile!);
  const root = spans.find((s) => s.name === "nixotel run")!;
  expect(root.resource).toMatchObject({ "vcs.ref.head.revision": revision, "vcs.repository.url.full": ORIGIN });
});
