// How `nixotel flush` reads each signal's spool file back: spool/spans.jsonl holds OTLP trace requests,
// spool/logs.jsonl OTLP log requests, one a line, as the run spooled them.
import type { ReadableLogRecord } from "@opentelemetry/sdk-logs";
import type { ReadableSpan } from "@opentelemetry/sdk-trace-base";
import type { Signal } from "../export/config.js";
import { LOG_SIGNAL } from "../export/export-logs.js";
import { toReadableSpans } from "../export/readable.js";
import { SPANS, type SignalKind } from "../export/send.js";
import { parseOtlpJsonLine } from "../ingest/otlp-json.js";
import { parseOtlpLogLine, toReadableLogs } from "../logs/otlp-logs.js";

export interface SpoolSignal<T> {
  name: Signal;
  kind: SignalKind<T>;
  /** One spool line's items, or why it cannot be sent. */
  read(line: string): { items: T[]; problems: string[] };
}

export const SPAN_SPOOL: SpoolSignal<ReadableSpan> = {
  name: "traces",
  kind: SPANS,
  read(line) {
    const { spans, problems } = parseOtlpJsonLine(line);
    return { items: problems.length ? [] : toReadableSpans(spans, {}), problems };
  },
};

export const LOG_SPOOL: SpoolSignal<ReadableLogRecord> = {
  name: "logs",
  kind: LOG_SIGNAL.kind,
  read(line) {
    try {
      const { records, resource } = parseOtlpLogLine(line);
      return { items: toReadableLogs(records, resource), problems: [] };
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      return { items: [], problems: [error.message] };
    }
  },
};
