// A run whose nixotel was killed (SIGKILL, OOM) before its export was done: the lines of its
// spans.jsonl the export had not dealt with (delivered, refused or spooled; run.json's
// `progress.exportedLines`) are put in the spool, so `nixotel flush` sends them like any spooled span.
// A kill between a send and run.json's update sends those lines twice: at least once, never lost.
import { join } from "node:path";
import { NixotelError } from "../errors.js";
import { readIfExists, writeFileAtomic } from "../files.js";
import { isRunning } from "../process.js";
import type { RunPaths } from "../runs/files.js";
import { readRunRecord } from "../runs/read-run.js";
import { wholeLines } from "../runs/read-spans.js";
import { runRecord, type RunRecord } from "../runs/record.js";

/** The spool file the lines go to: written whole, beside what the run itself spooled. */
export const UNEXPORTED_SPOOL = "unexported.jsonl";

async function recordOf(paths: RunPaths): Promise<RunRecord | undefined> {
  try {
    return await readRunRecord(paths.record);
  } catch (error) {
    if (error instanceof NixotelError) return undefined; // no record, or a damaged one: nothing to go by
    throw error;
  }
}

/** Spools what a killed run did not export; returns how many lines. A run still going is left alone. */
export async function spoolWhatAKilledRunLeft(paths: RunPaths): Promise<number> {
  const record = await recordOf(paths);
  const progress = record?.progress;
  if (!record || record.complete !== false || !progress || record.export.endpoint === null || isRunning(progress.pid)) return 0;
  const lines = wholeLines((await readIfExists(paths.spans)) ?? "").filter((l) => l.trim());
  const rest = lines.slice(progress.exportedLines);
  if (rest.length) await writeFileAtomic(join(paths.spool, UNEXPORTED_SPOOL), rest.map((l) => `${l}\n`).join(""));
  const updated = { ...record, progress: { ...progress, exportedLines: lines.length } };
  await writeFileAtomic(paths.record, `${JSON.stringify(runRecord.parse(updated), null, 2)}\n`);
  return rest.length;
}
