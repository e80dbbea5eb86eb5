// A check's captured log → OTLP log records, each carrying the trace and span id of the innermost span
// open when the line was printed, the subtest around it, the machine that printed it and the check's
// name. Pure: the same lines and span tree give the same records.
import type { LogLine } from "../nix/builds.js";
import { OTLP_LOG_PREFIX } from "../ingest/ingest.js";
import type { SpanData } from "../spans/model.js";
import { subtestOf } from "../spans/subtest.js";
import { ATTR } from "../spans/vocabulary.js";
import { cutToLimits } from "./cap.js";
import { spanAssigner } from "./assign.js";
import { lineFacts } from "./line.js";
import type { LogLimits, LogRecordData, Severity } from "./model.js";

/** Where a record came from besides the build's own output (absent: the build printed it). */
export const LOG_SOURCE = "nixotel.log.source";

export interface CheckLog {
  /** The check's name (`cicd.pipeline.task.name`, as on its span). */
  checkName: string;
  /** What the check's build printed, with when nix reported each line, in order. */
  lines: readonly LogLine[];
  /** nix's own messages about the check (`error: builder for '…' failed …`), at the check's end. */
  nixMessages?: readonly string[];
  /** The check's span and every span under it. */
  check: SpanData;
  spans: readonly SpanData[];
  limits: LogLimits;
}

/** The subtest each span lies in: its own (a subtest span) or its nearest subtest ancestor's. */
function subtestLookup(spans: readonly SpanData[]): (span: SpanData) => string | undefined {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const known = new Map<string, string | undefined>();
  const of = (span: SpanData, hops = 0): string | undefined => {
    if (known.has(span.spanId)) return known.get(span.spanId);
    const parent = span.parentSpanId === undefined ? undefined : byId.get(span.parentSpanId);
    const found = subtestOf(span) ?? (parent && hops < spans.length ? of(parent, hops + 1) : undefined);
    known.set(span.spanId, found);
    return found;
  };
  return of;
}

/** `@nixotel-otlp` lines are spans in transit (read into the trace); `@nix` lines a builder's words to nix
 * (phases), which a stored log keeps verbatim: neither is something a person printed. */
const isMachineTalk = (text: string) => text.startsWith(OTLP_LOG_PREFIX) || text.startsWith(NIX_PREFIX);
const NIX_PREFIX = "@nix ";

interface Placed extends LogLine {
  span: SpanData;
  nix?: boolean;
}

export function checkLogRecords(log: CheckLog): LogRecordData[] {
  const { check, spans } = log;
  const assign = spanAssigner(check, spans);
  // Every line is placed (the subtest structure runs through the whole log), then the limits cut.
  const placed: Placed[] = log.lines.filter((l) => !isMachineTalk(l.text)).map((l) => ({ ...l, span: assign(l) }));
  for (const text of log.nixMessages ?? []) placed.push({ timeNs: check.endNs, text, span: check, nix: true });
  const cut = cutToLimits(placed, (l) => l.text, log.limits);
  const subtestIn = subtestLookup(spans);
  // Records of one span, machine and source share one attributes object: 100 000 lines make few of them.
  const shared = new Map<string, Record<string, string>>();
  const attributesOf = (span: SpanData, machine: string | undefined, source: string | undefined) => {
    const key = `${span.spanId}\0${machine ?? ""}\0${source ?? ""}`;
    let attributes = shared.get(key);
    if (attributes) return attributes;
    const subtest = subtestIn(span);
    attributes = { [ATTR.taskName]: log.checkName };
    if (machine !== undefined) attributes[ATTR.machine] = machine;
    if (subtest !== undefined) attributes[ATTR.subtest] = subtest;
    if (source !== undefined) attributes[LOG_SOURCE] = source;
    shared.set(key, attributes);
    return attributes;
  };
  const record = (line: Placed, facts: { body: string; severity: Severity; machine?: string; source?: string }): LogRecordData => {
    const spanMachine = line.span.attributes[ATTR.machine];
    const machine = facts.machine ?? (typeof spanMachine === "string" ? spanMachine : undefined);
    return {
      timeNs: line.timeNs,
      severity: facts.severity,
      body: facts.body,
      attributes: attributesOf(line.span, machine, line.nix ? "nix" : facts.source),
      traceId: check.traceId,
      spanId: line.span.spanId,
    };
  };
  const records = cut.head.map((line) => record(line, lineFacts(line.text)));
  if (cut.cutLines > 0) {
    // The note stands where the cut is, in the span of the first line left out.
    const first = placed[cut.head.length]!;
    const body =
      `nixotel: ${cut.cutLines} lines (${cut.cutBytes} bytes) of this check's log cut here: it keeps at most ` +
      `${log.limits.maxLinesPerCheck} lines and ${log.limits.maxBytesPerCheck} bytes (nixotel.json logs.maxLinesPerCheck, logs.maxBytesPerCheck)`;
    records.push(record({ ...first, nix: false }, { body, severity: "WARN", source: "nixotel" }));
  }
  for (const line of cut.tail) records.push(record(line, lineFacts(line.text)));
  return records;
}
