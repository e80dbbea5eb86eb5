// Adds a check's log records to the run's logs.jsonl as they are ready: one OTLP JSON line per request
// (LOG_CHUNK_SIZE records), each line written by one append, so a crash leaves whole lines or none.
import { appendFile, mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import type { ReadableLogRecord } from "@opentelemetry/sdk-logs";
import { chunk } from "../export/otlp-lines.js";
import { LOG_CHUNK_SIZE, toOtlpLogLine } from "./otlp-logs.js";

/** The OTLP JSON lines of these records, each ending in a newline. */
export const toOtlpLogLines = (records: readonly ReadableLogRecord[]) => chunk(records, LOG_CHUNK_SIZE).map((c) => `${toOtlpLogLine(c)}\n`);

/** Appends the records to `file` (logs.jsonl), creating it; nothing is written for none. */
export async function appendLogRecords(file: string, records: readonly ReadableLogRecord[]): Promise<void> {
  if (records.length === 0) return;
  await mkdir(dirname(file), { recursive: true });
  for (const line of toOtlpLogLines(records)) await appendFile(file, line);
}
