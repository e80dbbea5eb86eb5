// The run folder is made and proven writable before nix starts, so a run that could not be recorded
// builds nothing (exit 2); one left empty by a failure later is removed, so `report latest` skips it.
import { mkdir, rm, rmdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { environmentError } from "../errors.js";
import { isErrno } from "../files.js";
import type { RunPaths } from "./files.js";

export async function createRunFolder(paths: RunPaths): Promise<void> {
  const probe = join(paths.dir, `.write-probe-${process.pid}`);
  try {
    await mkdir(paths.dir, { recursive: true });
    await writeFile(probe, "nixotel checks that it can record the run here\n", { flag: "wx" });
    await rm(probe);
  } catch (error) {
    if (!(error instanceof Error && "code" in error)) throw error;
    throw environmentError(
      `Cannot record the run: expected a folder nixotel can write at ${paths.dir}, got ${(error as NodeJS.ErrnoException).code}: ${error.message}. ` +
        "Choose another --out DIR (default .nixotel), or free the disk or fix the folder's rights. Nothing was built.",
      error,
    );
  }
}

/** Removes the run folder when nothing could be written in it; a folder with anything in it stays. */
export async function removeIfEmpty(paths: RunPaths): Promise<void> {
  try {
    await rmdir(paths.dir);
  } catch (error) {
    if (!isErrno(error, "ENOTEMPTY", "EEXIST", "ENOENT", "ENOTDIR", "EACCES", "EPERM", "EROFS", "EBUSY")) throw error;
  }
}
