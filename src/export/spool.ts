// Spans a collector did not accept wait in `<run>/spool/*.jsonl` (OTLP JSON lines) for `nixotel flush`.
import { readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { isErrno, readIfExists, writeFileAtomic } from "../files.js";
import { toOtlpJsonLine } from "./otlp-lines.js";

export async function spoolChunks(spoolDir: string, chunks: readonly ReadableSpan[][], name: string): Promise<number> {
  if (chunks.length === 0) return 0;
  await writeFileAtomic(join(spoolDir, `${name}.jsonl`), chunks.map((c) => `${toOtlpJsonLine(c)}\n`).join(""));
  return chunks.reduce((sum, c) => sum + c.length, 0);
}

/** Adds OTLP JSON lines the collector refused for good to the run's `rejected.jsonl`, outside the spool. */
export async function keepRejected(file: string, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) return;
  await writeFileAtomic(file, `${(await readIfExists(file)) ?? ""}${lines.map((l) => `${l}\n`).join("")}`);
}

export async function spoolFiles(spoolDir: string): Promise<string[]> {
  try {
    return (await readdir(spoolDir))
      .filter((n) => n.endsWith(".jsonl"))
      .sort()
      .map((n) => join(spoolDir, n));
  } catch (error) {
    if (isErrno(error, "ENOENT")) return []; // nothing was ever spooled
    throw error;
  }
}

/** The file's lines with their 1-based numbers (blank lines skipped); a file gone meanwhile has none. */
export const readSpoolLines = async (file: string) =>
  ((await readIfExists(file)) ?? "")
    .split("\n")
    .map((text, i) => ({ text, number: i + 1 }))
    .filter((l) => l.text.trim());

/** Keeps only `lines` in `file` (atomically), or removes it when none are left. */
export async function keepSpoolLines(file: string, lines: readonly string[]): Promise<void> {
  if (lines.length === 0) await rm(file, { force: true });
  else await writeFileAtomic(file, lines.map((l) => `${l}\n`).join(""));
}
