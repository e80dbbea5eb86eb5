// The on-disk span form: OTLP JSON Lines (the OTLP file format), one ExportTraceServiceRequest a line.
import { JsonTraceSerializer } from "@opentelemetry/otlp-transformer";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";

/** Spans per request line and per OTLP request: small enough for any collector's body limit. */
export const CHUNK_SIZE = 512;

export function chunk<T>(items: readonly T[], size = CHUNK_SIZE): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

const decoder = new TextDecoder();

export function toOtlpJsonLine(spans: ReadableSpan[]): string {
  const bytes = JsonTraceSerializer.serializeRequest(spans);
  if (!bytes) throw new Error("The OTLP JSON serializer returned nothing");
  return decoder.decode(bytes);
}

export const toOtlpJsonLines = (spans: readonly ReadableSpan[]) =>
  chunk(spans)
    .map((c) => `${toOtlpJsonLine(c)}\n`)
    .join("");
