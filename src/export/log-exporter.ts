// Log records go out through the official OTLP/HTTP log exporters: @opentelemetry/exporter-logs-otlp-http
// (http/json) and -proto (http/protobuf), with the settings, agent and partial-success reading the span
// exporter has (src/export/exporter.ts).
import { OTLPLogExporter as JsonLogExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { OTLPLogExporter as ProtobufLogExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import type { ReadableLogRecord } from "@opentelemetry/sdk-logs";
import type { OtlpSettings } from "./config.js";
import { abortableAgent, nodeConfig, type SignalExporter } from "./exporter.js";
import { listenForPartialSuccess, takePartialSuccess } from "./partial-success-diag.js";

export type LogExporter = SignalExporter<ReadableLogRecord>;

export function createLogExporter(settings: OtlpSettings): LogExporter {
  listenForPartialSuccess();
  const agent = abortableAgent(new URL(settings.url).protocol === "https:");
  const config = nodeConfig(settings, agent);
  const exporter = settings.protocol === "http/json" ? new JsonLogExporter(config) : new ProtobufLogExporter(config);
  return {
    export: (records) =>
      new Promise((resolve) => {
        exporter.export(records, (result) => {
          const partial = result.error === undefined ? takePartialSuccess() : undefined;
          resolve(partial ? { ...result, partial } : result);
        });
      }),
    abort: () => agent.abort(),
    shutdown: () => exporter.shutdown(),
  };
}
