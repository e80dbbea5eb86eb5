// The run's log records where OTEL_LOGS_EXPORTER / OTEL_EXPORTER_OTLP_LOGS_* say, the way spans go
// (src/export/export-run.ts): same retry, partial-success and refusal rules, spooled as spool/logs.jsonl.
import type { ReadableLogRecord } from "@opentelemetry/sdk-logs";
import type { Context } from "../context.js";
import { LOG_CHUNK_SIZE, toOtlpLogLine } from "../logs/otlp-logs.js";
import type { RunPaths } from "../runs/files.js";
import { throwingAttempts, type WriteAttempts } from "../runs/write-attempts.js";
import type { ExporterSettings } from "./config.js";
import { exportSignal, type ExportOutcome, type SignalWay } from "./export-run.js";
import { createLogExporter } from "./log-exporter.js";

export const LOGS_SPOOL_NAME = "logs";

export const LOG_SIGNAL: SignalWay<ReadableLogRecord> = {
  kind: { create: createLogExporter, noun: "log records" },
  chunkSize: LOG_CHUNK_SIZE,
  toLine: toOtlpLogLine,
  spoolName: LOGS_SPOOL_NAME,
};

export const exportLogs = (
  records: readonly ReadableLogRecord[],
  settings: ExporterSettings,
  paths: RunPaths,
  context: Context,
  attempts: WriteAttempts = throwingAttempts,
  /** A signal stopped the spans' export: the logs are spooled without trying. */
  interrupted = false,
): Promise<ExportOutcome> => exportSignal(records, LOG_SIGNAL, settings, paths, context, attempts, interrupted);
