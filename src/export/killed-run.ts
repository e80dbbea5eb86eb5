// A run whose nixotel was killed (SIGKILL, OOM) before its export was done: the lines of its
// spans.jsonl the export had not dealt with (delivered, refused or spooled; run.json's
// `progress.exportedLines`) are put in the spool, so `nixotel flush` sends them like any spooled span.
// The lines of its logs.jsonl the log records' export had not dealt with go the same way
// (`progress.exportedLogLines`), when the run had somewhere to send them.
// A kill between a send and run.json's update sends those lines twice: at least once, never lost.
import { join } from "node:path";
import { NixotelError } from "../errors.js";
import { readIfExists, writeFileAtomic } from "../files.js";
import { isRunning } from "../process.js";
import type { RunPaths } from "../runs/files.js";
import { readRunRecord } from "../runs/read-run.js";
import { wholeLines } from "../runs/whole-lines.js";
import { runRecord, type RunRecord } from "../runs/record.js";

/** The spool file the lines go to: written whole, beside what the run itself spooled. */
export const UNEXPORTED_SPOOL = "unexported.jsonl";
/** The log records' one: its name starts as the logs' spool does (`nixotel flush` sends it as logs). */
export const UNEXPORTED_LOGS_SPOOL = "logs-unexported.jsonl";

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
  if (!record || record.complete !== false || !progress || isRunning(progress.pid)) return 0;
  const spans = record.export.endpoint === null ? undefined : await spoolRest(paths.spans, progress.exportedLines, UNEXPORTED_SPOOL, paths);
  const logs =
    record.logs?.endpoint == null ? undefined : await spoolRest(paths.logs, progress.exportedLogLines ?? 0, UNEXPORTED_LOGS_SPOOL, paths);
  if (!spans && !logs) return 0;
  const updated = {
    ...record,
    progress: { ...progress, ...(spans ? { exportedLines: spans.lines } : {}), ...(logs ? { exportedLogLines: logs.lines } : {}) },
  };
  await writeFileAtomic(paths.record, `${JSON.stringify(runRecord.parse(updated), null, 2)}\n`);
  return (spans?.spooled ?? 0) + (logs?.spooled ?? 0);
}

/** The lines of `file` after the first `done`, to `<spool>/<name>`; how many lines the file has. */
async function spoolRest(file: string, done: number, name: string, paths: RunPaths) {
  const lines = wholeLines((await readIfExists(file)) ?? "").filter((l) => l.trim());
  const rest = lines.slice(done);
  if (rest.length) await writeFileAtomic(join(paths.spool, name), rest.map((l) => `${l}\n`).join(""));
  return { lines: lines.length, spooled: rest.length };
}
