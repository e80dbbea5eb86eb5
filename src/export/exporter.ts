// The trace exporter as `send` uses it (src/export/trace-exporter.ts builds it as the SDK builds its
// own), plus two things the SDK's exporters hide:
// - the collector's answer to an accepted request: a partial success (HTTP 200 whose response says
//   `rejectedSpans`) counts as SUCCESS there and is only logged through `diag.warn`
//   (otlp-exporter-base/src/logging-response-handler.ts);
// - the sockets: `abort()` destroys the request in flight at once, instead of leaving it to the timeout.
import { Agent as HttpAgent, type ClientRequestArgs } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { Duplex } from "node:stream";
import type { ExportResult } from "@opentelemetry/core";
import type { OTLPExporterBase, OTLPExporterNodeConfigBase } from "@opentelemetry/otlp-exporter-base";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { OtlpSettings } from "./config.js";
import { createTraceExporter as createSdkExporter } from "./trace-exporter.js";

/** What the collector said about an accepted request: how many of its spans it still rejected, and why. */
export interface PartialSuccess {
  rejected: number;
  message: string;
}

/** An exporter of one signal's requests (chunks of spans, of log records) as `send` uses it. */
export interface SignalExporter<C> {
  /** Exports one request; `partial` is set when the collector accepted it only in part. */
  export(chunk: C): Promise<ExportResult & { partial?: PartialSuccess }>;
  /** Destroys every open connection at once: the request in flight fails, it is not retried. */
  abort(): void;
  shutdown(): Promise<void>;
}

export type TraceExporter = SignalExporter<ReadableSpan[]>;

/** The error an aborted request fails with; its code is not one the SDK retries (is-export-retryable). */
export const abortError = () => Object.assign(new Error("export aborted by a signal"), { code: "ABORT_ERR" });

/** An agent whose sockets can all be destroyed at once; after that, it opens none. */
export function abortableAgent(https: boolean): HttpAgent & { abort: () => void } {
  const Base = https ? HttpsAgent : HttpAgent;
  const sockets = new Set<Duplex>();
  let aborted = false;
  const agent = new (class extends Base {
    override createConnection(options: ClientRequestArgs, callback?: (err: Error | null, stream: Duplex) => void) {
      const socket = super.createConnection(options, callback);
      if (!socket) return socket;
      if (aborted) socket.destroy(abortError());
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
      return socket;
    }
  })({ keepAlive: true });
  return Object.assign(agent, {
    abort() {
      aborted = true;
      for (const socket of sockets) socket.destroy(abortError());
      agent.destroy();
    },
  });
}

/** A collector's answer to an export (ExportTraceServiceResponse, ExportLogsServiceResponse). */
export interface CollectorResponse {
  partialSuccess?: { rejectedSpans?: unknown; rejectedLogRecords?: unknown; errorMessage?: unknown };
}

/** int64 in OTLP/JSON is a decimal string; protobuf gives a number. Anything else counts as none.
 * `rejectedSpans` for traces, `rejectedLogRecords` for logs. */
export function partialOf(response: CollectorResponse | undefined): PartialSuccess | undefined {
  const raw = response?.partialSuccess;
  const rejected = Number(raw?.rejectedSpans ?? raw?.rejectedLogRecords ?? 0);
  if (!Number.isSafeInteger(rejected) || rejected <= 0) return undefined; // 0 with a message is only a warning
  return { rejected, message: typeof raw?.errorMessage === "string" ? raw.errorMessage : "" };
}

/** The SDK exporters' configuration for `settings`, on `agent`. */
export function nodeConfig(settings: OtlpSettings, agent: HttpAgent): OTLPExporterNodeConfigBase {
  return {
    // Everything explicit: otherwise the SDK would fill gaps from process.env, not the injected env.
    // (It still merges OTEL_EXPORTER_OTLP_HEADERS from process.env; in the CLI that is the same env.)
    url: settings.url,
    headers: settings.headers,
    timeoutMillis: settings.timeoutMs,
    compression: settings.compression as OTLPExporterNodeConfigBase["compression"],
    // Not 1: the SDK frees a slot only after the export callback ran, so the next sequential
    // export would be refused ("Concurrent export limit reached"). We never export concurrently.
    concurrencyLimit: 2,
    httpAgentOptions: async () => agent,
  };
}

/** The SDK's OTLP/HTTP exporter `build` makes for a signal, as `send` uses it. `build` gets the
 * configuration and a hook that sees the collector's answer to each accepted request. */
export function signalExporter<C>(
  settings: OtlpSettings,
  build: (config: OTLPExporterNodeConfigBase, onResponse: (response: CollectorResponse) => void) => OTLPExporterBase<C>,
): SignalExporter<C> {
  // The delegate reads the answer to a successful request just before it reports SUCCESS: the exports
  // are sequential, so the answer read last belongs to the request that just succeeded.
  let lastResponse: CollectorResponse | undefined;
  const agent = abortableAgent(new URL(settings.url).protocol === "https:");
  const exporter = build(nodeConfig(settings, agent), (response) => (lastResponse = response));
  return {
    export: (chunk) =>
      new Promise((resolve) => {
        lastResponse = undefined;
        exporter.export(chunk, (result) => {
          const partial = result.error === undefined ? partialOf(lastResponse) : undefined;
          resolve(partial ? { ...result, partial } : result);
        });
      }),
    abort: () => agent.abort(),
    shutdown: () => exporter.shutdown(),
  };
}

export const createTraceExporter = (settings: OtlpSettings): TraceExporter =>
  signalExporter(settings, (config, onResponse) => createSdkExporter(config, settings.protocol, onResponse));
