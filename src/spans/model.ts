// The span model every part shares: built from nix's activity stream and ingested files,
// turned into SDK ReadableSpans only at export (src/export/readable.ts). What a span means (role,
// attribute names, kind, status) is stated in ./vocabulary.ts.
import type { SpanKind } from "@opentelemetry/api";
import type { SpanStatus } from "./vocabulary.js";

export type AttributeValue = string | number | boolean | string[] | number[] | boolean[];
export type Attributes = Record<string, AttributeValue>;

export interface SpanEvent {
  name: string;
  timeNs: bigint;
  attributes: Attributes;
}

export interface SpanLink {
  traceId: string;
  spanId: string;
  attributes: Attributes;
}

export interface SpanData {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: SpanKind;
  startNs: bigint;
  endNs: bigint;
  attributes: Attributes;
  events: SpanEvent[];
  links: SpanLink[];
  status: SpanStatus;
  /** Resource and scope of ingested spans are kept; spans nixotel makes use the run's. */
  resource?: Attributes;
  scope?: { name: string; version?: string };
}

export const SCOPE = { name: "nixotel" } as const;

const hex = (bytes: number) => {
  const array = new Uint8Array(bytes);
  crypto.getRandomValues(array);
  return Buffer.from(array).toString("hex");
};

export const newTraceId = () => hex(16);
export const newSpanId = () => hex(8);
