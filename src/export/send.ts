// Sends spans with the official OTLP/HTTP exporters. The SDK itself retries 429/502/503/504 and
// network errors with backoff, at most 5 times and never past timeoutMillis
// (otlp-exporter-base/src/retrying-transport.ts); after that a chunk counts as not accepted.
import { ExportResultCode } from "@opentelemetry/core";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtobufExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { OtlpSettings } from "./config.js";

type ExporterConfig = NonNullable<ConstructorParameters<typeof JsonExporter>[0]>;

export interface SendResult {
  /** Chunks (lists of spans) the collector did not accept, in order. */
  rejected: ReadableSpan[][];
  accepted: number;
  error?: string;
}

function createExporter(settings: OtlpSettings) {
  // Everything explicit: otherwise the SDK would fill gaps from process.env, not the injected env.
  // (It still merges OTEL_EXPORTER_OTLP_HEADERS from process.env; in the CLI that is the same env.)
  const config: ExporterConfig = {
    url: settings.url,
    headers: settings.headers,
    timeoutMillis: settings.timeoutMs,
    compression: settings.compression as ExporterConfig["compression"],
    // Not 1: the SDK frees a slot only after the export callback ran, so the next sequential
    // export would be refused ("Concurrent export limit reached"). We never export concurrently.
    concurrencyLimit: 2,
  };
  return settings.protocol === "http/json" ? new JsonExporter(config) : new ProtobufExporter(config);
}

/** Sends each chunk in order; after the first chunk that fails, the rest are not tried (the
 * collector is away: waiting out the retries again for every chunk would only delay the run). */
export async function sendChunks(chunks: readonly ReadableSpan[][], settings: OtlpSettings): Promise<SendResult> {
  const exporter = createExporter(settings);
  const rejected: ReadableSpan[][] = [];
  let accepted = 0;
  let error: string | undefined;
  try {
    for (const spans of chunks) {
      if (error !== undefined) {
        rejected.push(spans);
        continue;
      }
      const result = await new Promise<{ code: ExportResultCode; error?: Error }>((resolve) => exporter.export(spans, resolve));
      if (result.code === ExportResultCode.SUCCESS) accepted += spans.length;
      else {
        error = result.error?.message ?? "export failed";
        rejected.push(spans);
      }
    }
  } finally {
    await exporter.shutdown().catch(() => undefined);
  }
  return { rejected, accepted, ...(error !== undefined ? { error } : {}) };
}
