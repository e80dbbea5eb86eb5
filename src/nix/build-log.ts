// The stored log of a derivation's last build: what a cached check printed when it was built, since
// this run heard nothing from it. With the local store, read where nix keeps it (a file per drv,
// bzip2-compressed by default), as `nix log` itself does; otherwise, or when no file is there, ask
// `nix log` (Nix 2.4+; it may fetch the log from a binary cache) — a few at a time, never one process
// per cached check at once.
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { isErrno } from "../files.js";
import { runTool, type ToolEnvironment } from "../process.js";
import { Bzip2Error, bunzip2Text } from "./bzip2.js";
import { NIX_FEATURES } from "./command.js";
import { limitConcurrency } from "../concurrency.js";

export { limitConcurrency };

/** The log's lines, or undefined when nix keeps none (keep-build-log off, garbage-collected, substituted). */
export type StoredLogReader = (drvPath: string) => Promise<string[] | undefined>;

/** How many `nix log` processes run at once when the log files cannot be read directly. */
export const NIX_LOG_CONCURRENCY = 4;

/** Where nix 2.x keeps build logs (`NIX_LOG_DIR`, default /nix/var/log/nix). */
export const logDirOf = (env: NodeJS.ProcessEnv) => env.NIX_LOG_DIR ?? "/nix/var/log/nix";

const linesOf = (text: string) => {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
};

/** The log file of a derivation in a local log dir (`drvs/ab/cdef…-name.drv[.bz2]`, or the older flat
 * `drvs/abcdef…`), as nix's LocalFSStore::getBuildLog looks for it; undefined when there is none. */
export async function readLocalBuildLog(drvPath: string, logDir: string): Promise<string[] | undefined> {
  const base = basename(drvPath);
  for (const file of [join(logDir, "drvs", base.slice(0, 2), base.slice(2)), join(logDir, "drvs", base)]) {
    for (const [path, compressed] of [[file, false] as const, [`${file}.bz2`, true] as const]) {
      let data: Buffer;
      try {
        data = await readFile(path);
      } catch (error) {
        if (isErrno(error, "ENOENT", "ENOTDIR", "EACCES")) continue;
        throw error;
      }
      if (!compressed) return linesOf(data.toString("utf8"));
      try {
        return linesOf(bunzip2Text(data));
      } catch (error) {
        if (error instanceof Bzip2Error) continue; // as nix: a log it cannot decompress is no log
        throw error;
      }
    }
  }
  return undefined;
}

/** `nix log DRV`: the log's lines, undefined when nix has none. */
export async function nixLog(drvPath: string, storeFlags: readonly string[], where: ToolEnvironment): Promise<string[] | undefined> {
  const result = await runTool("nix", [...NIX_FEATURES, "log", ...storeFlags, drvPath], where);
  return result.exitCode === 0 ? linesOf(result.stdout) : undefined;
}

/** Reads stored logs: the local file when the store is local (no --store), else `nix log`, a few at once. */
export function storedLogReader(storeFlags: readonly string[], where: ToolEnvironment): StoredLogReader {
  const limited = limitConcurrency(NIX_LOG_CONCURRENCY);
  const logDir = storeFlags.length === 0 ? logDirOf(where.env) : undefined;
  return async (drvPath) => {
    const local = logDir !== undefined ? await readLocalBuildLog(drvPath, logDir) : undefined;
    return local ?? limited(() => nixLog(drvPath, storeFlags, where));
  };
}

/** The same reader, telling `onProgress` how many logs were asked for and how many have been read. */
export function countingReads(read: StoredLogReader, onProgress: (done: number, asked: number) => void): StoredLogReader {
  let asked = 0;
  let done = 0;
  return async (drvPath) => {
    onProgress(done, ++asked);
    try {
      return await read(drvPath);
    } finally {
      onProgress(++done, asked);
    }
  };
}
