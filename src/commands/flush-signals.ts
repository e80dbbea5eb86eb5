// How `nixotel flush` reads each signal's spool file back: spool/spans.jsonl holds OTLP trace requests,
// spool/logs.jsonl OTLP log requests, one a line, as the run spooled them.
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { Signal } from "../export/config.js";
import { LOG_SIGNAL } from "../export/export-logs.js";
import { toReadableSpans } from "../export/readable.js";
import { SPANS, type SignalKind, type Chunk } from "../export/send.js";
import { parseOtlpJsonLine } from "../ingest/otlp-json.js";
import { repairTree } from "../spans/invariants.js";
import { recordsChunk, type LogChunk } from "../logs/log-chunk.js";
import { parseOtlpLogLine } from "../logs/otlp-logs.js";

export interface SpoolSignal<C extends Chunk> {
  name: Signal;
  kind: SignalKind<C>;
  /** One spool line's items (one request), or why it cannot be sent; `repaired`: what was mended before sending. */
  read(line: string): { items: C; problems: string[]; repaired?: string[] };
}

export const SPAN_SPOOL: SpoolSignal<ReadableSpan[]> = {
  name: "traces",
  kind: SPANS,
  read(line) {
    const { spans, problems } = parseOtlpJsonLine(line);
    if (problems.length) return { items: [], problems };
    // The span-tree invariant, as run and report keep it, request by request (a line spooled twice is
    // the same spans sent again, not new ones): unique ids, no self-parents, no cycles, whoever wrote the
    // spool (an older nixotel, a hand edit). The line itself is kept as it was.
    const tree = repairTree(spans);
    return { items: toReadableSpans(tree.spans, {}), problems: [], repaired: tree.problems };
  },
};

export const LOG_SPOOL: SpoolSignal<LogChunk> = {
  name: "logs",
  kind: LOG_SIGNAL.kind,
  read(line) {
    try {
      const { records, resource } = parseOtlpLogLine(line);
      // Sent as it was spooled: the line is the http/json body, the records the protobuf one's.
      return { items: recordsChunk(records, resource, line), problems: [] };
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      return { items: recordsChunk([], {}, line), problems: [error.message] };
    }
  },
};
