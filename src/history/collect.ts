// The runs `nixotel history` looks at: every run in <out>/runs, and each --from folder (a run folder
// holding run.json, a folder of run folders, or a `.nixotel` folder with runs/ inside), oldest first.
import { readdir, stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { NixotelError, expected } from "../errors.js";
import { listRunIds, readRunRecord } from "../runs/read-run.js";
import type { RunRecord } from "../runs/record.js";
import { runPaths, runPathsIn } from "../runs/files.js";

const exists = (path: string) =>
  stat(path).then(
    () => true,
    (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT" || error.code === "ENOTDIR") return false;
      throw error;
    },
  );

/** The run.json files under one --from folder. */
async function recordsUnder(dir: string): Promise<string[]> {
  if (await exists(join(dir, "run.json"))) return [join(dir, "run.json")];
  if (await exists(join(dir, "runs"))) return recordsUnder(join(dir, "runs"));
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT" || error.code === "ENOTDIR")
      throw new NixotelError("USAGE", expected("--from to name a run folder or a folder of runs", dir, "Pass a folder that exists."));
    throw error;
  });
  const found = await Promise.all(
    names.sort().map(async (name) => ((await exists(join(dir, name, "run.json"))) ? [join(dir, name, "run.json")] : [])),
  );
  return found.flat();
}

/** A run.json that cannot be read, as the report's history section takes it: left out, not fatal. */
const readOrSkip = (file: string) =>
  readRunRecord(file).catch((error: unknown) => {
    if (error instanceof NixotelError) return undefined;
    throw error;
  });

/** `tolerant`: an unreadable run.json is passed over (the report's history) instead of failing the command. */
export async function collectRuns(outDir: string, from: readonly string[], cwd: string, tolerant = false): Promise<RunRecord[]> {
  const own = (await listRunIds(outDir)).map((id) => runPaths(outDir, id).record);
  const given = (await Promise.all(from.map((dir) => recordsUnder(resolve(cwd, dir))))).flat();
  const files = [...new Set([...own, ...given].map((file) => runPathsIn(resolve(file, "..")).record))];
  const read = await Promise.all(files.map(tolerant ? readOrSkip : readRunRecord));
  const records = read.filter((r): r is RunRecord => r !== undefined);
  // The same run downloaded twice (e.g. two CI artifacts) counts once.
  const byId = new Map(records.map((r) => [r.runId, r]));
  return [...byId.values()].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}
