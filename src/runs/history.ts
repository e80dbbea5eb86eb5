// How long each check took when it was last built, from the runs recorded in the out folder: what
// `--shard` balances by. Cached results (no build) and runs that cannot be read are passed over.
import { NixotelError } from "../errors.js";
import { runPaths } from "./files.js";
import { listRunIds, readRunRecord } from "./read-run.js";

/** Enough recent runs to know every check of a usual flake, few enough to read quickly. */
const RECENT_RUNS = 20;

/** Durations by check name; runs of trace `skipTrace` (this pipeline's other shards) are passed over. */
export async function checkDurations(outDir: string, skipTrace?: string): Promise<Map<string, number>> {
  const durations = new Map<string, number>();
  const ids = (await listRunIds(outDir)).slice(-RECENT_RUNS).reverse(); // newest first: the newest figure wins
  for (const id of ids) {
    let checks, traceId;
    try {
      ({ checks, traceId } = await readRunRecord(runPaths(outDir, id).record));
    } catch (error) {
      if (error instanceof NixotelError) continue; // a run cut short: its figures are not needed
      throw error;
    }
    if (traceId === skipTrace) continue;
    for (const check of checks)
      if (!check.cached && check.durationMs > 0 && check.status !== "cancelled" && !durations.has(check.name))
        durations.set(check.name, check.durationMs);
  }
  return durations;
}
