// The on-disk span form: OTLP JSON Lines (the OTLP file format), one ExportTraceServiceRequest a line.
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { toOtlpRequest } from "./otlp-request.js";

/** Spans per request line and per OTLP request: small enough for any collector's body limit. */
export const CHUNK_SIZE = 512;

export function chunk<T>(items: readonly T[], size = CHUNK_SIZE): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** One ExportTraceServiceRequest as a JSON line: the same encoding as the http/json export. */
export const toOtlpJsonLine = (spans: readonly ReadableSpan[]) => JSON.stringify(toOtlpRequest(spans));

export const toOtlpJsonLines = (spans: readonly ReadableSpan[]) =>
  chunk(spans)
    .map((c) => `${toOtlpJsonLine(c)}\n`)
    .join("");
