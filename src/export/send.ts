// Sends spans through the SDK's OTLP/HTTP transport (src/export/trace-exporter.ts). The SDK itself retries 429/502/503/504 and
// network errors with backoff, at most 5 times and never past timeoutMillis
// (otlp-exporter-base/src/retrying-transport.ts); after that a chunk counts as not accepted.
import { ExportResultCode } from "@opentelemetry/core";
import type { OTLPExporterNodeConfigBase } from "@opentelemetry/otlp-exporter-base";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { OtlpSettings } from "./config.js";
import { createTraceExporter } from "./trace-exporter.js";

export interface SendResult {
  /** Chunks (lists of spans) not accepted but worth sending again later (collector away, busy, misconfigured). */
  unsent: ReadableSpan[][];
  /** Chunks the collector refused for good (HTTP 400/413: the data itself), never to be sent again. */
  refused: ReadableSpan[][];
  accepted: number;
  /** Why the unsent chunks were not accepted. */
  error?: string;
  /** The collector's answer to the refused chunks: `HTTP 400 Bad Request: <its message>`. */
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

function createExporter(settings: OtlpSettings) {
  // Everything explicit: otherwise the SDK would fill gaps from process.env, not the injected env.
  // (It still merges OTEL_EXPORTER_OTLP_HEADERS from process.env; in the CLI that is the same env.)
  const config: OTLPExporterNodeConfigBase = {
    url: settings.url,
    headers: settings.headers,
    timeoutMillis: settings.timeoutMs,
    compression: settings.compression as OTLPExporterNodeConfigBase["compression"],
    // Not 1: the SDK frees a slot only after the export callback ran, so the next sequential
    // export would be refused ("Concurrent export limit reached"). We never export concurrently.
    concurrencyLimit: 2,
  };
  return createTraceExporter(config, settings.protocol);
}

export const INTERRUPTED = "interrupted before the collector answered";

type Outcome = { code: ExportResultCode; error?: Error };

/** Sends each chunk in order; after the first chunk that could not be delivered, the rest are not
 * tried (the collector is away: waiting out the retries again for every chunk would only delay the
 * run). A chunk the collector refuses for good does not stop the others: the collector is there.
 * An `abort` of `signal` during the sending stops it at once: the chunk in flight and the rest count
 * as unsent. A signal aborted before the call does not stop it: an interrupted run still sends its
 * spans (a second signal ends the process, see src/index.ts). */
export async function sendChunks(chunks: readonly ReadableSpan[][], settings: OtlpSettings, signal?: AbortSignal): Promise<SendResult> {
  const exporter = createExporter(settings);
  const unsent: ReadableSpan[][] = [];
  const refused: ReadableSpan[][] = [];
  let accepted = 0;
  let error: string | undefined;
  let refusal: string | undefined;
  let stopped = false;
  let settle = () => undefined as void;
  const interrupted = new Promise<Outcome>((resolve) => {
    settle = () => resolve({ code: ExportResultCode.FAILED, error: new Error(INTERRUPTED) });
  });
  const interrupt = () => {
    stopped = true;
    settle();
  };
  signal?.addEventListener("abort", interrupt, { once: true });
  try {
    for (const spans of chunks) {
      if (stopped) error ??= INTERRUPTED;
      if (error !== undefined) {
        unsent.push(spans);
        continue;
      }
      const exported = new Promise<Outcome>((resolve) => exporter.export(spans, resolve));
      const result = await Promise.race([exported, interrupted]);
      if (result.code === ExportResultCode.SUCCESS) accepted += spans.length;
      else if (refusalOf(result.error) !== undefined) {
        refusal = refusalOf(result.error);
        refused.push(spans);
      } else {
        error = result.error?.message ?? "export failed";
        unsent.push(spans);
      }
    }
  } finally {
    signal?.removeEventListener("abort", interrupt);
    // shutdown() waits for the request in flight: after an interruption it finishes on its own.
    const shutdown = exporter.shutdown().catch(() => undefined);
    if (error !== INTERRUPTED) await shutdown;
  }
  return { unsent, refused, accepted, ...(error !== undefined ? { error } : {}), ...(refusal !== undefined ? { refusal } : {}) };
}
