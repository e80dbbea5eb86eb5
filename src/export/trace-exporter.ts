// The SDK's OTLP/HTTP transport (retries, timeout, gzip, headers) with nixotel's own request encoding
// (src/export/otlp-request.ts, src/export/otlp-protobuf.ts), which keeps int64s and non-finite doubles
// as the test wrote them. The responses are read by the SDK's own deserializers.
import { OTLPExporterBase, type OTLPExporterNodeConfigBase } from "@opentelemetry/otlp-exporter-base";
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from "@opentelemetry/otlp-exporter-base/node-http";
import {
  JsonTraceSerializer,
  ProtobufTraceSerializer,
  TraceExporterMetricsHelper,
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
const COMPONENT_TYPE = "otlp_http_span_exporter"; // the SDK exporters' own self-observability name

/** An exporter like the SDK's OTLPTraceExporter for `protocol`, built as they build theirs. `onResponse`
 * sees the collector's answer to each accepted request (the SDK only logs a partial success). */
export function createTraceExporter(
  config: OTLPExporterNodeConfigBase,
  protocol: Protocol,
  onResponse?: (response: IExportTraceServiceResponse) => void,
): OTLPExporterBase<ReadableSpan[]> {
  const options = convertLegacyHttpOptions(config, "TRACES", "v1/traces", { "Content-Type": CONTENT_TYPES[protocol] });
  const base = protocol === "http/json" ? jsonSerializer : protobufSerializer;
  const serializer: TraceSerializer = {
    serializeRequest: base.serializeRequest,
    deserializeResponse: (data) => {
      const response = base.deserializeResponse(data);
      onResponse?.(response);
      return response;
    },
  };
  return new OTLPExporterBase(createOtlpHttpExportDelegate(options, serializer, COMPONENT_TYPE, TraceExporterMetricsHelper, undefined));
}
