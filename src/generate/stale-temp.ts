// Temporary files an interrupted write left behind (`nixotel generate` or `new` killed with -9 between
// writing `.NAME.PID.HEX.tmp` and renaming it): found beside the files generate writes, and removed
// by the next generate. A temporary file whose process still runs is another nixotel's, left alone.
import { readdir, rm } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { isErrno, parseTempFile } from "../files.js";
import { isRunning } from "../process.js";

export interface StaleTemp {
  absolute: string;
  /** Relative to the project folder, as messages show it. */
  file: string;
  pid: number;
}

async function namesIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    if (isErrno(error, "ENOENT", "ENOTDIR")) return []; // no folder yet: nothing was left there
    throw error;
  }
}

/** Stale temporary files in the project folder (nixotel.json's) and in the folders of `files`. */
export async function staleTempFiles(root: string, files: readonly string[]): Promise<StaleTemp[]> {
  const dirs = [...new Set([root, ...files.map((file) => dirname(file))])];
  const found = await Promise.all(
    dirs.map(async (dir) =>
      (await namesIn(dir)).flatMap((name) => {
        const temp = parseTempFile(name);
        const stale = temp !== undefined && (temp.pid === process.pid || !isRunning(temp.pid));
        return stale ? [{ absolute: join(dir, name), file: relative(root, join(dir, name)), pid: temp.pid }] : [];
      }),
    ),
  );
  return found.flat();
}

export const removeStaleTemp = (temp: StaleTemp) => rm(temp.absolute, { force: true });

export const staleTempNote = (temp: StaleTemp) => `${temp.file}, a temporary file left by an interrupted nixotel (process ${temp.pid})`;
