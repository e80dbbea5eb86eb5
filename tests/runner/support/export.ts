// What the export tests build by hand: synthetic spans, a quiet Context and OTLP settings.
import type { Context } from "../../../src/context.js";
import type { ExporterSettings } from "../../../src/export/config.js";
import { newSpanId, newTraceId, type SpanData } from "../../../src/spans/model.js";
import { bareSpan } from "../../support/bare-span.js";

/** `count` minimal spans of one trace. */
export function manySpans(count: number): SpanData[] {
  const traceId = newTraceId();
  return Array.from({ length: count }, (_, i) => bareSpan({ traceId, spanId: newSpanId(), name: `s${i}` }));
}

/** A Context that prints nothing. */
export const quietContext = (cwd: string, signal = new AbortController().signal): Context => ({
  cwd,
  env: {},
  stdout: () => undefined,
  stderr: () => undefined,
  interactive: false,
  signal,
});

/** OTLP/HTTP JSON to a receiver's base URL. */
export const otlpJson = (baseUrl: string, timeoutMs = 5000): ExporterSettings => ({
  kind: "otlp",
  url: `${baseUrl}/v1/traces`,
  protocol: "http/json",
  headers: {},
  timeoutMs,
  compression: "none",
});
