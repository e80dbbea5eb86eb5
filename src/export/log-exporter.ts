// Log records go out through the SDK's OTLP/HTTP transport (retries, timeout, gzip, headers), built as
// the SDK's OTLPLogExporter builds its own, with nixotel's own request encoding: the chunk's JSON line
// (src/logs/log-chunk.ts) is the http/json body, src/export/otlp-log-protobuf.ts the http/protobuf one.
// The responses are read by the SDK's own deserializers; the partial-success reading is the spans'.
import { JsonLogsSerializer, ProtobufLogsSerializer, type IExportLogsServiceResponse } from "@opentelemetry/otlp-transformer";
import { jsonBody, type LogChunk } from "../logs/log-chunk.js";
import type { OtlpSettings } from "./config.js";
import { signalExporter, type SignalExporter } from "./exporter.js";
import { sdkHttpExporter, type SignalTransport } from "./trace-exporter.js";

const LOGS: SignalTransport<LogChunk, IExportLogsServiceResponse> = {
  signal: "LOGS",
  path: "v1/logs",
  componentType: "otlp_http_log_exporter",
  metrics: { name: "log", countItems: (chunk) => chunk.length },
  serializers: {
    "http/json": {
      serializeRequest: jsonBody,
      deserializeResponse: (data) => JsonLogsSerializer.deserializeResponse(data),
    },
    "http/protobuf": {
      serializeRequest: (chunk) => chunk.protobuf(),
      deserializeResponse: (data) => ProtobufLogsSerializer.deserializeResponse(data),
    },
  },
};

export type LogExporter = SignalExporter<LogChunk>;

export const createLogExporter = (settings: OtlpSettings): LogExporter =>
  signalExporter(settings, (config, onResponse) => sdkHttpExporter(LOGS, config, settings.protocol, onResponse));
