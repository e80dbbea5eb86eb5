// Where a run lives on disk; files there are written atomically (writeFileAtomic in src/files.ts).
import { randomBytes } from "node:crypto";
import { isAbsolute, join } from "node:path";
import { DEFAULT_OUT_DIR, runsDir } from "./record.js";

export const resolveOutDir = (cwd: string, out: string | undefined) => {
  const dir = out ?? DEFAULT_OUT_DIR;
  return isAbsolute(dir) ? dir : join(cwd, dir);
};

/** `YYYYMMDDTHHMMSS.mmmZ-<6 hex>`: sorts by time (to the millisecond), unique enough for parallel runs. */
export function newRunId(date: Date): string {
  const stamp = date.toISOString().replace(/[-:]/g, "");
  return `${stamp}-${randomBytes(3).toString("hex")}`;
}

export interface RunPaths {
  dir: string;
  record: string;
  spans: string;
  /** The checks' build logs as OTLP log records (OTLP JSON lines), appended as each check's are ready. */
  logs: string;
  spool: string;
  /** Requests the collector refused for good (HTTP 400/413): kept for a person, never resent. */
  rejected: string;
}

export const runPaths = (outDir: string, runId: string): RunPaths => runPathsIn(join(runsDir(outDir), runId));

/** The files of the run folder `dir`. */
export function runPathsIn(dir: string): RunPaths {
  return {
    dir,
    record: join(dir, "run.json"),
    spans: join(dir, "spans.jsonl"),
    logs: join(dir, "logs.jsonl"),
    spool: join(dir, "spool"),
    rejected: join(dir, "rejected.jsonl"),
  };
}
