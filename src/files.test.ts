import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { parseTempFile, readIfExistsNoFollowSync, SYMLINK, tempFileFor, writeFilesAtomicSync } from "./files.js";

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

it("reads a file without following a symlink: its text, undefined when missing, SYMLINK for a link", async () => {
  const dir = await mkdtemp(join(tmpdir(), "nixotel-files-"));
  dirs.push(dir);
  await writeFile(join(dir, "file"), "text\n");
  await symlink(join(dir, "file"), join(dir, "link"));
  await symlink(join(dir, "nowhere"), join(dir, "dangling"));
  await mkdir(join(dir, "folder"));
  expect(readIfExistsNoFollowSync(join(dir, "file"))).toBe("text\n");
  expect(readIfExistsNoFollowSync(join(dir, "missing"))).toBeUndefined();
  expect(readIfExistsNoFollowSync(join(dir, "link"))).toBe(SYMLINK);
  expect(readIfExistsNoFollowSync(join(dir, "dangling"))).toBe(SYMLINK);
  expect(() => readIfExistsNoFollowSync(join(dir, "folder"))).toThrow(/Cannot read .*folder/);
});

it("names each temporary file apart, across refills of its random bytes, in the form the clean-up reads", () => {
  const names = Array.from({ length: 1000 }, () => tempFileFor("/p/tests/web.nix", 42)); // 4 bytes each: ~4 refills
  expect(new Set(names).size).toBe(names.length);
  for (const name of names) expect(parseTempFile(name.slice("/p/tests/".length))).toEqual({ target: "web.nix", pid: 42 });
});
