// The SDK's OTLP/HTTP transport (retries, timeout, gzip, headers) with nixotel's own request encoding
// (src/export/otlp-request.ts, src/export/otlp-protobuf.ts), which keeps int64s and non-finite doubles
// as the test wrote them. The responses are read by the SDK's own deserializers. Log records go the
// same way (src/export/log-exporter.ts).
import { OTLPExporterBase, type OTLPExporterNodeConfigBase } from "@opentelemetry/otlp-exporter-base";
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from "@opentelemetry/otlp-exporter-base/node-http";
import {
  JsonTraceSerializer,
  ProtobufTraceSerializer,
  TraceExporterMetricsHelper,
  type IExporterMetricsHelper,
  type IExportTraceServiceResponse,
  type ISerializer,
} from "@opentelemetry/otlp-transformer";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { Protocol } from "./config.js";
import { encodeOtlpRequest } from "./otlp-protobuf.js";
import { toOtlpRequest } from "./otlp-request.js";

type TraceSerializer = ISerializer<ReadableSpan[], IExportTraceServiceResponse>;

const encoder = new TextEncoder();
export const jsonSerializer: TraceSerializer = {
  serializeRequest: (spans) => encoder.encode(JSON.stringify(toOtlpRequest(spans))),
  deserializeResponse: (data) => JsonTraceSerializer.deserializeResponse(data),
};
export const protobufSerializer: TraceSerializer = {
  serializeRequest: (spans) => encodeOtlpRequest(toOtlpRequest(spans)),
  deserializeResponse: (data) => ProtobufTraceSerializer.deserializeResponse(data),
};

const CONTENT_TYPES: Record<Protocol, string> = { "http/json": "application/json", "http/protobuf": "application/x-protobuf" };

/** What differs between the signals' exporters: the SDK's names and path, and the encodings. */
export interface SignalTransport<C, R> {
  /** The spec's name in OTEL_EXPORTER_OTLP_<SIGNAL>_* variables, and the path after the base endpoint. */
  signal: "TRACES" | "LOGS";
  path: string;
  /** The SDK exporters' own self-observability name and item counter. */
  componentType: string;
  metrics: IExporterMetricsHelper<C>;
  serializers: Record<Protocol, ISerializer<C, R>>;
}

const TRACES: SignalTransport<ReadableSpan[], IExportTraceServiceResponse> = {
  signal: "TRACES",
  path: "v1/traces",
  componentType: "otlp_http_span_exporter",
  metrics: TraceExporterMetricsHelper,
  serializers: { "http/json": jsonSerializer, "http/protobuf": protobufSerializer },
};

/** An exporter like the SDK's own for the signal and `protocol`, built as they build theirs. `onResponse`
 * sees the collector's answer to each accepted request (the SDK only logs a partial success). */
export function sdkHttpExporter<C, R>(
  transport: SignalTransport<C, R>,
  config: OTLPExporterNodeConfigBase,
  protocol: Protocol,
  onResponse?: (response: R) => void,
): OTLPExporterBase<C> {
  const options = convertLegacyHttpOptions(config, transport.signal, transport.path, { "Content-Type": CONTENT_TYPES[protocol] });
  const base = transport.serializers[protocol];
  const serializer: ISerializer<C, R> = {
    serializeRequest: base.serializeRequest,
    deserializeResponse: (data) => {
      const response = base.deserializeResponse(data);
      onResponse?.(response);
      return response;
    },
  };
  return new OTLPExporterBase(createOtlpHttpExportDelegate(options, serializer, transport.componentType, transport.metrics, undefined));
}

export const createTraceExporter = (
  config: OTLPExporterNodeConfigBase,
  protocol: Protocol,
  onResponse?: (response: IExportTraceServiceResponse) => void,
): OTLPExporterBase<ReadableSpan[]> => sdkHttpExporter(TRACES, config, protocol, onResponse);
