// Decodes OTLP protobuf with the official message definitions: the protobufjs root generated from
// opentelemetry-proto that @opentelemetry/otlp-transformer ships in build/src/generated/ (a dev
// dependency named otlp-proto-root, pinned to 0.216.0: the last release whose root holds the trace
// messages with Span.flags; 0.57 predates the flags, and from 0.217 traces are hand-encoded, no root).
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
  opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: MessageType } } } } };
};
const REQUEST = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

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
  const request = REQUEST.decode(bytes);
  const problem = REQUEST.verify(request);
  if (problem) throw new Error(`not a valid ExportTraceServiceRequest: ${problem}`);
  const again = REQUEST.encode(request).finish();
  if (Buffer.compare(Buffer.from(again), Buffer.from(bytes)) !== 0)
    throw new Error(
      `re-encoding with the official definitions changes the bytes (${bytes.length} → ${again.length}): unknown or mistyped fields`,
    );
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
