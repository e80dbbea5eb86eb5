// Where a run lives on disk, and the one way files are written there: temp file + rename, so a
// reader (or a crash) never sees half a file.
import { randomBytes } from "node:crypto";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join } from "node:path";
import { DEFAULT_OUT_DIR, runsDir } from "./record.js";

export const resolveOutDir = (cwd: string, out: string | undefined) => {
  const dir = out ?? DEFAULT_OUT_DIR;
  return isAbsolute(dir) ? dir : join(cwd, dir);
};

/** `YYYYMMDDTHHMMSSZ-<6 hex>`: sorts by time, unique enough for parallel runs. */
export function newRunId(date: Date): string {
  const stamp = date.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
  return `${stamp}-${randomBytes(3).toString("hex")}`;
}

export interface RunPaths {
  dir: string;
  record: string;
  spans: string;
  spool: string;
}

export function runPaths(outDir: string, runId: string): RunPaths {
  const dir = join(runsDir(outDir), runId);
  return { dir, record: join(dir, "run.json"), spans: join(dir, "spans.jsonl"), spool: join(dir, "spool") };
}

export async function writeAtomic(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temp, content);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
