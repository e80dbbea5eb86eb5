import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { writeFilesAtomicSync } from "./files.js";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

it("writes every file it can, each whole, makes their folders, and names the first failure", async () => {
  const dir = await mkdtemp(join(tmpdir(), "nixotel-files-"));
  dirs.push(dir);
  await writeFile(join(dir, "blocker"), "a file where a folder is wanted\n");
  const { written, error } = writeFilesAtomicSync([
    { path: join(dir, "a", "one.nix"), content: "one\n" },
    { path: join(dir, "blocker", "two.nix"), content: "two\n" },
    { path: join(dir, "a", "b", "three.nix"), content: "three\n" },
  ]);
  expect(written).toEqual([true, false, true]);
  expect((error as Error).message).toContain(join(dir, "blocker")); // mkdir says EEXIST: a file holds the name
  expect(await readFile(join(dir, "a", "one.nix"), "utf8")).toBe("one\n");
  expect(await readFile(join(dir, "a", "b", "three.nix"), "utf8")).toBe("three\n");
  // No temporary file is left beside any target.
  expect((await readdir(join(dir, "a"))).sort()).toEqual(["b", "one.nix"]);
  expect(await readdir(join(dir, "a", "b"))).toEqual(["three.nix"]);
});
