// The two ways nixotel touches its own files: read one that may be missing, and write atomically
// (a temp file beside the target, then rename, so no reader ever sees half a file).
import { closeSync, constants, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, basename, join } from "node:path";
import { randomBytes } from "node:crypto";
import { environmentError } from "./errors.js";

/** True when `error` is a system error with one of these codes (ENOENT, …). */
export const isErrno = (error: unknown, ...codes: string[]): boolean =>
  error instanceof Error && codes.includes(String((error as NodeJS.ErrnoException).code));

/** The file's text, or undefined when it does not exist; any other failure is an environment error. */
export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    return missingOrUnreadable(path, error);
  }
}

/** readIfExists without a trip through libuv's thread pool: for many small files read one after
 * another (`generate` of 1,000 tests: ~20 ms against ~150 ms on a loaded 2-core machine). */
export function readIfExistsSync(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    return missingOrUnreadable(path, error);
  }
}

/** What readIfExistsNoFollowSync returns for a symlink (it opens no symlink). */
export const SYMLINK = Symbol("symlink");

/** readIfExistsSync that does not follow a symlink at `path` itself (O_NOFOLLOW): SYMLINK instead. */
export function readIfExistsNoFollowSync(path: string): string | undefined | typeof SYMLINK {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if (isErrno(error, "ELOOP")) return SYMLINK;
    return missingOrUnreadable(path, error);
  }
  try {
    return readFileSync(fd, "utf8");
  } catch (error) {
    return missingOrUnreadable(path, error); // a folder where the file should be: EISDIR, as readIfExistsSync says
  } finally {
    closeSync(fd);
  }
}

function missingOrUnreadable(path: string, error: unknown): undefined {
  if (isErrno(error, "ENOENT")) return undefined;
  throw environmentError(`Cannot read ${path}: ${(error as Error).message}`, error);
}

/** Random bytes drawn 1 KiB at a time: one call per temporary file cost ~25 ms of `generate`'s 0.7 s. */
const randomPool = { bytes: Buffer.alloc(0), used: 0 };

function randomHex(count: number): string {
  if (randomPool.used + count > randomPool.bytes.length) Object.assign(randomPool, { bytes: randomBytes(1024), used: 0 });
  return randomPool.bytes.toString("hex", randomPool.used, (randomPool.used += count));
}

/** The temporary file beside `path` that writeFileAtomic writes first: `.NAME.PID.HEX.tmp`. */
export const tempFileFor = (path: string, pid = process.pid) => join(dirname(path), `.${basename(path)}.${pid}.${randomHex(4)}.tmp`);

/** A temporary file of writeFileAtomic's (its target's name and the writer's process id), or undefined. */
export function parseTempFile(name: string): { target: string; pid: number } | undefined {
  const match = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name);
  return match ? { target: match[1]!, pid: Number(match[2]) } : undefined;
}

/** Writes each file atomically, one after another without libuv's thread pool (for many small files:
 * `generate` of 1,000 tests), each folder made once. Every write is tried; `written` says which ended. */
export function writeFilesAtomicSync(files: readonly { path: string; content: string }[]): { written: boolean[]; error?: unknown } {
  const made = new Set<string>();
  const written: boolean[] = [];
  let error: unknown;
  for (const { path, content } of files) {
    const temp = tempFileFor(path);
    let created = false; // the temporary file exists: removed again if the rename fails
    try {
      if (!made.has(dirname(path))) mkdirSync(dirname(path), { recursive: true });
      made.add(dirname(path));
      writeFileSync(temp, content, { flag: "wx" });
      created = true;
      renameSync(temp, path);
      written.push(true);
    } catch (failure) {
      if (created) rmSync(temp, { force: true });
      error ??= failure;
      written.push(false);
    }
  }
  return error === undefined ? { written } : { written, error };
}

export async function writeFileAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = tempFileFor(path);
  try {
    await writeFile(temp, content, { flag: "wx" });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
