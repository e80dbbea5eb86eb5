// One model, three destinations: the run's spans.jsonl (always), an OTLP collector (when
// configured; what it does not accept is spooled), or stdout (OTEL_TRACES_EXPORTER=console).
import { join } from "node:path";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { Context } from "../context.js";
import { writeFileAtomic } from "../files.js";
import type { RunPaths } from "../runs/files.js";
import type { Attributes, SpanData } from "../spans/model.js";
import type { ExporterSettings } from "./config.js";
import { CHUNK_SIZE, chunk, toOtlpJsonLine, toOtlpJsonLines } from "./otlp-lines.js";
import { toReadableSpans } from "./readable.js";
import { INTERRUPTED, sendChunks, SPANS, type SignalKind } from "./send.js";
import { keepRejected, spoolChunks } from "./spool.js";
import { throwingAttempts, type WriteAttempts } from "../runs/write-attempts.js";

const SPOOL_NAME = "spans";

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
export const exportSpans = (
  readable: readonly ReadableSpan[],
  settings: ExporterSettings,
  paths: RunPaths,
  context: Context,
  attempts: WriteAttempts = throwingAttempts,
): Promise<ExportOutcome> => exportSignal(readable, SPAN_SIGNAL, settings, paths, context, attempts);

/** How one signal is chunked, encoded, sent and spooled. */
export interface SignalWay<T> {
  kind: SignalKind<T>;
  chunkSize: number;
  toLine: (items: readonly T[]) => string;
  /** The spool file's name (`<spool>/<name>.jsonl`). */
  spoolName: string;
}

const SPAN_SIGNAL: SignalWay<ReadableSpan> = { kind: SPANS, chunkSize: CHUNK_SIZE, toLine: toOtlpJsonLine, spoolName: SPOOL_NAME };

/** Sends one signal's items; what is not accepted is spooled, what is refused kept in rejected.jsonl. */
export async function exportSignal<T>(
  items: readonly T[],
  way: SignalWay<T>,
  settings: ExporterSettings,
  paths: RunPaths,
  context: Context,
  attempts: WriteAttempts = throwingAttempts,
  /** A signal stopped an earlier export of this run: spool everything without trying. */
  interrupted = false,
): Promise<ExportOutcome> {
  const base = { spans: items.length, spooled: 0 };
  const chunks = chunk(items, way.chunkSize);
  if (settings.kind === "none") return { ...base, endpoint: null, protocol: null, delivered: false };
  if (settings.kind === "console") {
    context.stdout(chunks.map((c) => `${way.toLine(c)}\n`).join(""));
    return { ...base, endpoint: null, protocol: null, delivered: true };
  }
  const result = interrupted
    ? { unsent: chunks, refused: [], accepted: 0, error: INTERRUPTED }
    : await sendChunks(chunks, settings, context.signal, way.kind);
  // What cannot be written (disk full) is named by `attempts`; items not written to the spool are lost.
  const spoolFile = join(paths.spool, `${way.spoolName}.jsonl`);
  const spooled = (await attempts.attempt(spoolFile, () => spoolChunks(paths.spool, result.unsent, way.spoolName, way.toLine))) ?? 0;
  // A partly refused request is kept whole: the collector says how many of its items it refused, not which.
  await attempts.attempt(paths.rejected, () =>
    keepRejected(
      paths.rejected,
      result.refused.map((c) => way.toLine(c.spans)),
    ),
  );
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
