// Where a declared test's file lives, and the guard that keeps every write inside the project.
import { lstatSync, realpathSync } from "node:fs";
import { access } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { usageError } from "../errors.js";
import { CONFIG_FILE } from "./file-name.js";
import type { Config, TestEntry } from "./schema.js";
import { isErrno, readIfExistsNoFollowSync, readIfExistsSync, SYMLINK } from "../files.js";

const present = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** The nearest folder from `start` upwards that holds `name`, or undefined. */
async function findUp(start: string, name: string): Promise<string | undefined> {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (await present(join(dir, name))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The project folder: the nearest one up from `cwd` holding nixotel.json (as git finds .git), else `cwd`. */
export const findProjectRoot = async (cwd: string) => (await findUp(cwd, CONFIG_FILE)) ?? resolve(cwd);

/** Whether the project lies in a git work tree (found by its .git, without running git). */
export const inGitWorkTree = async (root: string) => (await findUp(root, ".git")) !== undefined;

/** The test file's path relative to the project root, with forward slashes. */
export function testFilePath(config: Pick<Config, "testsDir">, test: Pick<TestEntry, "name" | "dir">): string {
  const dir = (test.dir ?? config.testsDir).replace(/\\/g, "/").replace(/\/+$/, "");
  return `${dir}/${test.name}.nix`.replace(/^\.\//, "");
}

function nearestExisting(path: string): string {
  for (let current = path; ; current = dirname(current)) {
    try {
      return realpathSync(current);
    } catch (error) {
      if (!isErrno(error, "ENOENT", "ENOTDIR")) throw error;
      if (dirname(current) === current) return current;
    }
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch (error) {
    if (isErrno(error, "ENOENT", "ENOTDIR")) return false; // nothing there (yet)
    throw error;
  }
}

/** Resolves a project-relative path and refuses one that leaves the project, also through a symlink. */
export const insideProject = async (root: string, relativePath: string): Promise<string> => projectGuard(root)(relativePath);

/** The checks of projectGuard and projectReader: the project's real path resolved once, each folder's
 * once (`generate` checks 1,000 files: a realpath each was ~30 ms of its 0.5 s). */
function guardOf(root: string) {
  const realRoot = realpathSync(root);
  const absoluteRoot = resolve(root);
  const realFolders = new Map<string, string>();
  const outside = (path: string, base: string) => {
    const rel = relative(base, path);
    return rel === ".." || rel.startsWith(`..${sep}`) || isAbsolute(rel);
  };
  const refuse = (relativePath: string) =>
    usageError(`Refusing to write ${relativePath}: it is outside the project folder ${root}. Choose a folder inside it.`);
  return {
    /** The file's absolute path, once it and its folder (followed through symlinks) lie inside the project. */
    inFolder(relativePath: string): string {
      const absolute = resolve(absoluteRoot, relativePath);
      if (outside(absolute, absoluteRoot)) throw refuse(relativePath);
      const folder = dirname(absolute);
      let real = realFolders.get(folder);
      if (real === undefined) realFolders.set(folder, (real = nearestExisting(folder)));
      if (outside(real, realRoot)) throw refuse(relativePath);
      return absolute;
    },
    /** For a file that is a symlink: where it leads must lie inside too. */
    throughLink(relativePath: string, absolute: string): void {
      if (outside(nearestExisting(absolute), realRoot)) throw refuse(relativePath);
    },
  };
}

/** insideProject for many files of one project; each file is only looked at (lstat) to see whether it
 * is a symlink, whose target is then resolved. */
export function projectGuard(root: string): (relativePath: string) => string {
  const guard = guardOf(root);
  return (relativePath) => {
    const absolute = guard.inFolder(relativePath);
    if (isSymlink(absolute)) guard.throughLink(relativePath, absolute);
    return absolute;
  };
}

/** projectGuard and reading the file (undefined when there is none) in one open that does not follow a
 * symlink: only a symlink, found by that open failing, is resolved and checked before it is read. */
export function projectReader(root: string): (relativePath: string) => { absolute: string; current: string | undefined } {
  const guard = guardOf(root);
  return (relativePath) => {
    const absolute = guard.inFolder(relativePath);
    const current = readIfExistsNoFollowSync(absolute);
    if (current !== SYMLINK) return { absolute, current };
    guard.throughLink(relativePath, absolute);
    return { absolute, current: readIfExistsSync(absolute) };
  };
}
