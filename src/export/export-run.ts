// One model, three destinations: the run's spans.jsonl (always), an OTLP collector (when
// configured; what it does not accept is spooled), or stdout (OTEL_TRACES_EXPORTER=console).
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { Context } from "../context.js";
import { writeFileAtomic } from "../files.js";
import type { RunPaths } from "../runs/files.js";
import type { Attributes, SpanData } from "../spans/model.js";
import type { ExporterSettings } from "./config.js";
import { ExportQueue, SPAN_SIGNAL } from "./export-queue.js";
import { chunk, toOtlpJsonLines } from "./otlp-lines.js";
import { toReadableSpans } from "./readable.js";
import { throwingAttempts, type WriteAttempts } from "../runs/write-attempts.js";

export interface ExportOutcome {
  endpoint: string | null;
  protocol: "http/protobuf" | "http/json" | null;
  delivered: boolean;
  spooled: number;
  /** Items exported: spans, or log records for the logs. */
  spans: number;
  error?: string;
  /** Spans the collector refused for good (HTTP 400/413, or rejected in a partial success), kept in
   * rejected.jsonl (the requests that held them), never resent. */
  rejected?: number;
  rejection?: string;
}

/** Writes the run's spans.jsonl (before any sending, so it never waits on the network); returns the
 * spans in the form the exporters take. */
export async function writeSpans(spans: readonly SpanData[], resource: Attributes, paths: RunPaths): Promise<ReadableSpan[]> {
  const readable = toReadableSpans(spans, resource);
  await writeSpansFile(readable, paths);
  return readable;
}

/** spans.jsonl: the whole trace as OTLP JSON lines. */
export const writeSpansFile = (readable: readonly ReadableSpan[], paths: RunPaths) =>
  writeFileAtomic(paths.spans, toOtlpJsonLines(readable));

/** Sends the spans where `settings` say; what is not accepted is spooled. `context.signal` aborted
 * during the sending stops it (see sendChunks): the rest is spooled for `nixotel flush`. */
export async function exportSpans(
  readable: readonly ReadableSpan[],
  settings: ExporterSettings,
  paths: RunPaths,
  context: Context,
  attempts: WriteAttempts = throwingAttempts,
): Promise<ExportOutcome> {
  const queue = new ExportQueue(SPAN_SIGNAL, settings, paths, context, attempts);
  await queue.push(chunk(readable));
  return queue.finish();
}
