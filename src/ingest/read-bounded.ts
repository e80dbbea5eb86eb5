// Reading what a test left in its output folder, which test code controls: never through a symlink
// (it could point at any file the runner can read, out of the store), never a device or a FIFO, and
// never more than a bounded number of bytes (a 50 MB file or /dev/zero must not stall the runner).
import { constants } from "node:fs";
import { lstat, open } from "node:fs/promises";
import { isErrno } from "../files.js";

/** At most this much of one file a test wrote is read (16 MiB); the rest is named as not read. */
export const MAX_TEST_FILE_BYTES = 16 * 1024 * 1024;

export type BoundedRead = { kind: "missing" } | { kind: "refused"; why: string } | { kind: "read"; text: string; truncatedBytes: number };

/** Whether `path` is a folder that is itself no symlink (a test's `$out/otel`). */
export async function isRealFolder(path: string): Promise<"folder" | "missing" | "refused"> {
  try {
    const stats = await lstat(path);
    if (stats.isSymbolicLink()) return "refused";
    return stats.isDirectory() ? "folder" : "refused";
  } catch (error) {
    if (isErrno(error, "ENOENT", "ENOTDIR")) return "missing";
    throw error;
  }
}

/** A regular file's text, read without following a symlink, up to `limit` bytes. */
export async function readRegularFile(path: string, limit = MAX_TEST_FILE_BYTES): Promise<BoundedRead> {
  let handle;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    // ENOTDIR: the check's output is a file, not a folder, so nothing is inside it.
    if (isErrno(error, "ENOENT", "ENOTDIR")) return { kind: "missing" };
    if (isErrno(error, "ELOOP")) return { kind: "refused", why: "a symlink, not read (it could lead out of the store)" };
    if (isErrno(error, "EACCES", "EPERM", "EISDIR", "ENXIO")) return { kind: "refused", why: (error as Error).message };
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return { kind: "refused", why: "not a regular file, not read" };
    const size = Math.min(stats.size, limit);
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    return { kind: "read", text: buffer.subarray(0, bytesRead).toString("utf8"), truncatedBytes: Math.max(0, stats.size - bytesRead) };
  } finally {
    await handle.close();
  }
}
