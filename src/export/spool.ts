// Spans and log records a collector did not accept wait in `<run>/spool/{spans,logs}.jsonl` (OTLP JSON lines) for `nixotel flush`
// (which takes each file for itself first: src/export/spool-claim.ts).
import { appendFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { readIfExists, writeFileAtomic } from "../files.js";
import { toOtlpJsonLine } from "./otlp-lines.js";

/** The spool file a run's unsent spans go to: `<spool>/spans.jsonl`. */
export const SPOOL_NAME = "spans";

export const spanCount = (chunks: readonly ReadableSpan[][]) => chunks.reduce((sum, c) => sum + c.length, 0);

/** Appends chunks to `<spool>/<name>.jsonl`, one request a line (`toLine`), in one write; returns how many items. */
export async function appendChunksToSpool<T>(
  spoolDir: string,
  chunks: readonly T[][],
  name: string,
  toLine: (chunk: readonly T[]) => string,
): Promise<number> {
  if (chunks.length === 0) return 0;
  await mkdir(spoolDir, { recursive: true });
  await appendFile(join(spoolDir, `${name}.jsonl`), chunks.map((c) => `${toLine(c)}\n`).join(""));
  return chunks.reduce((sum, c) => sum + c.length, 0);
}

/** Appends span chunks to `<spool>/<name>.jsonl` (spans.jsonl unless named), as OTLP JSON lines. */
export const appendToSpool = (spoolDir: string, chunks: readonly ReadableSpan[][], name = SPOOL_NAME) =>
  appendChunksToSpool(spoolDir, chunks, name, toOtlpJsonLine);

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
