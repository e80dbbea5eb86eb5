// Sends spans with the official OTLP/HTTP exporter (src/export/exporter.ts). The SDK itself retries
// 429/502/503/504 and network errors with backoff, at most 5 times and never past timeoutMillis
// (otlp-exporter-base/src/retrying-transport.ts); after that a chunk counts as not accepted.
import { ExportResultCode } from "@opentelemetry/core";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { OtlpSettings } from "./config.js";
import { createTraceExporter, type SignalExporter } from "./exporter.js";

/** What is sent in one request: anything that counts its items (spans, log records). */
export interface Chunk {
  readonly length: number;
}

/** A request the collector refused, wholly (HTTP 400/413) or in part (HTTP 200 with a partial success). */
export interface RefusedChunk<C extends Chunk = ReadableSpan[]> {
  spans: C;
  /** How many of its items were refused: all of them, or the collector's `rejectedSpans` / `rejectedLogRecords`. */
  rejected: number;
}

export interface SendResult<C extends Chunk = ReadableSpan[]> {
  /** Chunks (lists of spans or log records) not accepted but worth sending again later (collector away, busy, misconfigured). */
  unsent: C[];
  /** Chunks the collector refused for good, wholly or in part: never to be sent again. */
  refused: RefusedChunk<C>[];
  /** Spans the collector took (a partly refused chunk's accepted spans included). */
  accepted: number;
  /** Why the unsent chunks were not accepted. */
  error?: string;
  /** The collector's answer to the refused chunks: `HTTP 400 Bad Request: <its message>`, or a partial success. */
  refusal?: string;
}

/** Statuses that say the request itself is unacceptable, so sending it again cannot help. Others
 * (401/403/404: settings a user fixes; 429/5xx: a collector that recovers) are worth a later flush. */
const REFUSED_STATUSES = new Set([400, 413]);
const MESSAGE_CHARS = 500;

/** `HTTP 400 Bad Request: <body>` when the exporter's error carries an HTTP status the data is refused with. */
export function refusalOf(error: unknown): string | undefined {
  const { code, data, message } = (error ?? {}) as { code?: unknown; data?: unknown; message?: unknown };
  if (typeof code !== "number" || !REFUSED_STATUSES.has(code)) return undefined;
  const body = typeof data === "string" ? data.trim().slice(0, MESSAGE_CHARS) : "";
  return `HTTP ${code}${typeof message === "string" && message ? ` ${message}` : ""}${body ? `: ${body}` : ""}`;
}

/** How one signal is sent: its exporter (of chunks `C`), and what its items are called in messages. */
export interface SignalKind<C extends Chunk> {
  create: (settings: OtlpSettings) => SignalExporter<C>;
  noun: string;
}

export const SPANS: SignalKind<ReadableSpan[]> = { create: createTraceExporter, noun: "spans" };

/** `HTTP 200 partial success: 2 of 5 spans rejected: <the collector's message>`. */
export const partialRefusal = (rejected: number, of: number, message: string, noun = "spans") =>
  `HTTP 200 partial success: ${rejected} of ${of} ${noun} rejected${message.trim() ? `: ${message.trim().slice(0, MESSAGE_CHARS)}` : ""}`;

export const INTERRUPTED = "interrupted before the collector answered";

/** Sends each chunk in order; after the first chunk that could not be delivered, the rest are not
 * tried (the collector is away: waiting out the retries again for every chunk would only delay the
 * run). A chunk the collector refuses, wholly or in part, does not stop the others: the collector is there.
 * An `abort` of `signal` during the sending stops it at once: the request in flight is aborted (its
 * connection closed), it and the rest count as unsent. A signal aborted before the call does not stop
 * it: an interrupted run still sends its spans (a second signal ends the process, see src/index.ts). */
export async function sendChunks<C extends Chunk>(
  chunks: readonly C[],
  settings: OtlpSettings,
  signal: AbortSignal | undefined,
  kind: SignalKind<C>,
): Promise<SendResult<C>> {
  const exporter = kind.create(settings);
  const result: SendResult<C> = { unsent: [], refused: [], accepted: 0 };
  let stopped = false;
  let settle = () => undefined as void;
  const interrupted = new Promise<undefined>((resolve) => {
    settle = () => resolve(undefined);
  });
  const interrupt = () => {
    stopped = true;
    exporter.abort();
    settle(); // also ends a wait between the SDK's retries at once
  };
  signal?.addEventListener("abort", interrupt, { once: true });
  try {
    for (const spans of chunks) {
      if (stopped) result.error ??= INTERRUPTED;
      if (result.error !== undefined) {
        result.unsent.push(spans);
        continue;
      }
      const exported = await Promise.race([exporter.export(spans), interrupted]);
      if (exported?.code === ExportResultCode.SUCCESS) {
        const rejected = Math.min(exported.partial?.rejected ?? 0, spans.length);
        result.accepted += spans.length - rejected;
        if (exported.partial && rejected > 0) {
          result.refusal = partialRefusal(rejected, spans.length, exported.partial.message, kind.noun);
          result.refused.push({ spans, rejected });
        }
      } else if (exported === undefined || stopped) {
        // Interrupted before the collector confirmed it: it may or may not have it; unconfirmed is spooled.
        result.error = INTERRUPTED;
        result.unsent.push(spans);
      } else if (refusalOf(exported.error) !== undefined) {
        result.refusal = refusalOf(exported.error);
        result.refused.push({ spans, rejected: spans.length });
      } else {
        result.error = exported.error?.message ?? "export failed";
        result.unsent.push(spans);
      }
    }
  } finally {
    signal?.removeEventListener("abort", interrupt);
    // shutdown() waits for the request in flight, or a wait between retries: after an interruption
    // it finishes on its own (the connections are closed, so it holds no socket open).
    const shutdown = exporter.shutdown();
    if (!stopped) await shutdown;
    else shutdown.catch(() => undefined);
  }
  return result;
}
