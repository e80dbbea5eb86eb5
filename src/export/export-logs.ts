// The run's log records where OTEL_LOGS_EXPORTER / OTEL_EXPORTER_OTLP_LOGS_* say, the way spans go
// (src/export/export-queue.ts): same retry, partial-success and refusal rules, spooled as spool/logs.jsonl.
// They are sent once, at the end of the run (spans.jsonl's spans go check by check).
import { join } from "node:path";
import type { ReadableLogRecord } from "@opentelemetry/sdk-logs";
import type { Context } from "../context.js";
import { LOG_CHUNK_SIZE, toOtlpLogLine } from "../logs/otlp-logs.js";
import type { RunPaths } from "../runs/files.js";
import { throwingAttempts, type WriteAttempts } from "../runs/write-attempts.js";
import type { ExporterSettings } from "./config.js";
import type { ExportOutcome } from "./export-run.js";
import { createLogExporter } from "./log-exporter.js";
import { chunk } from "./otlp-lines.js";
import { INTERRUPTED, sendChunks, type SignalKind } from "./send.js";
import { appendChunksToSpool, keepRejected } from "./spool.js";

export const LOGS_SPOOL_NAME = "logs";

export const LOG_SIGNAL: { kind: SignalKind<ReadableLogRecord>; spoolName: string } = {
  kind: { create: createLogExporter, noun: "log records" },
  spoolName: LOGS_SPOOL_NAME,
};

/** Sends the records; what is not accepted is spooled, what is refused kept in rejected.jsonl. */
export async function exportLogs(
  records: readonly ReadableLogRecord[],
  settings: ExporterSettings,
  paths: RunPaths,
  context: Context,
  attempts: WriteAttempts = throwingAttempts,
  /** A signal stopped the spans' export: the logs are spooled without trying. */
  interrupted = false,
): Promise<ExportOutcome> {
  const base = { spans: records.length, spooled: 0 };
  const chunks = chunk(records, LOG_CHUNK_SIZE);
  if (settings.kind === "none") return { ...base, endpoint: null, protocol: null, delivered: false };
  if (settings.kind === "console") {
    context.stdout(chunks.map((c) => `${toOtlpLogLine(c)}\n`).join(""));
    return { ...base, endpoint: null, protocol: null, delivered: true };
  }
  const result = interrupted
    ? { unsent: chunks, refused: [], accepted: 0, error: INTERRUPTED }
    : await sendChunks(chunks, settings, context.signal, LOG_SIGNAL.kind);
  // What cannot be written (disk full) is named by `attempts`; records not written to the spool are lost.
  const spoolFile = join(paths.spool, `${LOGS_SPOOL_NAME}.jsonl`);
  const spooled =
    (await attempts.attempt(spoolFile, () => appendChunksToSpool(paths.spool, result.unsent, LOGS_SPOOL_NAME, toOtlpLogLine))) ?? 0;
  // A partly refused request is kept whole: the collector says how many of its records it refused, not which.
  const refusedLines = result.refused.map((c) => toOtlpLogLine(c.spans));
  await attempts.attempt(paths.rejected, () => keepRejected(paths.rejected, refusedLines));
  const rejected = result.refused.reduce((sum, c) => sum + c.rejected, 0);
  return {
    ...base,
    endpoint: settings.url,
    protocol: settings.protocol,
    delivered: result.unsent.length === 0 && rejected === 0,
    spooled,
    ...(result.error !== undefined ? { error: result.error } : {}),
    ...(rejected ? { rejected, rejection: result.refusal ?? "refused" } : {}),
  };
}
