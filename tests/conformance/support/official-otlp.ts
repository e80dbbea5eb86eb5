// Decodes OTLP protobuf with the official message definitions: the protobufjs root generated from
// opentelemetry-proto that @opentelemetry/otlp-transformer ships in build/src/generated/ (a dev
// dependency named otlp-proto-root, pinned to 0.210.0: the last release whose root holds both the trace
// messages with Span.flags and the logs messages; 0.57 predates the flags, from 0.211 logs are
// hand-encoded and their messages left the root, from 0.217 the traces' too).
import { createRequire } from "node:module";

interface Message {
  [field: string]: unknown;
}
interface MessageType {
  decode(bytes: Uint8Array): Message;
  encode(message: Message): { finish(): Uint8Array };
  verify(message: Message): string | null;
}

const root = createRequire(import.meta.url)("otlp-proto-root/build/src/generated/root.js") as {
  opentelemetry: {
    proto: {
      collector: {
        trace: { v1: { ExportTraceServiceRequest: MessageType } };
        logs: { v1: { ExportLogsServiceRequest: MessageType } };
      };
    };
  };
};
const REQUEST = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
const LOGS_REQUEST = root.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;

export interface OfficialSpan {
  traceId: Uint8Array;
  spanId: Uint8Array;
  parentSpanId?: Uint8Array;
  name: string;
  kind?: number;
  /** Long (protobufjs' int64) or number; String() gives the exact decimal. */
  startTimeUnixNano: unknown;
  endTimeUnixNano: unknown;
  attributes?: { key: string; value: Message }[];
  events?: { name: string; attributes?: { key: string; value: Message }[] }[];
  status?: { code?: number; message?: string };
}

/** Decodes a body; throws when it is not an ExportTraceServiceRequest as the official encoder would
 * write it: re-encoding what was decoded must give the same bytes, so no unknown field, no field with
 * the wrong wire type and nothing the definitions do not hold can pass. */
export function decodeOfficial(bytes: Uint8Array): OfficialSpan[] {
  const request = decodeExactly(REQUEST, "ExportTraceServiceRequest", bytes);
  const resourceSpans = (request.resourceSpans ?? []) as { scopeSpans?: { spans?: OfficialSpan[] }[] }[];
  return resourceSpans.flatMap((rs) => (rs.scopeSpans ?? []).flatMap((ss) => ss.spans ?? []));
}

/** An AnyValue as the test wrote it: int64 as its exact decimal string, doubles as numbers. */
export function plainValue(value: Message): unknown {
  const field = value.value as string | undefined; // protobufjs names the oneof's field that is set
  if (field === undefined) return undefined;
  if (field === "intValue") return String(value.intValue);
  if (field === "arrayValue") return ((value.arrayValue as { values?: Message[] }).values ?? []).map(plainValue);
  return value[field];
}

function decodeExactly(type: MessageType, name: string, bytes: Uint8Array): Message {
  const request = type.decode(bytes);
  const problem = type.verify(request);
  if (problem) throw new Error(`not a valid ${name}: ${problem}`);
  const again = type.encode(request).finish();
  if (Buffer.compare(Buffer.from(again), Buffer.from(bytes)) !== 0)
    throw new Error(
      `re-encoding with the official definitions changes the bytes (${bytes.length} → ${again.length}): unknown or mistyped fields`,
    );
  return request;
}

export interface OfficialLogRecord {
  /** Long (protobufjs' int64) or number; String() gives the exact decimal. */
  timeUnixNano: unknown;
  observedTimeUnixNano: unknown;
  severityNumber?: number;
  severityText?: string;
  body?: Message;
  attributes?: { key: string; value: Message }[];
  flags?: number;
  traceId?: Uint8Array;
  spanId?: Uint8Array;
}

export interface OfficialLogs {
  resource: { key: string; value: Message }[];
  scopes: string[];
  records: OfficialLogRecord[];
}

/** Decodes a logs body like decodeOfficial: re-encoding with the official definitions gives the same bytes. */
export function decodeOfficialLogs(bytes: Uint8Array): OfficialLogs {
  const request = decodeExactly(LOGS_REQUEST, "ExportLogsServiceRequest", bytes);
  const resourceLogs = (request.resourceLogs ?? []) as {
    resource?: { attributes?: { key: string; value: Message }[] };
    scopeLogs?: { scope?: { name?: string }; logRecords?: OfficialLogRecord[] }[];
  }[];
  return {
    resource: resourceLogs.flatMap((rl) => rl.resource?.attributes ?? []),
    scopes: resourceLogs.flatMap((rl) => (rl.scopeLogs ?? []).map((sl) => sl.scope?.name ?? "")),
    records: resourceLogs.flatMap((rl) => (rl.scopeLogs ?? []).flatMap((sl) => sl.logRecords ?? [])),
  };
}
