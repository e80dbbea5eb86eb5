// The run folder is made and proven writable before nix builds, so a run that could not be recorded
// builds nothing (exit 2); one left empty by a failure later is removed, so `report latest` skips it.
// The file that proves it stays until nix has evaluated: nix copies a `path:` flake's whole folder
// (the run folder too, when it lies inside) into the store while it evaluates, and a file that
// vanishes during that copy fails the evaluation ("opening file …: No such file or directory").
import { mkdir, rm, rmdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { environmentError } from "../errors.js";
import { isErrno } from "../files.js";
import type { RunPaths } from "./files.js";

const probeOf = (paths: RunPaths) => join(paths.dir, `.write-probe-${process.pid}`);

export async function createRunFolder(paths: RunPaths): Promise<void> {
  try {
    await mkdir(paths.dir, { recursive: true });
    await writeFile(probeOf(paths), "nixotel checks that it can record the run here\n", { flag: "wx" });
  } catch (error) {
    if (!(error instanceof Error && "code" in error)) throw error;
    throw environmentError(
      `Cannot record the run: expected a folder nixotel can write at ${paths.dir}, got ${(error as NodeJS.ErrnoException).code}: ${error.message}. ` +
        "Choose another --out DIR (default .nixotel), or free the disk or fix the folder's rights. Nothing was built.",
      error,
    );
  }
}

/** Removes the file that proved the folder writable, once nix evaluated (the run is being recorded). */
export async function removeWriteProbe(paths: RunPaths): Promise<void> {
  try {
    await rm(probeOf(paths), { force: true });
  } catch (error) {
    // A folder that turned unwritable during the run keeps its hidden probe; the run is still recorded.
    if (!isErrno(error, "EACCES", "EPERM", "EROFS", "ENOTDIR")) throw error;
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
