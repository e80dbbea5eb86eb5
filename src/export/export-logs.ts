// The log records' signal as the export queue (src/export/export-queue.ts) and `nixotel flush` send it:
// where OTEL_LOGS_EXPORTER / OTEL_EXPORTER_OTLP_LOGS_* say, with the spans' retry, partial-success and
// refusal rules, spooled as spool/logs.jsonl; a chunk's line is its JSON line, made once.
import { lineOf, type LogChunk } from "../logs/log-chunk.js";
import type { QueuedSignal } from "./export-queue.js";
import { createLogExporter } from "./log-exporter.js";

export const LOGS_SPOOL_NAME = "logs";

export const LOG_SIGNAL: QueuedSignal<LogChunk> = {
  kind: { create: createLogExporter, noun: "log records" },
  spoolName: LOGS_SPOOL_NAME,
  toLine: lineOf,
};
