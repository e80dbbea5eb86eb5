// Spans and log records a collector did not accept wait in `<run>/spool/{spans,logs}.jsonl` (OTLP JSON lines) for `nixotel flush`
// (which takes each file for itself first: src/export/spool-claim.ts).
import { appendFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { readIfExists, writeFileAtomic } from "../files.js";
import type { Chunk } from "./send.js";

/** The spool file a run's unsent spans go to: `<spool>/spans.jsonl`. */
export const SPOOL_NAME = "spans";

/** Appends chunks to `<spool>/<name>.jsonl`, one request a line (`toLine`), in one write; returns how many items. */
export async function appendChunksToSpool<C extends Chunk>(
  spoolDir: string,
  chunks: readonly C[],
  name: string,
  toLine: (chunk: C) => string,
): Promise<number> {
  if (chunks.length === 0) return 0;
  await mkdir(spoolDir, { recursive: true });
  await appendFile(join(spoolDir, `${name}.jsonl`), chunks.map((c) => `${toLine(c)}\n`).join(""));
  return chunks.reduce((sum, c) => sum + c.length, 0);
}

/** Adds OTLP JSON lines the collector refused for good to the run's `rejected.jsonl`, outside the spool. */
export async function keepRejected(file: string, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return;
  await writeFileAtomic(file, `${(await readIfExists(file)) ?? ""}${lines.map((l) => `${l}\n`).join("")}`);
}

/** The file's lines with their 1-based numbers (blank lines skipped); a file gone meanwhile has none. */
export const readSpoolLines = async (file: string) =>
  ((await readIfExists(file)) ?? "")
    .split("\n")
    .map((text, i) => ({ text, number: i + 1 }))
    .filter((l) => l.text.trim());
